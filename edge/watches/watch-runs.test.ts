/**
 * The watches' log-order decisions through the route, on the in-memory twins: two writers at
 * once against the limits, run numbers on the offers, a watch deleted while it runs, the host's
 * back-off across watches, and schedules read from their fields.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { type KeyedLog, MemoryKeyedLog } from "../../shared/keyed-log.ts";
import { claimKey } from "../../shared/watch/watch-run.ts";
import { challengeReport, okReport, searchWatch, startProcess, TOPICS } from "../../test/watch-processes.ts";
import type { ScrapeReport } from "./../scraper/scrape-view.ts";
import { WatchStore } from "./watch-store.ts";

const START = Date.parse("2026-12-04T12:00:00Z");
type Runs = Array<{ claim: string; outcome?: string }>;

/** A log whose requests wait until `count` of them are ready: writers that checked the same state at once. */
function gatedAppends(log: KeyedLog, gate: { waiting: Array<() => void>; count: number }): KeyedLog {
  return {
    ...log,
    append: async (topic, key, value) => {
      if (key.startsWith("put/") && value !== null) {
        await new Promise<void>((resolve) => {
          gate.waiting.push(resolve);
          if (gate.waiting.length === gate.count) { for (const go of gate.waiting.splice(0)) go(); }
        });
      }
      return log.append(topic, key, value);
    },
  };
}

test("watch limits: two writers at once cannot both pass OFERTAS_MAX_WATCHES or the budget", async () => {
  const shared = new MemoryKeyedLog();
  const limits = { sites: ["MLB"] as const, maxPages: 5, minPeriodMs: 60_000, runTimeoutMs: 3_600_000 };
  const gate = { waiting: [] as Array<() => void>, count: 2 };
  const store = (maxWatches: number, pagesPerHour: number) =>
    new WatchStore(gatedAppends(shared.reader(), gate), TOPICS, { ...limits, maxWatches, pagesPerHour }, () => START);
  const [a, b] = [store(1, 100), store(1, 100)];
  await Promise.all([a.start(), b.start()]);
  // both check an empty list, then both append: the log decides
  const results = await Promise.all([a.put("one", searchWatch("one")), b.put("two", searchWatch("two"))]);
  assert.deepEqual(results.map((r) => r.ok), [true, false]);
  assert.match(JSON.stringify(results[1]), /already 1 watches.*OFERTAS_MAX_WATCHES/);
  assert.deepEqual(a.list().map((w) => w.id), ["one"]);
  assert.deepEqual(b.list().map((w) => w.id), ["one"], "every reader holds the same watches");

  // the budget: 2 pages × 4 runs an hour each, 12 pages an hour for the host
  const [c, d] = [store(10, 12), store(10, 12)];
  await Promise.all([c.start(), d.start()]);
  await c.remove("one");
  const budget = await Promise.all([c.put("x", searchWatch("x")), d.put("y", searchWatch("y"))]);
  assert.deepEqual(budget.map((r) => r.ok), [true, false]);
  assert.match(JSON.stringify(budget[1]), /may fetch 8 pages an hour .* already may fetch 8, and the budget is 12/);
  assert.deepEqual(d.list().map((w) => w.id), ["x"]);
  // a later store reading the whole log agrees
  const later = new WatchStore(shared.reader(), TOPICS, { ...limits, maxWatches: 10, pagesPerHour: 12 });
  await later.start();
  assert.deepEqual(later.list().map((w) => w.id), ["x"]);
});

