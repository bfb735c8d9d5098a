/**
 * Drift through the real route (edge/scrape-route.ts as a process, the real cluster): each real
 * listing page of ../shared/ml-pages is scraped unaltered until it is the baseline, then with one
 * usual field removed from every card's markup and state, then whole again, then (when it has
 * one) without its embedded state. Exactly one `scraper_drift` per change, naming it; none for
 * the unaltered pages. Between two pages of the same site and view, `edge/cli.ts drift reset`.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { TOPICS } from "../shared/kafka.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { createTestTopic } from "../test/kafka-helpers.ts";
import { type LocalServer, startLocalServer } from "../test/local-server.ts";
import { ML_PAGES_DIR, mlPagesAvailable, mlPagesSkip } from "../test/ml-pages.ts";
import { type RouteProcess, startRouteProcess, waitReady } from "../test/route-process.ts";
import { DRIFT_PAGES, withoutField, withoutState } from "../test/drifted-page.ts";
import { DEFAULT_DRIFT_SETTINGS } from "./scraper/drift.ts";
import { runDriftCli } from "./drift-cli.ts";

const skip = mlPagesSkip;
let served = "";
let pages: LocalServer;
let route: RouteProcess;
let driftTopic: string;

before(async () => {
  if (!mlPagesAvailable) return;
  pages = await startLocalServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(served));
  driftTopic = await createTestTopic("drift", TOPICS.scraperDrift);
  route = await startRouteProcess("bun", {
    KAFKA_BROKERS: integrationEnv.kafkaBrokers,
    OFERTAS_TOPIC: await createTestTopic("drift-offers"),
    OFERTAS_SCRAPER_DRIFT_TOPIC: driftTopic,
    OFERTAS_WATCHES_TOPIC: await createTestTopic("drift-watches", TOPICS.watches),
    OFERTAS_WATCH_RUNS_TOPIC: await createTestTopic("drift-runs", TOPICS.watchRuns),
    OFERTAS_ML_BASE_URL: pages.url,
    OFERTAS_SITES: "MLB,MLM",
    OFERTAS_MIN_INTERVAL_MS: "0",
  });
  assert.equal((await waitReady(route.url)).status, 200);
});
after(async () => {
  await route?.stop();
  await pages?.close();
});

/** The route's log lines of one event, in order. */
const events = (name: string) =>
  route.output().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.event === name);

async function scrape(html: string, site: string, view: string) {
  served = html;
  scrapes++;
  const body = { site, view, ...(view === "search" ? { query: "drift" } : {}) };
  const res = await fetch(`${route.url}/scrape`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await res.json() as { offers: number; coverage: { fields: Record<string, number> } | null };
  assert.equal(res.status, 200, JSON.stringify(answer));
  return answer;
}

let scrapes = 0;

/**
 * Waits for the route's log to hold `count` lines of an event, or, once every scrape's own log
 * line is in (written just after its drift lines), a moment more: stdout and stderr are two pipes.
 */
async function until(name: string, count: number) {
  for (let i = 0; i < 100 && events(name).length < count; i++) {
    if (i >= 4 && events("scrape").length >= scrapes) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return events(name);
}

const keysUsed = new Set<string>();

for (const { page, site, view, field } of DRIFT_PAGES) {
  test(`drift through the route: ${page} as ${site}/${view}, without ${field}, then without its state`, {
    skip,
  }, async () => {
    const html = readFileSync(`${ML_PAGES_DIR}/${page}.html`, "utf8");
    const key = `${site}/${view}`;
    if (keysUsed.has(key)) {
      // another page was this site and view's baseline: the operator's reset, through Kafka
      const resets = events("scraper_drift_reset").length;
      const out: string[] = [];
      const code = await runDriftCli(["reset", key], {
        stdout: (l) => out.push(l),
        stderr: (l) => out.push(l),
        env: { KAFKA_BROKERS: integrationEnv.kafkaBrokers, OFERTAS_SCRAPER_DRIFT_TOPIC: driftTopic },
      });
      assert.equal(code, 0, out.join("\n"));
      assert.equal((await until("scraper_drift_reset", resets + 1)).length, resets + 1, "the route read the reset");
    }
    keysUsed.add(key);
    const before = events("scraper_drift").length;
    const unaltered = withoutField(html, null);
    for (let i = 0; i <= DEFAULT_DRIFT_SETTINGS.minUnits; i++) await scrape(unaltered, site, view);
    assert.equal((await until("scraper_drift", before + 1)).length, before, "no drift for the unaltered page");

    const drifted = await scrape(withoutField(html, field), site, view);
    assert.equal(drifted.coverage?.fields[field], 0, "the answer's coverage shows the field gone");
    const started = (await until("scraper_drift", before + 1)).slice(before);
    assert.deepEqual(started.map((e) => [e.level, e.site, e.view, e.field]), [["error", site, view, field]]);
    assert.equal(started[0]!.now, 0);
    const ready = await (await fetch(`${route.url}/readyz`)).json() as { status: string; scraper_drift?: string[] };
    assert.equal(ready.status, "ready");
    assert.ok(ready.scraper_drift?.some((line) => line.startsWith(`${key} ${field}: 0%`)), JSON.stringify(ready));
    await scrape(withoutField(html, field), site, view);
    await scrape(unaltered, site, view);
    const ended = events("scraper_drift_ended");
    assert.deepEqual([ended.at(-1)?.site, ended.at(-1)?.view, ended.at(-1)?.field], [site, view, field]);

    if (!/id="__(?:NORDIC_RENDERING_CTX|PRELOADED_STATE)__"/.test(html)) {
      assert.equal((await until("scraper_drift", before + 2)).length, before + 1, "one drift for one change");
      return;
    }
    await scrape(withoutState(html), site, view);
    await scrape(withoutState(html), site, view);
    const all = (await until("scraper_drift", before + 2)).slice(before);
    assert.deepEqual(all.map((e) => e.field), [field, "embedded_state"], "one drift per change, none per page");
    await scrape(unaltered, site, view);
    assert.equal(events("scraper_drift_ended").at(-1)?.field, "embedded_state");
  });
}

test("drift through the route: the metrics name site, view and field; the drift topic keeps what the alerter reads", {
  skip,
}, async () => {
  const metrics = await (await fetch(`${route.url}/metrics`)).text();
  assert.match(metrics, /ofertas_scraper_field_cards_total\{field="rating",site="MLB",view="search"\} \d+/);
  assert.match(metrics, /ofertas_scraper_drifts_total\{field="embedded_state",site="MLM",view="search"\} 1/);
  assert.match(metrics, /ofertas_scraper_drifting\{field="brand",site="MLM",view="search"\} 0/);
  const out: string[] = [];
  const code = await runDriftCli(["list"], {
    stdout: (l) => out.push(l),
    stderr: (l) => out.push(l),
    env: { KAFKA_BROKERS: integrationEnv.kafkaBrokers, OFERTAS_SCRAPER_DRIFT_TOPIC: driftTopic },
  });
  assert.equal(code, 0, out.join("\n"));
  const kept = out.map((l) => JSON.parse(l) as { site: string; view: string; baseline_pages: number });
  assert.ok(kept.some((k) => k.site === "MLM" && k.view === "search" && k.baseline_pages >= 5), out.join("\n"));
});
