/**
 * The watches' API and clock on the in-memory twins (a MemoryKeyedLog shared by several
 * "processes", the MemoryProducer): validation, limits, the budget, claims under concurrent
 * ticks and restarts, back-off. What lands on the real topics is in watches.int.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { MemoryKeyedLog } from "../../shared/keyed-log.ts";
import { challengeReport, okReport, searchWatch, startProcess, TOKEN, TOPICS } from "../../test/watch-processes.ts";
import { createApp } from "../app.ts";
import { createRouteMetrics } from "../route-metrics.ts";
import { WatchStore } from "./watch-store.ts";

test("watches: each bad field of a watch gets its own 400 reason", async () => {
  const p = await startProcess(new MemoryKeyedLog(), { now: Date.parse("2026-12-04T12:00:00Z") });
  const cases: Array<[string, unknown, RegExp]> = [
    ["bad id!", searchWatch(), /id must be 1-64 lower-case/],
    ["w", "{nope", /malformed JSON/],
    ["w", [], /a watch must be a JSON object/],
    ["w", { period: { every: "15m" } }, /target: is required/],
    ["w", { target: searchWatch().target }, /period: is required/],
    ["w", { ...searchWatch(), color: "red" }, /color: unknown field/],
    ["w", { ...searchWatch(), name: "" }, /name must not be empty/],
    ["w", { ...searchWatch(), name: "x".repeat(101) }, /name must be at most 100/],
    ["w", { ...searchWatch(), enabled: "yes" }, /enabled must be true or false/],
    [
      "w",
      { ...searchWatch(), target: { ...searchWatch().target, site: "XXX" } },
      /target.site: unknown site code "XXX"/,
    ],
    [
      "w",
      { ...searchWatch(), target: { ...searchWatch().target, site: "MLA" } },
      /target.site must be one of MLB, MLM/,
    ],
    ["w", { ...searchWatch(), target: { ...searchWatch().target, view: "hot" } }, /view must be one of/],
    ["w", { ...searchWatch(), target: { ...searchWatch().target, pages: 0 } }, /pages must be from 1 to 20/],
    ["w", { ...searchWatch(), target: { ...searchWatch().target, pages: 9 } }, /target.pages must be at most 5/],
    ["w", { ...searchWatch(), target: { ...searchWatch().target, query: "a/../b" } }, /target.query may hold only/],
    ["w", { ...searchWatch(), target: { site: "MLB", view: "search" } }, /target: the search view needs a query/],
    ["w", { ...searchWatch(), target: { ...searchWatch().target, price_min: 9 } }, /price range needs price_max/],
    ["w", { ...searchWatch(), target: { ...searchWatch().target, category: "MLB1" } }, /category is only for/],
    ["w", { ...searchWatch(), target: { site: "MLB", view: "item", item: "MLM123456" } }, /item id of site MLB/],
    [
      "w",
      { ...searchWatch(), target: { site: "MLB", view: "item", item: "https://evil.example/MLB-1234567-_JM" } },
      /https URL on/,
    ],
    ["w", { ...searchWatch(), period: { every: "soon" } }, /period.every must be a duration/],
    ["w", { ...searchWatch(), period: {} }, /exactly one of every or cron/],
    ["w", { ...searchWatch(), period: { every: "1h", cron: "0 * * * *" } }, /exactly one of every or cron/],
    ["w", { ...searchWatch(), period: { cron: "61 * * * *" } }, /period.cron: Invalid value for minute/],
    ["w", { ...searchWatch(), period: { cron: "0 9 * * *", time_zone: "Mars/Olympus" } }, /IANA time zone/],
    ["w", { ...searchWatch(), period: { every: "1h", time_zone: "UTC" } }, /time_zone is only for cron/],
  ];
  for (const [id, body, expected] of cases) {
    const res = await p.call("PUT", `/watches/${encodeURIComponent(id)}`, body);
    assert.equal(res.status, 400, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
    const said = [res.body.error, ...((res.body.details as string[] | undefined) ?? [])].join("\n");
    assert.match(said, expected, said);
  }
  assert.equal(p.store.book.size, 0, "nothing was stored");
});

test("watches: the deployment's bounds are 422 with what to change", async () => {
  const p = await startProcess(new MemoryKeyedLog(), { now: Date.parse("2026-12-04T12:00:00Z") }, undefined, {
    pagesPerHour: 20,
    maxWatches: 2,
    minPeriodMs: 5 * 60_000,
  });
  const tooOften = await p.call("PUT", "/watches/often", searchWatch("a", "1m"));
  assert.equal(tooOften.status, 422);
  assert.match(JSON.stringify(tooOften.body), /runs every 1m at its shortest; the shortest allowed is 5m/);
  const cronTooOften = await p.call("PUT", "/watches/often", { ...searchWatch(), period: { cron: "*/2 * * * *" } });
  assert.equal(cronTooOften.status, 422);

  // 2 pages × 4 runs an hour = 8 pages an hour of lista.mercadolivre.com.br each
  assert.equal((await p.call("PUT", "/watches/a", searchWatch("a"))).status, 201);
  assert.equal((await p.call("PUT", "/watches/b", searchWatch("b"))).status, 201);
  const third = await p.call("PUT", "/watches/c", searchWatch("c"));
  assert.equal(third.status, 422);
  assert.match(JSON.stringify(third.body), /already 2 watches/);
  // replacing a watch does not count it twice, but the budget still holds: 8 + 16 > 20
  const more = await p.call("PUT", "/watches/b", {
    ...searchWatch("b"),
    target: { ...searchWatch("b").target, pages: 4 },
  });
  assert.equal(more.status, 422);
  assert.match(
    JSON.stringify(more.body),
    /may fetch 16 pages an hour from lista\.mercadolivre\.com\.br; the other watches already may fetch 8, and the budget is 20/,
  );
  // another host has a budget of its own; a disabled watch needs none
  const deals = {
    name: "deals",
    target: { site: "MLB", view: "all", pages: 5 },
    period: { every: "5m" },
    enabled: false,
  };
  assert.equal((await p.call("PUT", "/watches/b", deals)).status, 200);
});

