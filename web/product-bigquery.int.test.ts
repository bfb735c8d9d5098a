/**
 * A catalog product's page on BigQuery (the emulator): the same answer as on DuckDB
 * (product.test.ts) for the scripted history of test/product-verdict-history.ts: the sellers'
 * lines, the stock, the day's sellers and the verdict of the scheduled query; the item search
 * brings the product's listings together; an item's page knows its product.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { offerDate } from "../shared/timestamp.ts";
import { addDays } from "../shared/sql-templates.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { loadProductHistory, productWarehouse } from "../test/product-warehouse.ts";
import { emulatorWarehouse } from "../test/seeded-warehouses.ts";
import { BigQuerySource } from "./bigquery-source.ts";
import { DuckDbSource } from "./duckdb-source.ts";

const DAY = addDays(offerDate(new Date().toISOString()), -2);
const dataset = `web_product_${Date.now()}`;
let source: BigQuerySource;
let local: DuckDbSource;

before(async () => {
  const warehouse = await emulatorWarehouse(dataset);
  await loadProductHistory(warehouse, mkdtempSync(join(tmpdir(), "ofertas-product-bq-")), DAY);
  source = new BigQuerySource({
    projectId: integrationEnv.bigqueryProject,
    dataset,
    location: "US",
    apiEndpoint: integrationEnv.bigqueryEndpoint,
    cacheSeconds: 60,
  });
  local = new DuckDbSource(await productWarehouse(DAY));
});

test("product page on BigQuery: the same lines, stock, sellers and verdict as on DuckDB", async () => {
  const q = { site: "MLB", productId: "MLB7770001", first: addDays(DAY, -29), last: DAY };
  const [bq, duck] = [await source.product(q), await local.product(q)];
  const plain = (v: typeof bq) => ({
    days: v.days.map((d) => `${d.offer_date} ${d.seller_key} ${d.min_price}`).sort(),
    stock: v.stock.map((s) => `${s.observed_at} ${s.available}`),
    sellers: v.sellers.map((s) => `${s.item_id} ${s.seller} ${s.price}`),
    verdict: v.verdict,
  });
  assert.deepEqual(plain(bq), plain(duck));
  assert.equal(bq.verdict?.verdict, "inflated");
});

test("item search and item history on BigQuery: a listing knows its product", async () => {
  const found = await source.items({
    words: ["notebook"],
    site: null,
    first: addDays(DAY, -29),
    last: DAY,
    limit: 100,
  });
  assert.deepEqual([...new Set(found.map((i) => i.product_id))].sort(), ["MLB7770001", "MLB7770002"]);
  const history = await source.history("MLB", "MLB3000000004", addDays(DAY, -29), DAY);
  assert.equal(history.product_id, "MLB7770001");
  const deals = await source.deals(DAY);
  const relisted = deals.find((d) => d.item_id === "MLB3000000004");
  assert.deepEqual([relisted?.product_id, relisted?.seller], ["MLB7770001", "LOJA B"]);
});
