import { test } from "node:test";
import assert from "node:assert/strict";
import { WatchAdmission } from "./watch-admission.ts";
import { putKey, WatchCatalogue } from "./watch-catalogue.ts";
import type { Watch } from "./watch.ts";

const AT = Date.parse("2026-12-04T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

function watch(id: string, period: Watch["period"], pages = 2): Watch {
  return {
    id,
    name: id,
    target: { site: "MLB", view: "search", query: id, pages },
    period,
    enabled: true,
    created_at: iso(AT),
    updated_at: iso(AT),
  };
}

/** A reader of the watches topic with the route's admission: records go to both, in log order. */
function reader(limits = { maxWatches: 2, pagesPerHour: 30 }) {
  const catalogue = new WatchCatalogue();
  const admission = new WatchAdmission(catalogue, limits);
  const apply = (key: string, value: string | null) => {
    catalogue.apply(key, value);
    admission.apply(key, value);
  };
  return { catalogue, admission, apply };
}

const request = (id: string, w: Watch, at = AT) =>
  [putKey(w.id), JSON.stringify({ type: "put", request_id: id, requested_at: iso(at), watch: w })] as [string, string];
const written = (w: Watch) => [w.id, JSON.stringify(w)] as [string, string];

test("admission: requests are judged in log order, each against the watches and accepted requests before it", () => {
  const r = reader();
  // two writers checked an empty list at once and appended their requests: the log orders them
  r.apply(...request("p1", watch("a", { every: "15m" })));
  r.apply(...request("p2", watch("b", { every: "10m" }))); // 8 + 12 pages an hour: fits 30
  r.apply(...request("p3", watch("c", { every: "1h" })));
  assert.deepEqual(r.admission.verdict("p1"), { accepted: true });
  assert.deepEqual(r.admission.verdict("p2"), { accepted: true });
  assert.match((r.admission.verdict("p3") as { reason: string }).reason, /already 2 watches, .*OFERTAS_MAX_WATCHES/);
  assert.equal(r.catalogue.size, 0, "a request is not a watch");
  r.apply(...written(watch("a", { every: "15m" })));
  r.apply(...written(watch("b", { every: "10m" })));
  assert.deepEqual(r.catalogue.watches().map((w) => w.id), ["a", "b"]);
  // replacing a watch counts it once, against the budget without its old version
  r.apply(...request("p4", watch("b", { every: "5m" }))); // 8 + 24 > 30
  assert.match(
    (r.admission.verdict("p4") as { reason: string }).reason,
    /may fetch 24 pages an hour .* already may fetch 8/,
  );
  r.apply(...request("p5", watch("b", { cron: "*/6 * * * *" }))); // 8 + 20
  assert.deepEqual(r.admission.verdict("p5"), { accepted: true });
  assert.equal(r.admission.verdict("nope"), undefined);
});

test("admission: the budget counts a cron's busiest hour read from its fields, not the weeks ahead", () => {
  const r = reader({ maxWatches: 10, pagesPerHour: 30 });
  r.apply(...request("jan", watch("jan", { cron: "* * * 1 *" }, 1))); // 60 pages an hour, in January
  assert.match((r.admission.verdict("jan") as { reason: string }).reason, /may fetch 60 pages an hour/);
  r.apply(...request("leap", watch("leap", { cron: "0 0 29 2 *" }, 5)));
  assert.deepEqual(r.admission.verdict("leap"), { accepted: true });
});

test("admission: an accepted request whose watch never follows stops counting after a while", () => {
  const r = reader({ maxWatches: 1, pagesPerHour: 100 });
  r.apply(...request("p1", watch("a", { every: "1h" })));
  r.apply(...request("p2", watch("b", { every: "1h" }), AT + 60_000));
  assert.equal(r.admission.verdict("p2")?.accepted, false, "a counts while its writer writes it");
  r.apply(...request("p3", watch("b", { every: "1h" }), AT + 3 * 60_000));
  assert.deepEqual(r.admission.verdict("p3"), { accepted: true }, "a's writer ended before writing it");
});

test("admission: compaction keeps a refused request, never a watch from it", () => {
  const log: Array<[string, string | null]> = [
    request("p1", watch("a", { every: "1h" })),
    written(watch("a", { every: "1h" })),
    request("p2", watch("b", { every: "1h" })), // refused: one watch at most
  ];
  const first = reader({ maxWatches: 1, pagesPerHour: 100 });
  for (const [k, v] of log) first.apply(k, v);
  assert.equal(first.admission.verdict("p2")?.accepted, false);
  // a reader of the compacted topic (every key's last record): the same watches
  const later = reader({ maxWatches: 1, pagesPerHour: 100 });
  for (const [k, v] of log.filter(([key], i) => !log.slice(i + 1).some(([k2]) => k2 === key))) later.apply(k, v);
  assert.deepEqual(later.catalogue.watches(), first.catalogue.watches());
  assert.deepEqual(later.catalogue.watches().map((w) => w.id), ["a"]);
});