test("watches: put, get, list and delete through the API", async () => {
  const clock = { now: Date.parse("2026-12-04T12:00:00Z") };
  const p = await startProcess(new MemoryKeyedLog(), clock);
  const created = await p.call("PUT", "/watches/iphone", searchWatch());
  assert.equal(created.status, 201);
  assert.equal(created.body.name, "search iphone 15");
  assert.deepEqual(created.body.target, { site: "MLB", view: "search", query: "iphone 15", pages: 2 });
  assert.equal((created.body.status as { next_run: string }).next_run, "2026-12-04T12:00:00.000Z", "due at once");
  clock.now += 60_000;
  const replaced = await p.call("PUT", "/watches/iphone", { ...searchWatch(), enabled: false });
  assert.equal(replaced.status, 200);
  assert.equal(replaced.body.created_at, created.body.created_at);
  assert.notEqual(replaced.body.updated_at, created.body.updated_at);
  assert.equal((replaced.body.status as { next_run: unknown }).next_run, null, "disabled: no next run");
  const item = await p.call("PUT", "/watches/drill", {
    target: { site: "MLB", view: "item", item: "MLB1234567890" },
    period: { cron: "0 9 * * *", time_zone: "America/Sao_Paulo" },
  });
  assert.equal(item.status, 201);
  assert.equal(item.body.name, "MLB item MLB1234567890");
  const list = await p.call("GET", "/watches");
  assert.deepEqual((list.body.watches as Array<{ id: string }>).map((w) => w.id), ["drill", "iphone"]);
  assert.equal((await p.call("GET", "/watches/nope")).status, 404);
  assert.equal((await p.call("DELETE", "/watches/iphone")).status, 200);
  assert.equal((await p.call("DELETE", "/watches/iphone")).status, 404);
  assert.equal((await p.call("GET", "/watches/iphone")).status, 404);
});

