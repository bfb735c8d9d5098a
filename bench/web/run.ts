/**
 * Benchmark (not a test): the web view's server time on a local warehouse holding 1,000,000
 * offers over 31 days (about 32,000 items seen every day, all of them on offer today, so the
 * day's list judges 32,000 offers against their prior 30 days).
 *
 *   GET /               cold: the first view after a load (the day's verdicts computed);
 *                       warm: other pages and filters of the same data (answered from the cache)
 *                       after a load: the views right after new offers are loaded (the previous
 *                       answer while one recomputation runs in the background, then the new one)
 *   GET /items/:site/:id cold: an item not asked before (its history queried); warm: asked again
 *
 * Server time is the app's own handling of the request (app.fetch, the code web/server.ts
 * serves), p50 and p95 over the repetitions.
 *
 *   bun run bench/web/run.ts [offers, default 1000000] [repetitions, default 40] [folder to keep]
 *
 * With a folder, the warehouse is built there once and reused by later runs.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { addDays } from "../../reports/sql-templates.ts";
import { DAILY_OFFERS } from "../../shared/tables.ts";
import { LOCAL_DATABASE_FILE } from "../../shared/warehouse-settings.ts";
import { offerDate } from "../../shared/timestamp.ts";
import { stagedRealOffers } from "../../test/real-offers.ts";
import { createWebApp } from "../../web/app.tsx";
import { DuckDbSource } from "../../web/duckdb-source.ts";
import { CachedSource } from "../../web/source.ts";
import { inProcessLocalWarehouse } from "../../test/seeded-warehouses.ts";

const OFFERS = Number(process.argv[2] ?? 1_000_000);
const REPS = Number(process.argv[3] ?? 40);
const DAYS = 31;
// two items in three are seen all 31 days, the third only the last 3: 65 offers per 3 items
const ITEMS = Math.ceil((OFFERS * 3) / (2 * DAYS + 3));
const TEMPLATES = 2_000;
const today = offerDate(new Date().toISOString());

/** Real rows (titles, urls, images of the saved pages) through the consumer's own transform and load. */
async function loadReal(root: string, n: number, firstId: number): Promise<void> {
  const warehouse = await inProcessLocalWarehouse(root);
  await warehouse.load(await stagedRealOffers(root, n, firstId, `web-bench-${firstId}`));
}

/**
 * Fills the table from the templates: item k is seen on each of the 31 days at a price that
 * moves with a hash of (item, day); today every item shows an "original" 25% above its price,
 * and a third of them were cheaper within the month (inflated), a third are new (fewer days).
 */
