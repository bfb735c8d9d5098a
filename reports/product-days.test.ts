/**
 * product_days, as the loads fold it with item_days, says what its description says of the same
 * rows (test/product-days-reference.ts computes it in TypeScript) for every day the stream has
 * moved past, and holds nothing of the day being scraped. A batch again changes nothing; late rows
 * fold their products again; a warehouse made before product_days gains its recent days. Real
 * DuckDB, the real load path.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shapeOf, stageRows } from "../batch/staging.ts";
import { transform } from "../batch/transform.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";
import {
  lateOffer,
  normalizeProductDay,
  type OfferRow,
  PRODUCT_DAY_COLUMNS,
  productDaysOf,
  productOffers,
} from "../test/product-days-reference.ts";
import { offerDate } from "../shared/timestamp.ts";
import { addDays } from "../shared/sql-templates.ts";
import { sampleMessage } from "../test/sample-offer.ts";
import { inProcessLocalWarehouse } from "../test/seeded-warehouses.ts";
import { DuckDbEngine } from "../query/engine.ts";

const OFFER_COLUMNS =
  "CAST(offer_date AS VARCHAR) AS offer_date, site, product_id, item_id, CAST(price AS VARCHAR) AS price, strftime(scraped_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS scraped_at, kafka_partition, kafka_offset, seller, official_store, title, currency, url, CAST(original_price AS VARCHAR) AS original_price, coalesce(discount_pct, CAST(round(computed_discount_pct) AS BIGINT)) AS displayed_discount_pct, watch_id";

async function read(root: string) {
  const engine = await DuckDbEngine.open(root);
  try {
    const rows = (await engine.run(`SELECT ${OFFER_COLUMNS} FROM daily_offers`)).map((r) => ({
      ...r,
      kafka_partition: Number(r.kafka_partition),
      kafka_offset: Number(r.kafka_offset),
      displayed_discount_pct: r.displayed_discount_pct === null ? null : Number(r.displayed_discount_pct),
    })) as unknown as OfferRow[];
    const folded = (await engine.run(`SELECT ${PRODUCT_DAY_COLUMNS} FROM product_days ORDER BY ALL`))
      .map(normalizeProductDay);
    return { rows, folded };
  } finally {
    await engine.close();
  }
}

let offset = 0;
async function load(warehouse: Awaited<ReturnType<typeof inProcessLocalWarehouse>>, root: string, messages: unknown[]) {
  const enc = new TextEncoder();
  const records = messages.map((m) => ({
    topic: "deal-of-the-day",
    partition: 0,
    offset: String(offset++),
    key: null,
    value: enc.encode(JSON.stringify(m)),
    headers: {},
  }));
  const { rows } = await transform(records, "2026-07-01T03:00:00Z");
  await warehouse.load(await stageRows(root, shapeOf(DAILY_OFFERS), rows));
}

// recent days: a consumer learns what is folded within the readers' horizon back from today
const DAY0 = addDays(offerDate(new Date().toISOString()), -10);
const [DAY1, DAY2, DAY3] = [1, 2, 3].map((n) => addDays(DAY0, n)) as [string, string, string];
const PRODUCT_OFFERS = productOffers(DAY0);

const folded = (rows: OfferRow[], before: string) => productDaysOf(rows.filter((r) => r.offer_date < before));

test("product_days: each day the stream moved past says what its listings did (low and who had it, best at the day's end, listings, sellers); the day being scraped stays open", async () => {
  const root = mkdtempSync(join(tmpdir(), "ofertas-product-days-"));
  const warehouse = await inProcessLocalWarehouse(root);
  await load(warehouse, root, PRODUCT_OFFERS);
  const first = await read(root);
  assert.deepEqual(first.folded, folded(first.rows, DAY2));
  assert.deepEqual(first.folded.map((d) => `${d.offer_date} ${d.product_id}`), [
    `${DAY0} MLB900001`,
    `${DAY0} MLB900002`,
    `${DAY1} MLB900001`,
  ]);
  // by hand: the day's low (130, an unnamed seller) is not the best at its end (140: LOJA B's last)
  const p1 = first.folded[0]!;
  assert.deepEqual(
    [p1.min_price, p1.low_item_id, p1.low_seller, p1.max_price, p1.last_price, p1.last_item_id, p1.last_seller],
    ["130.00", "MLB2000000003", null, "160.00", "140.00", "MLB2000000002", "LOJA B"],
  );
  assert.deepEqual([p1.listings, p1.sellers, p1.watch_ids], [3, 2, ["w-p1"]]);
  // ties: the earliest observation at the low; the lower item id among the best at the end
  const day1 = first.folded[2]!;
  assert.deepEqual([day1.low_item_id, day1.last_item_id, day1.last_price], [
    "MLB2000000002",
    "MLB2000000002",
    "120.00",
  ]);
  assert.deepEqual(day1.watch_ids, ["w-b", "w-p1"]);

  // the same batch again (a retry after a crash): nothing changes
  offset = 0;
  await load(warehouse, root, PRODUCT_OFFERS);
  assert.deepEqual((await read(root)).folded, first.folded);

  // late rows of a folded day: a new listing under the best; the other product is left alone
  offset = 100;
  await load(warehouse, root, [lateOffer(DAY0, 0, "125.00")]);
  const late = await read(root);
  assert.deepEqual(late.folded, folded(late.rows, DAY2));
  const after = late.folded.find((d) => d.offer_date === DAY0 && d.product_id === "MLB900001")!;
  assert.deepEqual([after.min_price, after.last_price, after.last_item_id, after.listings], [
    "125.00",
    "125.00",
    "MLB2000000004",
    4,
  ]);

  // the first load of the next day closes the open one
  offset = 200;
  await load(warehouse, root, [
    sampleMessage({ item_id: "MLB2000000099", product_id: null, scraped_at: `${DAY3}T15:00:00Z` }),
  ]);
  const closed = await read(root);
  assert.deepEqual(closed.folded, folded(closed.rows, DAY3));
  assert.ok(closed.folded.some((d) => d.offer_date === DAY2));
});

test("product_days: a warehouse whose item_days were folded before product_days existed folds its recent days again at the first load", async () => {
  const root = mkdtempSync(join(tmpdir(), "ofertas-product-days-upgrade-"));
  offset = 0;
  await load(await inProcessLocalWarehouse(root), root, PRODUCT_OFFERS);
  const engine = await DuckDbEngine.open(root, { readOnly: false });
  await engine.run("DELETE FROM product_days");
  await engine.close();
  // a consumer started on it: it learns what is folded at its first load
  offset = 300;
  await load(await inProcessLocalWarehouse(root), root, [
    sampleMessage({
      item_id: "MLB2000000001",
      product_id: "MLB900001",
      price: "90.00",
      scraped_at: `${DAY2}T18:00:00Z`,
    }),
  ]);
  const { rows, folded: days } = await read(root);
  assert.deepEqual(days, folded(rows, DAY2));
  assert.equal(days.length, 3);
});