test("watches: a tick runs each due watch once per slot, with the watch's id on its offers", async () => {
  const clock = { now: Date.parse("2026-12-04T12:00:00Z") };
  const p = await startProcess(new MemoryKeyedLog(), clock);
  await p.call("PUT", "/watches/iphone", searchWatch());
  const first = await p.call("POST", "/watches/tick");
  assert.equal(first.status, 200);
  assert.deepEqual((first.body.runs as Array<{ claim: string; outcome: string }>).map((r) => [r.claim, r.outcome]), [[
    "won",
    "ok",
  ]]);
  assert.deepEqual(p.scraped, [{
    site: "MLB",
    view: "search",
    pages: 2,
    query: "iphone 15",
    category: undefined,
    price_min: undefined,
    price_max: undefined,
    item: undefined,
  }]);
  assert.equal(p.producer.sent.length, 1);
  assert.equal(p.producer.sent[0]!.watch_id, "iphone");
  // the same slot again: nothing
  clock.now += 60_000;
  assert.equal(((await p.call("POST", "/watches/tick")).body.runs as unknown[]).length, 0);
  assert.equal(p.scraped.length, 1);
  // the status says what happened and when it runs next
  const status = (await p.call("GET", "/watches/iphone")).body.status as Record<string, unknown>;
  assert.equal((status.last_run as { outcome: string; produced: number }).outcome, "ok");
  assert.equal((status.last_run as { produced: number }).produced, 1);
  const coverage = (status.last_run as { coverage: { cards: number; state: string; fields: Record<string, number> } })
    .coverage;
  assert.deepEqual([coverage.cards, coverage.state, coverage.fields.title], [1, "nordic_ctx", 1], "kept with the run");
  const next = Date.parse(status.next_run as string);
  assert.ok(next > clock.now && next <= clock.now + 15 * 60_000, String(status.next_run));
  // the next slot
  clock.now = next;
  await p.call("POST", "/watches/tick");
  assert.equal(p.scraped.length, 2);
});

test("watches: two ticks at once, on two processes, run a watch once; so does a restart", async () => {
  const shared = new MemoryKeyedLog();
  const clock = { now: Date.parse("2026-12-04T12:00:00Z") };
  const a = await startProcess(shared, clock);
  const b = await startProcess(shared, clock);
  for (let i = 0; i < 4; i++) await a.call("PUT", `/watches/w${i}`, searchWatch(`q${i}`));
  const [ta, tb] = await Promise.all([a.call("POST", "/watches/tick"), b.call("POST", "/watches/tick")]);
  const won = [ta, tb].flatMap((t) => (t.body.runs as Array<{ watch_id: string; claim: string }>))
    .filter((r) => r.claim === "won").map((r) => r.watch_id).sort();
  assert.deepEqual(won, ["w0", "w1", "w2", "w3"], "every watch won exactly once");
  assert.equal(a.scraped.length + b.scraped.length, 4);
  // the log holds the losing claims too: every reader decided the same way
  const claims = shared.records.get("r")!.map((r) => JSON.parse(r.value!)).filter((r) => r.type === "claim");
  assert.ok(claims.length >= 4);
  // a restarted process reads the log and runs nothing again in these slots
  const c = await startProcess(shared, clock);
  assert.equal(((await c.call("POST", "/watches/tick")).body.runs as unknown[]).length, 0);
  assert.equal(c.scraped.length, 0);
  // a retried tick on the same process: nothing either
  assert.equal(((await a.call("POST", "/watches/tick")).body.runs as unknown[]).length, 0);
});