async function fill(root: string): Promise<void> {
  const db = await DuckDBInstance.create(join(root, LOCAL_DATABASE_FILE));
  const c = await db.connect();
  const first = addDays(today, -(DAYS - 1));
  const price = `CAST(t.price * (0.85 + (hash(k, d) % 30) / 100.0) AS DECIMAL(18,2))`;
  const expressions: Record<string, string> = {
    offer_key: "md5(CAST(k AS VARCHAR) || '/' || CAST(d AS VARCHAR))[1:32]",
    offer_date: `DATE '${first}' + CAST(d AS INTEGER)`,
    scraped_at: `CAST(DATE '${first}' + CAST(d AS INTEGER) AS TIMESTAMP) + INTERVAL 15 HOUR`,
    item_id: "t.site || CAST(8000000000 + k AS VARCHAR)",
    price,
    original_price: `CASE WHEN d = ${DAYS - 1} THEN CAST(${price} * 1.25 AS DECIMAL(18,2)) END`,
    discount_pct: `CASE WHEN d = ${DAYS - 1} THEN 20 END`,
    label: `CASE WHEN d = ${DAYS - 1} THEN t.label END`,
    kafka_offset: `k * ${DAYS} + d`,
  };
  const select = Object.keys(DAILY_OFFERS.columns).map((name) => `${expressions[name] ?? `t.${name}`} AS ${name}`);
  await c.run(`CREATE TEMP TABLE template AS SELECT row_number() OVER () - 1 AS n, * FROM daily_offers`);
  const templates = Number((await c.runAndReadAll("SELECT count(*) FROM template")).getRows()[0]![0]);
  if (templates !== TEMPLATES) throw new Error(`expected ${TEMPLATES} template rows, found ${templates}`);
  await c.run("DELETE FROM daily_offers");
  await c.run(
    `INSERT INTO daily_offers SELECT ${select.join(", ")}
     FROM range(${ITEMS}) items(k), range(${DAYS}) days(d), template t
     WHERE t.n = k % ${TEMPLATES} AND (k % 3 <> 2 OR d >= ${DAYS - 3})
     ORDER BY offer_date`,
  );
  const count = Number((await c.runAndReadAll("SELECT count(*) FROM daily_offers")).getRows()[0]![0]);
  await c.run("CHECKPOINT");
  c.closeSync();
  db.closeSync();
  console.error(`[bench] daily_offers holds ${count} offers over ${DAYS} days`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

type App = ReturnType<typeof createWebApp>;

/** Times `paths` in turn, each on `appFor()` (the same app, or a fresh one for cold requests). */
async function timeRequests(label: string, appFor: () => App, paths: string[]) {
  const times: number[] = [];
  let bytes = 0;
  for (const path of paths) {
    const app = appFor();
    const started = performance.now();
    const res = await app.fetch(new Request(`http://bench${path}`));
    const body = await res.text();
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
    bytes = Math.max(bytes, body.length);
  }
  times.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  console.log(JSON.stringify({
    case: label,
    requests: times.length,
    p50_ms: round(percentile(times, 50)),
    p95_ms: round(percentile(times, 95)),
    max_ms: round(times.at(-1)!),
    largest_page_bytes: bytes,
  }));
}

const kept = process.argv[4];
const root = kept ?? mkdtempSync(join(tmpdir(), "ofertas-web-bench-"));
try {
  if (!kept || !existsSync(join(root, LOCAL_DATABASE_FILE))) {
    mkdirSync(root, { recursive: true });
    const t0 = performance.now();
    await loadReal(root, TEMPLATES, 1_000_000);
    await fill(root);
    console.error(`[bench] warehouse ready in ${Math.round((performance.now() - t0) / 1000)} s`);
  }

  const source = new DuckDbSource(root);
  const itemsOfToday = (await source.deals(today)).map((d) => `/items/${d.site}/${d.item_id}`);
  const pages = (n: number) => Array.from({ length: n }, (_, i) => `/?page=${1 + (i % 20)}`);

  // cold: a fresh cache for every request, as after each load
  const newApp = () => createWebApp({ source: new CachedSource(source), demo: false, today: () => today });
  await timeRequests("GET / cold (verdicts computed)", newApp, pages(Math.max(5, Math.floor(REPS / 4))));

  const app = newApp();
  const same = () => app;
  await app.fetch(new Request("http://bench/"));
  await timeRequests("GET / warm (pages and filters from the cache)", same, [
    ...pages(REPS),
    ...["inflated", "real", "insufficient_history"].map((v) => `/?verdict=${v}`),
    "/?q=caneta",
    "/?q=kit%20azul&page=2",
  ]);
  await loadReal(root, 500, 2_000_000);
  await timeRequests("GET / after a load", same, pages(REPS));
  await new Promise((r) => setTimeout(r, 3_000)); // the recomputation done: items timed on their own
  const sample = itemsOfToday.filter((_, i) => i % Math.floor(itemsOfToday.length / REPS) === 0).slice(0, REPS);
  await timeRequests("GET /items/:site/:id cold (history queried)", same, sample);
  await timeRequests("GET /items/:site/:id warm (cached)", same, sample);
} finally {
  if (!kept) rmSync(root, { recursive: true, force: true });
}
