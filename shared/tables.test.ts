import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { DAILY_OFFERS_COLUMNS, DAILY_OFFERS_TABLE, validateWarehouseRow } from "./contract/warehouse-row.ts";
import { renderSchema, schemaPathOf, TABLES } from "./tables.ts";

test("schema: the checked-in BigQuery schemas equal the generated ones (run scripts/gen-schema.ts)", async () => {
  for (const table of TABLES) {
    assert.equal(
      await readFile(new URL(`../${schemaPathOf(table)}`, import.meta.url), "utf8"),
      renderSchema(table),
      table.name,
    );
  }
});

test("schema: every table's partition and clustering columns exist and are required", () => {
  for (const table of TABLES) {
    for (const name of [table.partitionField, ...table.clusteringFields]) {
      assert.equal(table.columns[name]?.mode, "REQUIRED", `${table.name}.${name}`);
    }
  }
});

test("schema: partition and clustering columns exist and are required", () => {
  for (const name of [DAILY_OFFERS_TABLE.partitionField, ...DAILY_OFFERS_TABLE.clusteringFields]) {
    assert.equal(DAILY_OFFERS_COLUMNS[name].mode, "REQUIRED", name);
  }
  assert.equal(DAILY_OFFERS_COLUMNS.offer_date.type, "DATE");
});

test("schema: NULLABLE columns accept null, REQUIRED columns reject it", () => {
  const row: Record<string, unknown> = {};
  for (const [name, column] of Object.entries(DAILY_OFFERS_COLUMNS)) {
    row[name] = column.mode === "NULLABLE" ? null : undefined;
  }
  const result = validateWarehouseRow(row);
  assert.equal(result.ok, false);
  const named = new Set(result.ok ? [] : result.errors.map((e) => e.split(":")[0]));
  for (const [name, column] of Object.entries(DAILY_OFFERS_COLUMNS)) {
    assert.equal(named.has(name), column.mode === "REQUIRED", name);
  }
});

test("schema: money columns are NUMERIC, never FLOAT", () => {
  for (const name of ["price", "original_price", "installment_amount", "computed_discount_pct"] as const) {
    assert.equal(DAILY_OFFERS_COLUMNS[name].type, "NUMERIC", name);
  }
});
