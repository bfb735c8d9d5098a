/**
 * The product-details questions on the local warehouse: item_details keeps each item's latest
 * details within the 30 days, and deals_by_category counts the day's verdicts per category,
 * against answers worked out by hand (test/offer-history.ts). The BigQuery SQL gives the same
 * on the emulator (product-details-queries.int.test.ts).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { EXPECTED_DEALS_BY_CATEGORY } from "../test/details-history.ts";
import { normalize, REPORT_DAY } from "../test/offer-history.ts";
import { seededLocalWarehouse } from "../test/seeded-warehouses.ts";
import { DuckDbEngine } from "../query/engine.ts";
import { dealsByCategorySql, itemDetailsSql } from "../shared/sql-templates.ts";

let root: string;
let engine: DuckDbEngine;

before(async () => {
  root = await seededLocalWarehouse({ details: true });
  engine = await DuckDbEngine.open(root);
});

after(async () => {
  await engine.close();
  rmSync(root, { recursive: true, force: true });
});

test("local queries: item_details keeps each item's latest details within the 30 days", async () => {
  const rows = await engine.run(itemDetailsSql("duckdb", "main", REPORT_DAY));
  const byItem = new Map(rows.map((r) => [r.item_id, r]));
  assert.deepEqual([...byItem.keys()].sort(), ["MLA2000000001", "MLA2000000002", "MLB1000000001", "MLB1000000002"]);
  assert.equal(byItem.get("MLB1000000001")!.top_category, "Informática", "the later details win");
  assert.deepEqual(byItem.get("MLB1000000001")!.category_path, ["Informática", "Sub"]);
  assert.deepEqual(JSON.parse(String(byItem.get("MLA2000000001")!.attributes)), [{ name: "Marca", value: "X" }]);
});

test("local queries: deals_by_category counts the day's verdicts per category", async () => {
  const rows = await engine.run(dealsByCategorySql("duckdb", "main", REPORT_DAY));
  assert.deepEqual(
    rows.map((r) => normalize(r, Object.keys(EXPECTED_DEALS_BY_CATEGORY[0]!))),
    EXPECTED_DEALS_BY_CATEGORY,
  );
});

test("local queries: price_history joins item_details on (site, item_id)", async () => {
  const rows = await engine.run(`
    SELECT h.item_id, d.top_category
    FROM (${itemDetailsSql("duckdb", "main", REPORT_DAY)}) AS d
    JOIN main.daily_offers AS h USING (site, item_id)
    WHERE h.offer_date = DATE '${REPORT_DAY}'
    GROUP BY ALL ORDER BY 1`);
  assert.ok(rows.length >= 3);
  assert.ok(rows.every((r) => typeof r.top_category === "string"));
});
