/**
 * The web benchmarks' warehouse (bench/web/run.ts, bench/web/flood.ts): a local DuckDB file
 * holding `offers` offers over 31 days (about 32,000 items a million, seen every day, all of them
 * on offer today, so the day's list judges them against their prior 30 days), built once in a
 * folder and reused by later runs. Also how the benchmarks report times.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { addDays } from "../../shared/sql-templates.ts";
import { DAILY_OFFERS } from "../../shared/tables.ts";
import { LOCAL_DATABASE_FILE } from "../../shared/warehouse-settings.ts";
import { offerDate } from "../../shared/timestamp.ts";
import { stagedRealOffers } from "../../test/real-offers.ts";
import { inProcessLocalWarehouse } from "../../test/seeded-warehouses.ts";

export const DAYS = 31;
const TEMPLATES = 2_000;
export const today = offerDate(new Date().toISOString());

/** Real rows (titles, urls, images of the saved pages) through the consumer's own transform and load. */
export async function loadReal(root: string, n: number, firstId: number): Promise<void> {
  const warehouse = await inProcessLocalWarehouse(root);
  await warehouse.load(await stagedRealOffers(root, n, firstId, `web-bench-${firstId}`));
}

/**
 * Fills the table from the templates: item k is seen on each of the 31 days at a price that
 * moves with a hash of (item, day); today every item shows an "original" 25% above its price,
 * and a third of them were cheaper within the month (inflated), a third are new (fewer days).
 */
async function fill(root: string, offers: number): Promise<void> {
  // two items in three are seen all 31 days, the third only the last 3: 65 offers per 3 items
  const items = Math.ceil((offers * 3) / (2 * DAYS + 3));
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
     FROM range(${items}) items(k), range(${DAYS}) days(d), template t
     WHERE t.n = k % ${TEMPLATES} AND (k % 3 <> 2 OR d >= ${DAYS - 3})
     ORDER BY offer_date`,
  );
  const count = Number((await c.runAndReadAll("SELECT count(*) FROM daily_offers")).getRows()[0]![0]);
  await c.run("CHECKPOINT");
  c.closeSync();
  db.closeSync();
  console.error(`[bench] daily_offers holds ${count} offers over ${DAYS} days`);
}

/** The warehouse in `root`: built unless it is there already. */
export async function benchWarehouse(root: string, offers: number): Promise<void> {
  if (existsSync(join(root, LOCAL_DATABASE_FILE))) return;
  mkdirSync(root, { recursive: true });
  const t0 = performance.now();
  await loadReal(root, TEMPLATES, 1_000_000);
  await fill(root, offers);
  console.error(`[bench] warehouse ready in ${Math.round((performance.now() - t0) / 1000)} s`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** One line of JSON: the case, how many, p50, p95 and max of `times` (ms), and anything else to say. */
export function report(label: string, times: number[], extra: Record<string, unknown> = {}): void {
  const sorted = [...times].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  console.log(JSON.stringify({
    case: label,
    requests: sorted.length,
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    max_ms: round(sorted.at(-1) ?? NaN),
    ...extra,
  }));
}
