import { test } from "node:test";
import assert from "node:assert/strict";
import { DriftConditions } from "./drift-conditions.ts";

const snapshot = (drifting: Array<{ field: string; fields?: string[] }>) =>
  JSON.stringify({
    site: "MLB",
    view: "all",
    baseline: [{ pages: 1, statePages: 1, cards: 48, present: { rating: 48 } }],
    drifting: drifting.map((d) => ({
      site: "MLB",
      view: "all",
      baseline: 1,
      now: 0,
      since: "2026-12-04T12:00:00Z",
      ...d,
    })),
    at: "2026-12-04T12:00:00Z",
  });

test("drift conditions: a drifting field holds, then stops holding once the route says it ended", () => {
  const drift = new DriftConditions();
  assert.deepEqual(drift.conditions(), []);
  drift.apply("MLB/all", snapshot([{ field: "rating" }]));
  const [held] = drift.conditions();
  assert.deepEqual([held?.kind, held?.subject, held?.holds], ["scraper_drift", "MLB/all/rating", true]);
  assert.match(held!.why, /stopped finding rating on MLB all pages: 0% now, 100% usually/);
  drift.apply("MLB/all", snapshot([]));
  assert.deepEqual(drift.conditions().map((c) => [c.subject, c.holds]), [["MLB/all/rating", false]]);
});

test("drift conditions: the embedded state names the fields that fell with it; a reset or a bad record clears", () => {
  const drift = new DriftConditions();
  drift.apply("MLB/search", snapshot([{ field: "embedded_state", fields: ["user_product_id"] }]));
  assert.match(drift.conditions()[0]!.why, /with it: user_product_id/);
  drift.apply("MLB/search", null);
  assert.deepEqual(drift.conditions().map((c) => c.holds), [false]);
  drift.apply("MLB/search", "{not json");
  assert.deepEqual(drift.conditions().map((c) => c.holds), [false]);
});
