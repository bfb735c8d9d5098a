/**
 * product_days on the BigQuery emulator: the twin of product-days.test.ts (DuckDB), folded by the
 * real load path in both forms of its statements (docs/emulators.md): production's (each fold of a
 * day one transaction writing item_days and product_days) and the emulator's (a DELETE job and a
 * query job appending, per table). The days the stream moved past say what the reference computes
 * from daily_offers' rows (test/product-days-reference.ts); the day being scraped stays open; late
 * rows fold their products again; a batch loaded again changes nothing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emulatorQueryEngine, emulatorWarehouse } from "../test/seeded-warehouses.ts";
import { integrationEnv } from "../test/integration-env.ts";
import {
  lateOffer,
  normalizeProductDay,
  type OfferRow,
  PRODUCT_DAY_COLUMNS,
  productDaysOf,
  productOffers,
} from "../test/product-days-reference.ts";
import { shapeOf, stageRows } from "../batch/staging.ts";
import { transform } from "../batch/transform.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { offerDate } from "../shared/timestamp.ts";
import { addDays } from "../shared/sql-templates.ts";

const DAY0 = addDays(offerDate(new Date().toISOString()), -10);
const DAY2 = addDays(DAY0, 2);

const OFFER_COLUMNS =
  "CAST(offer_date AS STRING) AS offer_date, site, product_id, item_id, CAST(price AS STRING) AS price, FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E3SZ', scraped_at) AS scraped_at, kafka_partition, kafka_offset, seller, official_store, title, currency, url, CAST(original_price AS STRING) AS original_price, COALESCE(discount_pct, CAST(ROUND(computed_discount_pct) AS INT64)) AS displayed_discount_pct, watch_id";

for (const forms of ["emulator", "production"] as const) {
  test(`product_days on BigQuery (${forms} forms): closed days as their listings say, the open day left open, late rows, a batch again`, async () => {
    await check(forms);
  });
}

async function check(forms: "emulator" | "production") {
  const datasetId = `product_days_${forms}_${Date.now()}`;
  const warehouse = await emulatorWarehouse(datasetId, forms);
  const spool = mkdtempSync(join(tmpdir(), "ofertas-product-days-bq-"));
  let offset = 0;
  const load = async (messages: Array<Record<string, unknown>>) => {
    const enc = new TextEncoder();
    const { rows } = await transform(
      messages.map((m) => ({
        topic: "deal-of-the-day",
        partition: 0,
        offset: String(offset++),
        key: null,
        value: enc.encode(JSON.stringify(m)),
        headers: {},
      })),
      "2026-07-01T03:00:00Z",
    );
    await warehouse.load(await stageRows(spool, shapeOf(DAILY_OFFERS), rows));
  };
  const engine = emulatorQueryEngine();
  const dataset = `${integrationEnv.bigqueryProject}.${datasetId}`;
  const recent = `offer_date >= DATE '${addDays(DAY0, -1)}'`;
  const read = async () => {
    const rows = (await engine.run(`SELECT ${OFFER_COLUMNS} FROM \`${dataset}.daily_offers\` WHERE ${recent}`)).map(
      (r) => ({
        ...r,
        kafka_partition: Number(r.kafka_partition),
        kafka_offset: Number(r.kafka_offset),
        displayed_discount_pct: r.displayed_discount_pct === null ? null : Number(r.displayed_discount_pct),
      }),
    ) as unknown as OfferRow[];
    const folded = (await engine.run(`SELECT ${PRODUCT_DAY_COLUMNS} FROM \`${dataset}.product_days\` WHERE ${recent}`))
      .map(normalizeProductDay)
      .sort((a, b) => `${a.offer_date}${a.product_id}`.localeCompare(`${b.offer_date}${b.product_id}`));
    return { rows, folded };
  };
  const closedBefore = (rows: OfferRow[], day: string) => productDaysOf(rows.filter((r) => r.offer_date < day));

  const offers = productOffers(DAY0);
  // two batches sharing products and days (a day's observations split between them)
  await load(offers.slice(0, 5));
  await load(offers.slice(5));
  const first = await read();
  assert.equal(first.folded.length, 3, "two products on the first day, one on the second; the third open");
  assert.deepEqual(first.folded, closedBefore(first.rows, DAY2));

  offset = 0;
  await load(offers);
  assert.deepEqual((await read()).folded, first.folded, "a batch again changes nothing");

  offset = 100;
  await load([lateOffer(DAY0, 0, "125.00")]);
  const late = await read();
  assert.deepEqual(late.folded, closedBefore(late.rows, DAY2), "late rows folded their product again");
  assert.notDeepEqual(late.folded, first.folded);
}
