/**
 * The contract's property test, on the BigQuery side: a fixed-seed sample of the messages the
 * contract accepts (edges included) loads through GCS and a load job into the emulator.
 */
import { rawRecords } from "../test/raw-records.ts";
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { BigQuery } from "@google-cloud/bigquery";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateOfferMessage } from "../shared/offer.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { offerMessageArbitrary, PROPERTY_SEED } from "../test/offer-arbitrary.ts";
import { emulatorWarehouse } from "../test/seeded-warehouses.ts";
import { shapeOf, stageRows } from "./staging.ts";
import { transform } from "./transform.ts";

test("contract: a sample of what the contract accepts loads into the BigQuery emulator", async () => {
  const messages = fc.sample(offerMessageArbitrary, { numRuns: 200, seed: PROPERTY_SEED })
    .filter((m) => validateOfferMessage(m).ok);
  assert.ok(messages.length > 80, `${messages.length} accepted`);
  const records = rawRecords("property", messages);
  const { rows, deadLetters } = await transform(records, new Date().toISOString());
  assert.deepEqual(deadLetters, []);
  const dataset = `property_${Date.now()}`;
  const warehouse = await emulatorWarehouse(dataset);
  await warehouse.load(
    await stageRows(mkdtempSync(join(tmpdir(), "ofertas-property-bq-")), shapeOf(DAILY_OFFERS), rows),
  );
  const bq = new BigQuery({ projectId: integrationEnv.bigqueryProject, apiEndpoint: integrationEnv.bigqueryEndpoint });
  const [back] = await bq.query({
    query:
      `SELECT offer_key, title FROM \`${integrationEnv.bigqueryProject}.${dataset}.daily_offers\` WHERE offer_date >= DATE '2000-01-01'`,
  });
  assert.equal(back.length, rows.length);
  const titles = new Map(back.map((r: { offer_key: string; title: string }) => [r.offer_key, r.title]));
  for (const row of rows) assert.equal(titles.get(row.offer_key), row.title, row.offer_key);
});
