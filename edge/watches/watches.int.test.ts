/**
 * Watches on the real cluster: the real route (`edge/scrape-route.ts`, its own clock ticking every
 * second) and the real consumer, saved pages served locally. A search watch and a deals watch with
 * periods of seconds run on their own and their offers reach `daily_offers` with their watch_id;
 * an item watch produces the item's observation from a saved product page; a watch whose page is a
 * challenge backs its host off (on a host of its own, another site's, so the others run on) and
 * says so; a route restart, a second instance on the same topics and ticks sent to both at once
 * (beside their own clocks) run no watch twice in a slot, read from the runs topic and the offers
 * topic themselves, which every offer's run number (`watch_run`) matches.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { indexPages, indexProductPages, indexSearchPages, replayHandler } from "../../scripts/replay-server.ts";
import { TOPICS } from "../../shared/kafka.ts";
import { type RunningServer, serve } from "../../shared/serve.ts";
import { LOCAL_DATABASE_FILE } from "../../shared/warehouse-settings.ts";
import {
  consumerEnv,
  type ConsumerProcess,
  createConsumerTopics,
  startConsumerProcess,
  waitFor,
} from "../../test/consumer-helpers.ts";
import { integrationEnv } from "../../test/integration-env.ts";
import { createTestTopic, readTopic } from "../../test/kafka-helpers.ts";
import { WatchBook } from "../../shared/watch/watch-book.ts";
import { CLAIM_KEY_PREFIX } from "../../shared/watch/watch-run.ts";
import { type RouteProcess, startRouteProcess, waitReady } from "../../test/route-process.ts";

const FIXTURES = new URL("../scraper/fixtures/", import.meta.url).pathname;
const TOKEN = "watches-token-0123456789";
const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };

let site: RunningServer;
let root: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), "ofertas-watches-"));
  const challenge = readFileSync(`${FIXTURES}challenge-micro-landing.html`, "utf8");
  const replay = replayHandler(indexPages(FIXTURES), indexProductPages(FIXTURES), indexSearchPages(FIXTURES));
  // the saved pages, and a search the site answers with its JS challenge
  site = serve(
    (request) =>
      new URL(request.url).pathname.startsWith("/bloqueio")
        ? new Response(challenge, { headers: { "content-type": "text/html" } })
        : replay(request),
    { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 1024 },
  );
});

after(async () => {
  await site?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function rowsByWatch(): Promise<
  Array<{ watch_id: string; watch_run: number | null; item_id: string; position: number | null; n: number }>
> {
  try {
    const db = await DuckDBInstance.create(join(root, LOCAL_DATABASE_FILE), { access_mode: "READ_ONLY" });
    const c = await db.connect();
    try {
      const rows = (await c.runAndReadAll(
        `SELECT watch_id, watch_run, item_id, position, count(*) AS n FROM daily_offers WHERE watch_id IS NOT NULL
         GROUP BY ALL ORDER BY ALL`,
      )).getRowObjectsJson();
      return rows.map((r) => ({
        watch_id: String(r.watch_id),
        watch_run: r.watch_run === null ? null : Number(r.watch_run),
        item_id: String(r.item_id),
        position: r.position === null ? null : Number(r.position),
        n: Number(r.n),
      }));
    } finally {
      c.closeSync();
      db.closeSync();
    }
  } catch {
    return []; // no file yet, or the consumer holds it for a moment
  }
}

test("watches on the real cluster: they run on their own, once per slot, through restarts and concurrent ticks", {
  timeout: 240_000,
}, async () => {
  const offers = await createConsumerTopics("watches");
  const [watchesTopic, runsTopic] = [
    await createTestTopic("watches", TOPICS.watches),
    await createTestTopic("watch-runs", TOPICS.watchRuns),
  ];
  const routeEnv = {
    KAFKA_BROKERS: integrationEnv.kafkaBrokers,
    OFERTAS_TOPIC: offers.topic,
    OFERTAS_WATCHES_TOPIC: watchesTopic,
    OFERTAS_WATCH_RUNS_TOPIC: runsTopic,
    OFERTAS_TOKEN: TOKEN,
    OFERTAS_ML_BASE_URL: `http://127.0.0.1:${site.port}`,
    OFERTAS_MIN_INTERVAL_MS: "0",
    OFERTAS_WATCH_TICK_EVERY: "1s",
    OFERTAS_WATCH_MIN_PERIOD: "1s",
    OFERTAS_WATCH_BACKOFF_BASE: "40s",
    OFERTAS_WATCH_PAGES_PER_HOUR: "3600",
  };
  let route: RouteProcess = await startRouteProcess("bun", routeEnv);
  const consumer: ConsumerProcess = startConsumerProcess(
    consumerEnv(offers, { OFERTAS_LOCAL_DIR: root, OFERTAS_BATCH_INTERVAL_MS: "1000" }),
  );
  let second: RouteProcess | null = null;
  const call = async (method: string, path: string, body?: unknown, to: RouteProcess = route) => {
    const res = await fetch(`${to.url}${path}`, {
      method,
      headers: auth,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() as Record<string, unknown> };
  };
  try {
    assert.equal((await waitReady(route.url)).status, 200);
    await waitFor("the watches to load", () => call("GET", "/watches"), (r) => r.status === 200, 30_000);
    const watches: Record<string, unknown> = {
      caneta: { target: { site: "MLB", view: "search", query: "caneta azul", pages: 2 }, period: { every: "4s" } },
      deals: { target: { site: "MLB", view: "all", pages: 1 }, period: { every: "4s" } },
      drill: { target: { site: "MLB", view: "item", item: "MLB1234567890" }, period: { every: "1h" } },
      // on a host of its own (MLA's searches): its host's back-off holds up no other watch here
      blocked: { target: { site: "MLA", view: "search", query: "bloqueio" }, period: { every: "2s" } },
    };
    for (const [id, watch] of Object.entries(watches)) {
      const put = await call("PUT", `/watches/${id}`, watch);
      assert.equal(put.status, 201, JSON.stringify(put.body));
    }

    // they run on their own, and what they find reaches the warehouse with their id
    const found = await waitFor(
      "the watches' offers in daily_offers",
      rowsByWatch,
      (rows) => ["caneta", "deals", "drill"].every((w) => rows.some((r) => r.watch_id === w)),
      90_000,
    );
    const drill = found.filter((r) => r.watch_id === "drill");
    assert.deepEqual(
      drill.map((r) => [r.item_id, r.position, r.watch_run]),
      [["MLB1234567890", null, 1]],
      "one observation, no position, from the watch's first run",
    );

    // the challenged watch backs off and says so
    const blocked = await waitFor(
      "the blocked watch to back off",
      () => call("GET", "/watches/blocked"),
      (r) => (r.body.status as { backoff_until: string | null }).backoff_until !== null,
      30_000,
    );
    const status = blocked.body.status as {
      failures: number;
      host: string;
      last_run: { outcome: string; errors: unknown[] };
    };
    assert.equal(status.last_run.outcome, "challenge");
    assert.ok(status.failures >= 1);
    assert.equal(status.host, "listado.mercadolibre.com.ar");

    // a restart of the route in the middle of it all
    assert.equal(await route.stop(), 0, route.output());
    route = await startRouteProcess("bun", routeEnv);
    await waitFor("the watches to load again", () => call("GET", "/watches"), (r) => r.status === 200, 30_000);
    const listed = (await call("GET", "/watches")).body.watches as Array<{ id: string }>;
    assert.deepEqual(listed.map((w) => w.id), ["blocked", "caneta", "deals", "drill"], "the watches survived it");
    // a second instance on the same topics (two Cloud Run instances), both ticking on their own,
    // and ticks sent to both at the same moment, twice each
    second = await startRouteProcess("bun", routeEnv);
    await waitFor(
      "the second instance to load",
      () => call("GET", "/watches", undefined, second!),
      (r) => r.status === 200,
      30_000,
    );
    for (let i = 0; i < 4; i++) {
      await Promise.all([route, second, route, second].map((r) => call("POST", "/watches/tick", undefined, r)));
      await new Promise((r) => setTimeout(r, 1_000));
    }
    await waitFor(
      "more runs after the restart",
      rowsByWatch,
      (rows) =>
        rows.filter((r) => r.watch_id === "caneta").reduce((n, r) => n + r.n, 0) >
          found.filter((r) => r.watch_id === "caneta").reduce((n, r) => n + r.n, 0),
      60_000,
    );
  } finally {
    await Promise.all([route.stop(), second?.stop()]);
    await consumer.stop();
  }

  // the runs topic: claims under claim/<id>, runs under <id>; one run per (watch, slot), by the
  // claim every reader of the topic decides won that slot
  const read = await readTopic(runsTopic, () => false, 5_000);
  const records = read.map((m) => ({ key: m.key, ...JSON.parse(m.value!) }));
  const claims = records.filter((r) => r.type === "claim");
  const runs = records.filter((r) => r.type === "run");
  assert.ok(claims.every((c) => c.key === `${CLAIM_KEY_PREFIX}${c.watch_id}`), "claims on their own key");
  assert.ok(runs.every((r) => r.key === r.watch_id), "runs on the watch's key");
  const perSlot = new Map<string, number>();
  for (const run of runs) {
    perSlot.set(`${run.watch_id}@${run.slot}`, (perSlot.get(`${run.watch_id}@${run.slot}`) ?? 0) + 1);
  }
  assert.deepEqual([...perSlot].filter(([, n]) => n > 1), [], "no watch ran twice in a slot");
  const book = new WatchBook({ pagesPerHourPerHost: 3600, runTimeoutMs: 30 * 60_000 });
  for (const m of read) book.applyRun(m.key ?? "", m.value);
  for (const run of runs) {
    const verdict = book.ledger.arbiter.verdict(run.tick_id, run.watch_id, Date.parse(run.slot));
    assert.equal(verdict, "won", `${run.watch_id}@${run.slot} ran for the claim that won its slot`);
  }
  // each watch's runs are numbered 1, 2, 3… in log order
  for (const id of ["caneta", "deals", "drill", "blocked"]) {
    const numbers = runs.filter((r) => r.watch_id === id).map((r) => r.run);
    assert.deepEqual(numbers, numbers.map((_, i) => i + 1), `${id}'s runs are numbered in order`);
  }
  // how often the two instances met on one slot (a figure, not a condition: it depends on timing)
  console.log(`  ${claims.length} claims, ${runs.length} runs, ${claims.length - runs.length} claims that did not run`);
  // at least one run before the restart and one after it (the waits above); more depends on timing
  assert.ok(runs.filter((r) => r.watch_id === "caneta").length >= 2);
  assert.equal(runs.filter((r) => r.watch_id === "drill").length, 1, "an hourly watch ran once");
  // the challenged watch: each run after its host's previous back-off ended, the wait doubling
  const challenged = runs.filter((r) => r.watch_id === "blocked");
  for (let i = 1; i < challenged.length; i++) {
    assert.ok(challenged[i].started_at >= challenged[i - 1].backoff_until, "no run during a back-off");
    assert.equal(challenged[i].failures, challenged[i - 1].failures + 1);
    assert.equal(challenged[i].host, "listado.mercadolibre.com.ar");
  }
  // the offers topic: every produced offer belongs to a recorded run of its watch, scrapes never repeat
  const messages = (await readTopic(offers.topic, () => false, 5_000)).map((m) => JSON.parse(m.value!));
  const runScrapes = new Map(runs.map((r) => [r.scrape_id, r]));
  for (const m of messages) {
    const run = runScrapes.get(m.scrape_id);
    assert.ok(run, `offer of scrape ${m.scrape_id} belongs to a recorded run`);
    assert.equal(m.watch_id, run.watch_id);
    assert.equal(m.watch_run, run.run, "the offer carries the number of the run that found it");
  }
  const produced = runs.reduce((n, r) => n + r.produced, 0);
  assert.equal(messages.length, produced, "the topic holds exactly what the runs say they produced");
});