test("watch schedules: the cadence of a cron is read from its fields; a year field is refused", async () => {
  const p = await startProcess(new MemoryKeyedLog(), { now: START }, undefined, { minPeriodMs: 5 * 60_000 });
  const put = (period: unknown) => p.call("PUT", "/watches/w", { ...searchWatch(), period });
  // every minute, in January only: in December too that is every minute
  const january = await put({ cron: "* * * 1 *" });
  assert.equal(january.status, 422);
  assert.match(JSON.stringify(january.body), /runs every 1m at its shortest/);
  assert.equal((await put({ every: "1m" })).status, 422);
  const year = await put({ cron: "0 0 12 7 12 * 2026" });
  assert.equal(year.status, 400);
  assert.match(JSON.stringify(year.body), /year field is not supported/);
  assert.equal((await put({ cron: "0 0 29 2 *" })).status, 201);
  assert.equal((await put({ cron: "*/5 * * * *" })).status, 200);
});

test("watch schedules: a stored watch whose schedule has ended is listed with no next run, and deletable", async () => {
  const shared = new MemoryKeyedLog();
  const ended = {
    id: "ended",
    name: "ended",
    target: { site: "MLB", view: "search", query: "x", pages: 1 },
    period: { cron: "0 0 12 7 12 * 2025" }, // written before year fields were refused
    enabled: true,
    created_at: "2025-01-01T00:00:00.000Z",
    updated_at: "2025-01-01T00:00:00.000Z",
  };
  shared.append(TOPICS.watches, "ended", JSON.stringify(ended));
  // its last run, on its last slot
  const slot = "2025-12-07T12:00:00.000Z";
  const identity = { watch_id: "ended", watch_created_at: ended.created_at, slot, tick_id: "t" };
  const host = { host: "lista.mercadolivre.com.br" };
  shared.append(
    TOPICS.runs,
    claimKey("ended"),
    JSON.stringify({ type: "claim", ...identity, ...host, at: slot, pages: 1 }),
  );
  shared.append(
    TOPICS.runs,
    "ended",
    JSON.stringify({
      type: "run",
      ...identity,
      ...host,
      started_at: slot,
      finished_at: slot,
      outcome: "ok",
      scrape_id: null,
      pages_fetched: 1,
      offers: 0,
      produced: 0,
      invalid: 0,
      errors: [],
      run: 1,
      failures: 0,
      backoff_until: null,
    }),
  );
  const p = await startProcess(shared, { now: START });
  const got = await p.call("GET", "/watches/ended");
  assert.equal(got.status, 200);
  assert.equal((got.body.status as { next_run: unknown }).next_run, null);
  assert.equal((await p.call("POST", "/watches/tick")).body.due, 0);
  assert.equal((await p.call("DELETE", "/watches/ended")).status, 200);
  assert.equal((await p.call("GET", "/watches/ended")).status, 404);
});

test("watch runs: each offer carries its run's number; a run whose end was never recorded leaves it to the next", async () => {
  const shared = new MemoryKeyedLog();
  const clock = { now: START };
  let crash = false;
  const p = await startProcess(shared, clock, () => {
    if (crash) throw new Error("parser bug");
    return okReport();
  });
  await p.call("PUT", "/watches/w", searchWatch("x", "15m"));
  const tickAt = async (ms: number) => {
    clock.now = ms;
    return ((await p.call("POST", "/watches/tick")).body.runs as Runs).map((r) => r.outcome);
  };
  assert.deepEqual(await tickAt(START), ["ok"]);
  assert.deepEqual(await tickAt(START + 15 * 60_000), ["ok"]);
  assert.deepEqual(p.producer.sent.map((m) => [m.watch_id, m.watch_run]), [["w", 1], ["w", 2]]);
  const status = async () => (await p.call("GET", "/watches/w")).body.status as { last_run: { run: number } };
  assert.equal((await status()).last_run.run, 2, "the run record has the offers' number");
  // a scrape that throws is a recorded run (crashed): the next one goes on counting
  crash = true;
  assert.deepEqual(await tickAt(START + 30 * 60_000), ["crashed"]);
  crash = false;
  assert.equal((await status()).last_run.run, 3);
  // a claim that won and never recorded its run (its process ended) leaves the number to the next
  const watch = p.store.book.watch("w")!;
  const slot = START + 45 * 60_000;
  shared.append(
    TOPICS.runs,
    claimKey("w"),
    JSON.stringify({
      type: "claim",
      watch_id: "w",
      watch_created_at: watch.created_at,
      slot: new Date(slot).toISOString(),
      tick_id: "gone",
      at: new Date(slot).toISOString(),
      host: "lista.mercadolivre.com.br",
      pages: 2,
      run: 4,
    }),
  );
  clock.now = slot + 60_000;
  const running = ((await p.call("GET", "/watches/w")).body.status as { running: string | null }).running;
  assert.equal(running, new Date(slot).toISOString(), "its claim won: it runs");
  assert.deepEqual(await tickAt(START + 61 * 60_000), [], "under way until the run timeout");
  assert.deepEqual(await tickAt(START + 106 * 60_000), ["ok"]);
  assert.equal(p.producer.sent.at(-1)!.watch_run, 4);
});

