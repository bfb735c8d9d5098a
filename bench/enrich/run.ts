/**
 * Benchmark (not a test): what product details add to a scrape. The scrape route (a process)
 * scrapes a saved real deals page served locally, N times, first with no enricher running,
 * then with the enricher (in this process) fetching and parsing saved real product pages for
 * the same offers at the same time. Prints the scrape answer time (median, p95) of both phases,
 * the difference, and how many product pages the enricher fetched meanwhile; once with the
 * enricher's production pace (1 page/s per host) and once unthrottled (the worst case).
 * A scrape never waits for details by design; what remains is sharing the CPU.
 *
 *   scripts/kafka-local start && bun run bench/enrich/run.ts [scrapes, default 30]
 *
 * Needs ../shared/ml-pages (or OFERTAS_ML_PAGES) and KAFKA_BROKERS (default: the local cluster).
 * The enricher keeps OFERTAS_MIN_INTERVAL_MS (default 1000) between product pages, like
 * production; the route's interval is 0 here so that N scrapes take N answers, not N seconds.
 */
import process from "node:process";
import { indexPages, indexProductPages, replayHandler } from "../../scripts/replay-server.ts";
import { startEnricher } from "../../enrich/enricher.ts";
import { TOPICS } from "../../shared/kafka.ts";
import { serve } from "../../shared/serve.ts";
import { createTestTopic } from "../../test/kafka-helpers.ts";
import { startRouteProcess, waitReady } from "../../test/route-process.ts";

const SCRAPES = Number(process.argv[2] ?? 30);
const PAGES = process.env.OFERTAS_ML_PAGES ?? new URL("../../../shared/ml-pages", import.meta.url).pathname;
const brokers = process.env.KAFKA_BROKERS ?? "127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096";

let productFetches = 0;
const handler = replayHandler(indexPages(PAGES), indexProductPages(PAGES));
const replay = serve((request) => {
  if (new URL(request.url).pathname !== "/ofertas") productFetches++;
  return handler(request);
}, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 1024 });

const [offers, details] = await Promise.all([
  createTestTopic("bench-enrich-offers"),
  createTestTopic("bench-enrich-details", TOPICS.details),
]);
const env = {
  KAFKA_BROKERS: brokers,
  OFERTAS_TOPIC: offers,
  OFERTAS_DETAILS_TOPIC: details,
  OFERTAS_ML_BASE_URL: `http://127.0.0.1:${replay.port}`,
  KAFKA_LOG_LEVEL: "WARN",
};
const route = await startRouteProcess("bun", { ...env, OFERTAS_MIN_INTERVAL_MS: "0" });
await waitReady(route.url);

async function scrapes(n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(`${route.url}/scrape`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"site":"MLB","pages":1}',
    });
    if (res.status !== 200) throw new Error(`scrape answered ${res.status}: ${await res.text()}`);
    await res.body?.cancel();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

const stats = (times: number[]) => ({
  ms_median: Number(times[Math.floor(times.length / 2)]!.toFixed(1)),
  ms_p95: Number(times[Math.floor(times.length * 0.95)]!.toFixed(1)),
});

async function withEnricher(phase: string, minIntervalMs: string, detailsTopic: string) {
  const enricher = await startEnricher({
    ...env,
    OFERTAS_DETAILS_TOPIC: detailsTopic,
    OFERTAS_MIN_INTERVAL_MS: minIntervalMs,
    OFERTAS_ENRICHER_GROUP: `bench-enrich-${Date.now()}`,
    OFERTAS_DETAILS_PER_SCRAPE: "20",
  });
  await enricher.joined;
  const before = productFetches;
  const times = stats(await scrapes(SCRAPES));
  console.log(JSON.stringify({ phase, scrapes: SCRAPES, ...times, product_pages_fetched: productFetches - before }));
  await enricher.stop();
  return times;
}

try {
  await scrapes(3); // warm-up (JIT, producer session)
  const without = stats(await scrapes(SCRAPES));
  console.log(JSON.stringify({ phase: "no enricher", scrapes: SCRAPES, ...without }));
  const polite = await withEnricher("enricher running, 1 page/s per host (production)", "1000", details);
  // worst case: product pages fetched and parsed back to back while the route scrapes
  const unthrottled = await withEnricher(
    "enricher running, unthrottled",
    "0",
    await createTestTopic("bench-enrich-details-2", TOPICS.details),
  );
  for (const [name, times] of [["polite", polite], ["unthrottled", unthrottled]] as const) {
    console.log(JSON.stringify({
      added_by: name,
      added_ms_median: Number((times.ms_median - without.ms_median).toFixed(1)),
      added_ms_p95: Number((times.ms_p95 - without.ms_p95).toFixed(1)),
    }));
  }
} finally {
  await route.stop();
  await replay.stop();
}
process.exit(0);
