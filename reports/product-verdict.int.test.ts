/**
 * The verdict at product level on the BigQuery emulator, the twin of product-verdict.test.ts: the
 * scripted 31-day history loaded by the real load path (which folds product_days), then the
 * scheduled query's SQL as Terraform composes it (reports/product-verdict-sql.ts) equals the
 * verdict computed by hand (test/product-verdict-history.ts). The SELECT is run as a query: the
 * emulator's INSERT … SELECT of a windowed query writes one row (docs/emulators.md).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emulatorQueryEngine, emulatorWarehouse } from "../test/seeded-warehouses.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { HAND_VERDICTS, plainVerdict, productVerdictHistory } from "../test/product-verdict-history.ts";
import { shapeOf, stageRows } from "../batch/staging.ts";
import { transform } from "../batch/transform.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { offerDate } from "../shared/timestamp.ts";
import { DEFAULT_REPORT_SETTINGS, scheduledSql } from "./scheduled-queries.ts";
import { addDays } from "../shared/sql-templates.ts";

const REPORT_DAY = addDays(offerDate(new Date().toISOString()), -2);

test("product verdict on BigQuery: the scheduled query's verdict of a scripted 31-day history equals the one computed by hand", async () => {
  const datasetId = `product_verdict_${Date.now()}`;
  const warehouse = await emulatorWarehouse(datasetId);
  const spool = mkdtempSync(join(tmpdir(), "ofertas-product-verdict-bq-"));
  const enc = new TextEncoder();
  const { rows } = await transform(
    productVerdictHistory(REPORT_DAY).map((m, i) => ({
      topic: "deal-of-the-day",
      partition: 0,
      offset: String(i),
      key: null,
      value: enc.encode(JSON.stringify(m)),
      headers: {},
    })),
    new Date().toISOString(),
  );
  await warehouse.load(await stageRows(spool, shapeOf(DAILY_OFFERS), rows));
  const dataset = `${integrationEnv.bigqueryProject}.${datasetId}`;
  const verdicts = await emulatorQueryEngine().run(
    scheduledSql("bigquery", "product_discounts", dataset, REPORT_DAY, DEFAULT_REPORT_SETTINGS),
  );
  assert.deepEqual(
    verdicts.map(plainVerdict).sort((a, b) => String(a.product_id).localeCompare(String(b.product_id))),
    HAND_VERDICTS,
  );
});
