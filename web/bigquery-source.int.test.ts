/**
 * The web view on BigQuery (the emulator): the day's verdicts computed on the fly by the
 * scheduled queries' SQL are the hand-written ones, and every query's bytes are logged.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { addDays } from "../shared/sql-templates.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { EXPECTED_FAKE_DISCOUNTS, REPORT_DAY } from "../test/offer-history.ts";
import { seededEmulatorDataset, seededLocalWarehouse } from "../test/seeded-warehouses.ts";
import { BigQuerySource } from "./bigquery-source.ts";
import { DuckDbSource } from "./duckdb-source.ts";

const dataset = `web_${Date.now()}`;
let source: BigQuerySource;

before(async () => {
  await seededEmulatorDataset(dataset);
  source = new BigQuerySource({
    projectId: integrationEnv.bigqueryProject,
    dataset,
    location: "US",
    apiEndpoint: integrationEnv.bigqueryEndpoint,
    cacheSeconds: 60,
  });
});

test("web on BigQuery: the day's verdicts computed on the fly are the scheduled queries' verdicts", async () => {
  const deals = await source.deals(REPORT_DAY);
  const got = deals.map((
    d,
  ) => [d.site, d.item_id, d.verdict, d.real_discount_pct === null ? null : Number(d.real_discount_pct)]).sort();
  const expected = EXPECTED_FAKE_DISCOUNTS.map((e) => [e.site, e.item_id, e.verdict, e.real_discount_pct]).sort();
  assert.deepEqual(got, expected);
});

test("web on BigQuery: an item's history", async () => {
  const history = await source.history("MLB", "MLB1000000001", addDays(REPORT_DAY, -89), REPORT_DAY);
  assert.equal(history.points.length, 21);
  assert.equal(Number(history.points.at(-1)!.min_price), 70);
});

test("web on BigQuery: item search finds the same items as on DuckDB, reading item_days on the days asked", async () => {
  const search = {
    words: ["acer", "ryzen"],
    site: null,
    first: addDays(REPORT_DAY, -29),
    last: REPORT_DAY,
    limit: 100,
  };
  const found = await source.items(search);
  const local = await new DuckDbSource(await seededLocalWarehouse()).items(search);
  assert.ok(found.length >= 4);
  assert.deepEqual(
    found.map((i) => [i.site, i.item_id, i.last_day, i.last_price, i.min_price]),
    local.map((i) => [i.site, i.item_id, i.last_day, i.last_price, i.min_price]),
  );
  assert.deepEqual(await source.items({ ...search, words: ["acer", "geladeira"] }), []);
});