test("watches: the budget holds even when two processes claim at once", async () => {
  const shared = new MemoryKeyedLog();
  const clock = { now: Date.parse("2026-12-04T12:00:00Z") };
  // 2 pages a run; 5 pages an hour per host: two runs fit, a third does not
  const a = await startProcess(shared, clock, undefined, { pagesPerHour: 100 });
  for (let i = 0; i < 3; i++) await a.call("PUT", `/watches/w${i}`, searchWatch(`q${i}`, "1h"));
  const x = await startProcess(shared, clock, undefined, { pagesPerHour: 5 });
  const y = await startProcess(shared, clock, undefined, { pagesPerHour: 5 });
  await Promise.all([x.call("POST", "/watches/tick"), y.call("POST", "/watches/tick")]);
  assert.equal(x.scraped.length + y.scraped.length, 2, "two runs of 2 pages fit in 5 pages an hour, not three");
  clock.now += 10 * 60_000;
  await Promise.all([x.call("POST", "/watches/tick"), y.call("POST", "/watches/tick")]);
  assert.equal(x.scraped.length + y.scraped.length, 2, "still within the hour");
  clock.now += 51 * 60_000;
  await x.call("POST", "/watches/tick");
  assert.ok(x.scraped.length + y.scraped.length >= 3, "an hour later the budget has room again");
});

test("watches: a challenge page backs the watch off, doubling, and it says so", async () => {
  const clock = { now: Date.parse("2026-12-04T12:00:00Z") };
  let blocked = true;
  const p = await startProcess(new MemoryKeyedLog(), clock, () => (blocked ? challengeReport() : okReport()));
  await p.call("PUT", "/watches/w", searchWatch("x", "5m"));
  const tick = await p.call("POST", "/watches/tick");
  assert.equal((tick.body.runs as Array<{ outcome: string }>)[0]!.outcome, "challenge");
  let status = (await p.call("GET", "/watches/w")).body.status as Record<string, unknown>;
  assert.equal(status.failures, 1);
  assert.equal(status.backoff_until, "2026-12-04T12:10:00.000Z");
  assert.equal(status.next_run, "2026-12-04T12:10:00.000Z", "the next run waits for the back-off");
  clock.now += 6 * 60_000; // a new slot, still backing off
  assert.equal(((await p.call("POST", "/watches/tick")).body.runs as unknown[]).length, 0);
  clock.now = Date.parse("2026-12-04T12:10:00Z");
  await p.call("POST", "/watches/tick");
  status = (await p.call("GET", "/watches/w")).body.status as Record<string, unknown>;
  assert.equal(status.failures, 2);
  assert.equal(status.backoff_until, "2026-12-04T12:30:00.000Z", "twice as long");
  blocked = false;
  clock.now = Date.parse("2026-12-04T12:30:00Z");
  await p.call("POST", "/watches/tick");
  status = (await p.call("GET", "/watches/w")).body.status as Record<string, unknown>;
  assert.equal(status.failures, 0);
  assert.equal(status.backoff_until, null);
  assert.equal((status.last_run as { outcome: string }).outcome, "ok");
});

test("watches: a store still loading answers 503, never an empty list", async () => {
  const clock = { now: Date.now() };
  const p = await startProcess(new MemoryKeyedLog(), clock);
  const loading = new WatchStore(new MemoryKeyedLog().reader(), TOPICS, {
    sites: ["MLB"],
    maxPages: 5,
    maxWatches: 1,
    minPeriodMs: 1,
    pagesPerHour: 1,
    runTimeoutMs: 1,
  });
  assert.equal(loading.ready, false);
  assert.equal((await p.call("GET", "/watches")).status, 200);
  const app = createApp({
    producer: p.producer,
    metrics: createRouteMetrics(),
    scrape: () => Promise.resolve(okReport()),
    watches: { store: loading, ticker: p.ticker },
    config: { token: TOKEN, maxBodyBytes: 1024, sites: ["MLB"], maxPages: 5 },
  });
  const res = await app.fetch(new Request("http://route/watches", { headers: { authorization: `Bearer ${TOKEN}` } }));
  assert.equal(res.status, 503);
  const unauthorized = await app.fetch(new Request("http://route/watches"));
  assert.equal(unauthorized.status, 401);
});
