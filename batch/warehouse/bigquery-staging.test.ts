/**
 * The load job is tied to its staging table's incarnation, against the scripted BigQuery: a
 * restart within the table's life meets its own load job; a table re-created after it expired
 * gets a new load job, never the old one's success over an empty table.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { BigQuery } from "@google-cloud/bigquery";
import { emulatorAuth } from "../../shared/gcp-emulator.ts";
import { bigQuerySchemaOf, DAILY_OFFERS } from "../../shared/tables.ts";
import { startFakeBigQuery } from "../../test/fake-bigquery.ts";
import { BigQueryJobs } from "./bigquery-jobs.ts";
import { loadStagingTable, type StagingLoad } from "./bigquery-staging.ts";
import { RowDataError } from "./warehouse.ts";

const PROJECT = "staging-project";
const call = <T>(_what: string, work: () => Promise<T>) => work();

async function withFake(
  body: (fake: Awaited<ReturnType<typeof startFakeBigQuery>>, load: () => Promise<void>) => Promise<void>,
) {
  const fake = await startFakeBigQuery(PROJECT);
  fake.datasets.add("ds");
  const bigquery = new BigQuery({ projectId: PROJECT, apiEndpoint: fake.url, ...emulatorAuth(fake.url) });
  const jobs = new BigQueryJobs(bigquery, {
    location: "US",
    pollIntervalMs: 5,
    jobTimeoutMs: 5_000,
    retries: { maxNewJobs: 2, backoff: { baseMs: 1, maxMs: 1, jitter: "none" } },
  });
  const load: StagingLoad = {
    projectId: PROJECT,
    dataset: "ds",
    stageTable: "daily_offers_stage_B",
    batchId: "B",
    schema: bigQuerySchemaOf(DAILY_OFFERS),
    sourceUris: ["gs://bucket/staging/B/0.json.gz"],
    what: "load daily_offers staging",
  };
  try {
    await body(fake, () => loadStagingTable(bigquery, jobs, call, load));
  } finally {
    await fake.close();
  }
}

const loadJobs = (fake: { jobs: Map<string, unknown> }) =>
  [...fake.jobs.keys()].filter((id) => id.startsWith("ofertas_load_ds_B"));
const creationOf = (fake: { tables: Map<string, Record<string, unknown>> }) =>
  fake.tables.get("ds.daily_offers_stage_B")!.creationTime as string;

test("staging: a restart within the staging table's life meets its own load job", async () => {
  await withFake(async (fake, load) => {
    await load();
    const created = creationOf(fake);
    assert.deepEqual(loadJobs(fake), [`ofertas_load_ds_B_t${created}`]);
    const job = fake.jobs.get(`ofertas_load_ds_B_t${created}`)!;
    const destination = (job.configuration.load as { destinationTable: { tableId: string } }).destinationTable;
    assert.equal(destination.tableId, "daily_offers_stage_B");

    await load(); // the same batch again: the table exists (409), its creation time is read back
    assert.equal(creationOf(fake), created, "the same table");
    assert.deepEqual(loadJobs(fake), [`ofertas_load_ds_B_t${created}`], "no second load job");
  });
});

test("staging: a staging table re-created after it expired gets a new load job, not the old one's success", async () => {
  await withFake(async (fake, load) => {
    await load();
    const first = creationOf(fake);
    // a day later the table has expired; the restart re-cuts the batch the same and creates it empty
    fake.tables.delete("ds.daily_offers_stage_B");
    await load();
    const second = creationOf(fake);
    assert.notEqual(second, first);
    assert.deepEqual(
      loadJobs(fake),
      [`ofertas_load_ds_B_t${first}`, `ofertas_load_ds_B_t${second}`],
      "the rows are loaded again",
    );
  });
});

test("staging: a load job that refuses values is a RowDataError with BigQuery's words", async () => {
  await withFake(async (fake, load) => {
    fake.outcome = () => ({ errorResult: { reason: "invalid", message: "Error while reading data: bad row at 7" } });
    await assert.rejects(load(), (e: unknown) => e instanceof RowDataError && /bad row at 7/.test(e.message));
  });
});
