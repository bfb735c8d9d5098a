/**
 * The parts of the BigQuery path the emulator cannot show (docs/emulators.md), checked against a scripted fake of the BigQuery REST API. The official Node client
 * talks to it, and GCS is the real fake-gcs-server. What is checked: the requests sent, 409 on a
 * re-used job id, jobs finishing with errorResult, non-retryable failures, 5xx answers, a table
 * that requires a partition filter, and a job that never finishes.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { sampleMessage } from "../../test/sample-offer.ts";
import { integrationEnv } from "../../test/integration-env.ts";
import { type FakeBigQuery, startFakeBigQuery } from "../../test/fake-bigquery.ts";
import { type LoadBatch, shapeOf, stageRows } from "../staging.ts";
import { DAILY_OFFERS } from "../../shared/tables.ts";
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { transform, transformRecord } from "../transform.ts";
import { MemoryBackend } from "../backend/memory-backend.ts";
import { BatchConsumer } from "../batch-consumer.ts";
import { createConsumerMetrics } from "../consumer-metrics.ts";
import { MemoryDeadLetters } from "../dead-letters.ts";
import { inThreadLane } from "../runtime/staging-lane.ts";
import { JobFailedError } from "./bigquery-jobs.ts";
import { BigQueryWarehouse } from "./bigquery-warehouse.ts";
import { RowDataError } from "./warehouse.ts";

const PROJECT = "fake-project";
let fake: FakeBigQuery;
let batch: LoadBatch;

before(async () => {
  fake = await startFakeBigQuery(PROJECT);
  const enc = new TextEncoder();
  const records = ["2026-06-16T12:00:00Z", "2026-06-17T12:00:00Z", "2026-06-18T12:00:00Z"].map((at, i) => ({
    topic: "deal-of-the-day",
    partition: 3,
    offset: String(40 + i),
    key: null,
    value: enc.encode(JSON.stringify(sampleMessage({ item_id: `MLB777000000${i}`, scraped_at: at }))),
    headers: {},
  }));
  const { rows } = await transform(records, "2026-06-18T13:00:00Z");
  batch = await stageRows(mkdtempSync(join(tmpdir(), "ofertas-bq-path-")), shapeOf(DAILY_OFFERS), rows, [
    { topic: "deal-of-the-day", partition: 3, first: "40", last: "42" },
  ]);
});
after(() => fake.close());

function warehouse(dataset: string, overrides: { jobTimeoutMs?: number } = {}) {
  return new BigQueryWarehouse({
    projectId: PROJECT,
    dataset,
    location: "US",
    bucket: `bucket-${dataset}`,
    bigqueryEndpoint: fake.url,
    gcsEndpoint: integrationEnv.gcsEndpoint,
    createBucket: true,
    requirePartitionFilter: true,
    partitionExpirationDays: 400,
    keepStagedFiles: false,
    pollIntervalMs: 10,
    jobTimeoutMs: overrides.jobTimeoutMs ?? 10_000,
    forms: "production",
  });
}

const inserts = (dataset: string) =>
  fake.requests.filter((r) =>
    r.method === "POST" && r.path.endsWith("/jobs") && JSON.stringify(r.body).includes(dataset)
  );
/** The fold of the closed days (the 16th and 17th) in one job, named by the batch and the days. */
const foldId = (dataset: string) =>
  `ofertas_fold_${dataset}_${batch.id}_days_${
    createHash("sha256").update("2026-06-16,2026-06-17").digest("hex").slice(0, 12)
  }`;
const jobIdOf = (r: { body: Record<string, unknown> | null }) => (r.body!.jobReference as { jobId: string }).jobId;
/** A load job's id names its staging table's creation time (bigquery-staging.ts). */
const loadId = (dataset: string) => new RegExp(`^ofertas_load_${dataset}_${batch.id}_t\\d+$`);

