import { test } from "node:test";
import assert from "node:assert/strict";
import type { PageCoverage } from "./coverage.ts";
import { DEFAULT_DRIFT_SETTINGS, DriftDetector, STATE_FIELD } from "./drift.ts";

/** A page of `cards` cards where each field is carried by the given count (default: every card). */
function page(cards: number, counts: Record<string, number> = {}, state: string | null = "nordic_ctx"): PageCoverage {
  const fields: PageCoverage["fields"] = {};
  for (const field of ["title", "price", "rating", "original_price", "user_product_id", "coupon"]) {
    const present = counts[field] ?? (field === "coupon" ? Math.floor(cards / 4) : cards);
    fields[field] = { present, sources: { markup: present } };
  }
  return { kind: "listing", cards, state, fields };
}

const clock = () => {
  let t = Date.parse("2026-12-04T12:00:00Z");
  return () => new Date(t += 60_000).toISOString();
};

function withBaseline(units = DEFAULT_DRIFT_SETTINGS.minUnits) {
  const detector = new DriftDetector(DEFAULT_DRIFT_SETTINGS, clock());
  for (let i = 0; i < units; i++) assert.deepEqual(detector.observe("MLB", "all", page(48)), []);
  return detector;
}

test("drift: a field gone from a page starts one drift, held while it lasts, ended when it is back", () => {
  const detector = withBaseline();
  const [started, ...more] = detector.observe("MLB", "all", page(48, { rating: 0 }));
  assert.deepEqual(more, []);
  assert.equal(started?.kind, "started");
  assert.deepEqual(
    { field: started?.drift.field, baseline: started?.drift.baseline, now: started?.drift.now },
    { field: "rating", baseline: 1, now: 0 },
  );
  assert.deepEqual(detector.observe("MLB", "all", page(48, { rating: 2 })), [], "one event per drift, not per page");
  assert.equal(detector.drifting().length, 1);
  assert.deepEqual(detector.observe("MLB", "all", page(48)).map((c) => [c.kind, c.drift.field]), [["ended", "rating"]]);
  assert.deepEqual(detector.drifting(), []);
});

test("drift: nothing is judged before the baseline has its pages; other sites and views have their own", () => {
  const detector = withBaseline(DEFAULT_DRIFT_SETTINGS.minUnits - 1);
  assert.deepEqual(detector.observe("MLB", "all", page(48, { rating: 0 })), [], "the fifth page joins the baseline");
  assert.deepEqual(detector.observe("MLB", "search", page(48, { rating: 0 })), []);
  assert.deepEqual(detector.observe("MLA", "all", page(48, { rating: 0 })), []);
});

test("drift: a fall to just over half is no drift, a field that was never usual never drifts", () => {
  const detector = withBaseline();
  assert.deepEqual(detector.observe("MLB", "all", page(48, { rating: 25, coupon: 0 })), []);
  assert.deepEqual(detector.observe("MLB", "all", page(48, { rating: 20 })).map((c) => c.drift.field), ["rating"]);
});

test("drift: the embedded state gone is one drift, with the fields that fell with it", () => {
  const detector = withBaseline();
  const changes = detector.observe("MLB", "all", page(48, { user_product_id: 0 }, null));
  assert.equal(changes.length, 1);
  assert.equal(changes[0]?.drift.field, STATE_FIELD);
  assert.deepEqual(changes[0]?.drift.fields, ["user_product_id"]);
});

test("drift: the baseline stays as it was while a drift lasts (a broken page never becomes the normal)", () => {
  const detector = withBaseline();
  for (let i = 0; i < 40; i++) detector.observe("MLB", "all", page(48, { rating: 0 }));
  assert.equal(detector.drifting()[0]?.field, "rating");
  assert.equal(detector.snapshot("MLB", "all").baseline.length, DEFAULT_DRIFT_SETTINGS.minUnits);
});

test("drift: pages of few cards are pooled until they hold enough to judge", () => {
  const detector = new DriftDetector(DEFAULT_DRIFT_SETTINGS, clock());
  for (let i = 0; i < 10 * DEFAULT_DRIFT_SETTINGS.minUnits; i++) detector.observe("MLB", "item", page(1));
  const changes = [];
  for (let i = 0; i < 9; i++) changes.push(...detector.observe("MLB", "item", page(1, { price: 0 })));
  assert.deepEqual(changes, [], "nine pages are not yet a pool");
  const [started] = detector.observe("MLB", "item", page(1, { price: 0 }));
  assert.equal(started?.drift.field, "price");
  assert.deepEqual(detector.observe("MLB", "item", page(0)), [], "a page without cards is not counted");
});

test("drift: a snapshot restores the baseline and the drifts under way (a restart does not relearn a broken page)", () => {
  const detector = withBaseline();
  detector.observe("MLB", "all", page(48, { rating: 0 }));
  const restarted = new DriftDetector(DEFAULT_DRIFT_SETTINGS, clock());
  restarted.restore(JSON.parse(JSON.stringify(detector.snapshot("MLB", "all"))));
  assert.deepEqual(restarted.observe("MLB", "all", page(48, { rating: 0 })), [], "the drift is already known");
  assert.deepEqual(restarted.drifting().map((d) => d.field), ["rating"]);
  assert.equal(restarted.observe("MLB", "all", page(48))[0]?.kind, "ended");
  restarted.reset("MLB", "all");
  assert.deepEqual(restarted.snapshot("MLB", "all").baseline, []);
});