test("watch runs: a watch deleted while it runs gets no run; created again, it starts afresh", async () => {
  const shared = new MemoryKeyedLog();
  const clock = { now: START };
  let release: (report: ScrapeReport) => void = () => {};
  let hold = false;
  const p = await startProcess(
    shared,
    clock,
    () => (hold ? new Promise<ScrapeReport>((r) => (release = r)) : okReport()),
  );
  await p.call("PUT", "/watches/w", searchWatch("x", "15m"));
  await p.call("POST", "/watches/tick");
  hold = true;
  clock.now += 15 * 60_000;
  const ticking = p.call("POST", "/watches/tick");
  await new Promise((r) => setTimeout(r, 10));
  assert.equal((await p.call("DELETE", "/watches/w")).status, 200);
  clock.now += 60_000;
  assert.equal((await p.call("PUT", "/watches/w", searchWatch("x", "15m"))).status, 201);
  release(okReport());
  await ticking;
  const runs = shared.records.get(TOPICS.runs)!.filter((r) => r.value && JSON.parse(r.value).type === "run");
  assert.equal(runs.length, 1, "the run of the deleted watch was not recorded");
  const status = (await p.call("GET", "/watches/w")).body.status as { last_run: unknown; next_run: string };
  assert.equal(status.last_run, null, "the new watch has no history");
  hold = false;
  await p.call("POST", "/watches/tick");
  assert.equal(p.producer.sent.at(-1)!.watch_run, 1, "its first run is run 1");
});

test("watch back-off: a challenge backs the host off for every watch on it, not for other hosts", async () => {
  const clock = { now: START };
  const p = await startProcess(
    new MemoryKeyedLog(),
    clock,
    (request) => (request.query === "blocked" ? challengeReport() : okReport()),
  );
  await p.call("PUT", "/watches/blocked", searchWatch("blocked", "5m"));
  await p.call("POST", "/watches/tick"); // a challenge on lista.mercadolivre.com.br
  await p.call("PUT", "/watches/same-host", searchWatch("other", "5m"));
  await p.call("PUT", "/watches/deals", { target: { site: "MLB", view: "all" }, period: { every: "5m" } });
  clock.now += 6 * 60_000; // a new slot, the host still backing off (10 min)
  const ran = ((await p.call("POST", "/watches/tick")).body.runs as Array<{ watch_id: string }>).map((r) => r.watch_id);
  assert.deepEqual(ran, ["deals"], "only the watch of another host runs");
  const status = (await p.call("GET", "/watches/same-host")).body.status as Record<string, unknown>;
  assert.equal(status.failures, 1);
  assert.equal(status.host, "lista.mercadolivre.com.br");
  assert.equal(status.backoff_until, "2026-12-04T12:10:00.000Z");
  assert.equal(status.next_run, "2026-12-04T12:10:00.000Z");
  assert.equal(status.backoff_reason, "challenge: proof of work");
  assert.equal(((await p.call("GET", "/watches/deals")).body.status as { failures: number }).failures, 0);
});