test("bigquery path: the table, the load job and the MERGE the official client sends", async () => {
  fake.outcome = (id) => (id.includes("merge") ? { dmlAffectedRows: "3" } : {});
  const w = warehouse("happy");
  await w.prepare();
  const table = fake.tables.get("happy.daily_offers")!;
  assert.deepEqual(table.timePartitioning, {
    type: "DAY",
    field: "offer_date",
    expirationMs: String(400 * 86_400_000),
  });
  assert.deepEqual(table.clustering, { fields: ["site", "item_id"] });
  assert.equal(table.requirePartitionFilter, true);
  assert.equal((table.schema as { fields: unknown[] }).fields.length, Object.keys(DAILY_OFFERS.columns).length);

  const result = await w.load(batch);
  assert.equal(result.inserted, 3);
  assert.deepEqual(result.staged, [
    "gs://bucket-happy/staging/daily_offers/offer_date=2026-06-16/deal-of-the-day-3-40-42.json.gz",
    "gs://bucket-happy/staging/daily_offers/offer_date=2026-06-17/deal-of-the-day-3-40-42.json.gz",
    "gs://bucket-happy/staging/daily_offers/offer_date=2026-06-18/deal-of-the-day-3-40-42.json.gz",
  ]);
  const [load, merge] = inserts("happy");
  assert.match(jobIdOf(load!), loadId("happy"));
  assert.equal(jobIdOf(merge!), `ofertas_merge_happy_${batch.id}`);
  const loadConfig = (load!.body!.configuration as { load: Record<string, unknown> }).load;
  assert.deepEqual(loadConfig.sourceUris, result.staged);
  assert.equal(loadConfig.sourceFormat, "NEWLINE_DELIMITED_JSON");
  assert.equal(loadConfig.writeDisposition, "WRITE_TRUNCATE");
  assert.equal(loadConfig.createDisposition, "CREATE_NEVER");
  assert.deepEqual(loadConfig.destinationTable, {
    projectId: PROJECT,
    datasetId: "happy",
    tableId: `daily_offers_stage_${batch.id}`,
  });
  const sql = (merge!.body!.configuration as { query: { query: string } }).query.query;
  assert.match(sql, /MERGE `fake-project\.happy\.daily_offers` T/);
  assert.match(sql, /ON T\.offer_key = S\.offer_key AND T\.offer_date BETWEEN DATE '2026-06-16' AND DATE '2026-06-18'/);
  assert.match(sql, /WHEN NOT MATCHED THEN INSERT/);
  assert.doesNotMatch(sql, /WHEN MATCHED/, "existing offers are never touched");
  // the staging table expires by itself and is dropped after the MERGE
  const stage = fake.requests.find((r) =>
    r.method === "POST" && r.path.endsWith("/tables") && JSON.stringify(r.body).includes("daily_offers_stage_")
  );
  assert.ok(Number((stage!.body as { expirationTime: string }).expirationTime) > Date.now());
  assert.ok(fake.requests.some((r) => r.method === "DELETE" && r.path.endsWith(`daily_offers_stage_${batch.id}`)));
  // then the day summaries: the days the stream moved past (the 16th and 17th; the 18th is still
  // open) folded whole into item_days and product_days, in one job and one transaction
  const folds = inserts("happy").slice(2);
  assert.equal(folds.length, 1);
  assert.equal(jobIdOf(folds[0]!), foldId("happy"));
  const script = String((folds[0]!.body!.configuration as { query: { query: string } }).query.query);
  assert.match(script, /^BEGIN TRANSACTION;/);
  assert.match(script, /COMMIT TRANSACTION;$/);
  assert.match(
    script,
    /DELETE FROM `fake-project\.happy\.item_days` WHERE offer_date IN \(DATE '2026-06-16', DATE '2026-06-17'\) AND TRUE;/,
  );
  assert.match(script, /INSERT INTO `fake-project\.happy\.item_days` \(/);
  assert.match(script, /INSERT INTO `fake-project\.happy\.product_days` \(/);
  assert.match(
    script,
    /FROM `fake-project\.happy\.daily_offers` WHERE offer_date IN \(DATE '2026-06-16', DATE '2026-06-17'\)/,
  );
  assert.doesNotMatch(script, /2026-06-18/, "the open day is not folded");
});

test("bigquery path: a retried batch meets 409 Already Exists and takes the existing jobs' outcome; nothing runs twice", async () => {
  const w = warehouse("retry409");
  await w.prepare();
  await w.load(batch);
  const before = inserts("retry409").length;
  // the same batch again after a restart (the consumer died before its commit): a new process
  // plans the same folds (the fake says nothing is folded yet) and meets the same jobs
  const restarted = warehouse("retry409");
  await restarted.prepare();
  const result = await restarted.load(batch);
  const again = inserts("retry409").slice(before).map(jobIdOf);
  // the first load deleted its staging table: the restart loads a new one (free), and meets the MERGE and the fold
  assert.match(again[0]!, loadId("retry409"));
  assert.deepEqual(
    again.slice(1),
    [`ofertas_merge_retry409_${batch.id}`, foldId("retry409")],
    "same deterministic ids",
  );
  assert.equal(
    [...fake.jobs.keys()].filter((id) => id.includes("retry409")).length,
    4,
    "one load job per staging table, still one MERGE job and one fold job",
  );
  assert.ok(result.staged.length === 3);
});

test("bigquery path: a job that finished with a retryable errorResult runs again under the next deterministic id", async () => {
  fake.outcome = (
    id,
  ) => (loadId("retryable").test(id) ? { errorResult: { reason: "backendError", message: "transient" } } : {});
  const w = warehouse("retryable");
  await w.prepare();
  await w.load(batch);
  const ids = inserts("retryable").map(jobIdOf);
  assert.match(ids[0]!, loadId("retryable"));
  assert.equal(ids[1], `${ids[0]}_r1`);
  assert.deepEqual(ids.slice(2), [`ofertas_merge_retryable_${batch.id}`, foldId("retryable")]);
  // and a later retry of the whole batch meets the MERGE that succeeded instead of running it again
  await w.load(batch);
  assert.equal([...fake.jobs.keys()].filter((id) => id.startsWith("ofertas_merge_retryable")).length, 1);
  fake.outcome = () => ({});
});

test("bigquery path: a staging table that expired before the MERGE is loaded again, not merged empty", async () => {
  // the load job ran, then the process died before its MERGE (here: the MERGE is refused)
  fake.outcome = (id) =>
    id.startsWith("ofertas_merge_expired") ? { errorResult: { reason: "accessDenied", message: "Access Denied" } } : {};
  const w = warehouse("expired");
  await w.prepare();
  await assert.rejects(w.load(batch), JobFailedError);
  // more than a day later: the staging table has expired; the restart re-cuts the batch the same
  fake.outcome = () => ({});
  fake.tables.delete(`expired.daily_offers_stage_${batch.id}`);
  await warehouse("expired").load(batch);
  const loads = [...fake.jobs.keys()].filter((id) => id.startsWith("ofertas_load_expired"));
  assert.equal(loads.length, 2, `a new load job for the new staging table: ${loads.join()}`);
  for (const id of loads) assert.match(id, loadId("expired"));
  const merges = inserts("expired").filter((r) => jobIdOf(r).startsWith("ofertas_merge_expired")).map(jobIdOf);
  assert.deepEqual(merges, [
    `ofertas_merge_expired_${batch.id}`,
    `ofertas_merge_expired_${batch.id}`,
    `ofertas_merge_expired_${batch.id}_r1`,
  ]);
});

test("bigquery path: a non-retryable job error stops with JobFailedError (the consumer retries the batch later; nothing is committed)", async () => {
  fake.outcome = (
    id,
  ) => (id.startsWith("ofertas_load_denied")
    ? { errorResult: { reason: "accessDenied", message: "Access Denied" } }
    : {});
  const w = warehouse("denied");
  await w.prepare();
  await assert.rejects(w.load(batch), (e: unknown) => e instanceof JobFailedError && e.reason === "accessDenied");
  assert.equal(inserts("denied").filter((r) => jobIdOf(r).includes("merge")).length, 0, "no MERGE after a failed load");
  fake.outcome = () => ({});
});

test("bigquery path: a load job that refuses values (invalid) is a RowDataError with BigQuery's words: the consumer isolates those rows", async () => {
  fake.outcome = (id) =>
    id.startsWith("ofertas_load_invalid")
      ? {
        errorResult: { reason: "invalid", message: "Error while reading data" },
        errors: [{
          reason: "invalid",
          message: "Error while reading data, error message: JSON parsing error in row starting at position 0",
        }],
      }
      : {};
  const w = warehouse("invalid");
  await w.prepare();
  await assert.rejects(w.load(batch), (e: unknown) => {
    assert.ok(e instanceof RowDataError);
    assert.match(e.warehouseMessage, /JSON parsing error in row/);
    return true;
  });
  assert.equal(
    inserts("invalid").filter((r) => jobIdOf(r).includes("merge")).length,
    0,
    "no MERGE after a failed load",
  );
  fake.outcome = () => ({});
});

test("bigquery path: 5xx on jobs.insert does not duplicate the job", { timeout: 60_000 }, async () => {
  const w = warehouse("fivexx");
  await w.prepare();
  fake.failNextInserts = 2;
  try {
    await w.load(batch); // the client retries 5xx itself …
  } catch {
    await w.load(batch); // … or the load fails and the consumer's retry calls it again
  }
  const ids = inserts("fivexx").map(jobIdOf);
  assert.ok(ids.length >= 4, `503s were answered: ${ids.join()}`);
  const distinct = [...new Set(ids)];
  assert.match(distinct[0]!, loadId("fivexx"));
  assert.deepEqual(distinct.slice(1), [`ofertas_merge_fivexx_${batch.id}`, foldId("fivexx")]);
  assert.equal([...fake.jobs.keys()].filter((id) => id.includes("fivexx")).length, 3);
});

test("bigquery path: a job that never finishes times out (and the batch is retried, not committed)", async () => {
  fake.outcome = (id) => (id.startsWith("ofertas_load_stuck") ? { pollsLeft: Infinity } : {});
  const w = warehouse("stuck", { jobTimeoutMs: 300 });
  await w.prepare();
  await assert.rejects(w.load(batch), /still RUNNING after 300 ms/);

  // the consumer over the same warehouse: the stuck load is retried, and nothing is committed until it ends
  const backend = new MemoryBackend("deal-of-the-day", 1);
  const metrics = createConsumerMetrics();
  const spoolRoot = mkdtempSync(join(tmpdir(), "ofertas-bq-stuck-"));
  const shape = shapeOf(DAILY_OFFERS);
  const consumer = new BatchConsumer({
    backend,
    warehouse: warehouse("stuck", { jobTimeoutMs: 300 }),
    deadLetters: new MemoryDeadLetters(),
    metrics,
    spoolRoot,
    shape,
    openLane: (ingestedAt, onDead) => inThreadLane(spoolRoot, shape, transformRecord, ingestedAt, onDead),
    settings: {
      groupId: "stuck",
      intervalMs: 3_600_000,
      maxRecords: 1_000,
      maxBytes: 1 << 26,
      retryBaseMs: 50,
      retryMaxMs: 100,
      loadTimeoutMs: 10_000,
    },
  });
  await consumer.start();
  for (let i = 0; i < 3; i++) backend.append(0, JSON.stringify(sampleMessage({ item_id: `MLB77800000${i}` })));
  await backend.deliver();
  const loading = consumer.sealAndLoad();
  const deadline = Date.now() + 20_000;
  while (metrics.loadAttempts.get({ outcome: "outage" }) < 3 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(metrics.loadAttempts.get({ outcome: "outage" }) >= 3, "the stuck load was retried");
  assert.deepEqual(backend.commits, [], "nothing committed while the load does not finish");
  // the stuck job finally ends: the retry meets it (409) and takes its outcome
  fake.outcome = () => ({});
  for (const job of fake.jobs.values()) if (!Number.isFinite(job.pollsLeft)) job.pollsLeft = 0;
  await loading;
  const commits: Array<Array<{ offset: string }>> = backend.commits;
  assert.deepEqual(commits.map((c) => c.map((o) => o.offset)), [["3"]], "committed once, after the load");
  await consumer.stop();
});
