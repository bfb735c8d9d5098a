import { test } from "node:test";
import assert from "node:assert/strict";
import { consumerSettingsFromEnv, MIN_INTERVAL_MS } from "./consumer-config.ts";

test("consumer config: local warehouse and a 5-minute interval by default", () => {
  const s = consumerSettingsFromEnv({});
  assert.equal(s.warehouse.kind, "local");
  assert.equal(s.intervalMs, 300_000);
  assert.equal(s.groupId, "ofertas-batch");
  assert.equal(s.topic, "deal-of-the-day");
  assert.equal(s.deadLetterTopic, "deal-of-the-day.dlq");
});

test("consumer config: BigQuery needs a project and a bucket, and keeps the interval above the quota floor", () => {
  assert.throws(() => consumerSettingsFromEnv({ OFERTAS_WAREHOUSE: "bigquery" }), /OFERTAS_BQ_PROJECT is required/);
  assert.throws(
    () => consumerSettingsFromEnv({ OFERTAS_WAREHOUSE: "bigquery", OFERTAS_BQ_PROJECT: "p" }),
    /OFERTAS_GCS_BUCKET is required/,
  );
  const env = { OFERTAS_WAREHOUSE: "bigquery", OFERTAS_BQ_PROJECT: "p", OFERTAS_GCS_BUCKET: "b" };
  assert.throws(
    () => consumerSettingsFromEnv({ ...env, OFERTAS_BATCH_INTERVAL_MS: "30000" }),
    new RegExp(`from ${MIN_INTERVAL_MS} with OFERTAS_WAREHOUSE=bigquery`),
  );
  const s = consumerSettingsFromEnv({
    ...env,
    OFERTAS_BATCH_INTERVAL_MS: "120000",
    OFERTAS_BQ_PARTITION_EXPIRATION_DAYS: "400",
  });
  assert.equal(s.intervalMs, 120_000);
  assert.ok(
    s.warehouse.kind === "bigquery" && s.warehouse.bigquery.partitionExpirationDays === 400 &&
      s.warehouse.bigquery.requirePartitionFilter,
  );
  assert.equal(
    consumerSettingsFromEnv({ ...env, OFERTAS_BATCH_INTERVAL_MS: "1000", OFERTAS_ALLOW_SHORT_INTERVAL: "true" })
      .intervalMs,
    1000,
  );
});

test("consumer config: bad values are named", () => {
  assert.throws(
    () => consumerSettingsFromEnv({ OFERTAS_WAREHOUSE: "snowflake" }),
    /OFERTAS_WAREHOUSE must be one of local, bigquery/,
  );
  assert.throws(
    () => consumerSettingsFromEnv({ OFERTAS_BATCH_MAX_RECORDS: "lots" }),
    /OFERTAS_BATCH_MAX_RECORDS must be an integer/,
  );
  assert.throws(
    () => consumerSettingsFromEnv({ OFERTAS_KEEP_STAGED_FILES: "yes" }),
    /OFERTAS_KEEP_STAGED_FILES must be true or false/,
  );
  assert.throws(
    () =>
      consumerSettingsFromEnv({
        OFERTAS_WAREHOUSE: "bigquery",
        OFERTAS_BQ_PROJECT: "p",
        OFERTAS_GCS_BUCKET: "b",
        OFERTAS_BQ_DATASET: "bad-name",
      }),
    /not a BigQuery dataset name/,
  );
});
