/**
 * How BigQuery jobs under deterministic ids are tried again, against the scripted BigQuery: a
 * met job that succeeded is taken, a met job that failed is passed over for the next id, new
 * jobs that fail are spaced by a backoff a stop ends at once, and a burst of failures never
 * wedges a batch on the jobs it left behind.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { BigQuery } from "@google-cloud/bigquery";
import { emulatorAuth } from "../../shared/gcp-emulator.ts";
import { type FakeBigQuery, startFakeBigQuery } from "../../test/fake-bigquery.ts";
import { BigQueryJobs, JobFailedError, type JobRetries, WaitAborted } from "./bigquery-jobs.ts";

const PROJECT = "jobs-project";
const QUICK: JobRetries = { maxNewJobs: 3, backoff: { baseMs: 1, maxMs: 4, jitter: "none" } };
const CONFIG = { query: { query: "SELECT 1", useLegacySql: false } };

async function withFake(body: (fake: FakeBigQuery, jobs: (retries?: JobRetries) => BigQueryJobs) => Promise<void>) {
  const fake = await startFakeBigQuery(PROJECT);
  const bigquery = new BigQuery({ projectId: PROJECT, apiEndpoint: fake.url, ...emulatorAuth(fake.url) });
  try {
    await body(
      fake,
      (retries = QUICK) =>
        new BigQueryJobs(bigquery, { location: "US", pollIntervalMs: 5, jobTimeoutMs: 5_000, retries }),
    );
  } finally {
    await fake.close();
  }
}

const createdIds = (fake: FakeBigQuery) => [...fake.jobs.keys()];
const backendError = { errorResult: { reason: "backendError", message: "injected" } };

test("jobs: an incident's failed jobs are passed over by the batch's next try, which creates the next id", async () => {
  await withFake(async (fake, jobs) => {
    let incident = true;
    fake.outcome = () => (incident ? backendError : {});
    // during the incident: three new jobs fail, then the error goes up to the batch's retry
    const first = await jobs().run("b", CONFIG, "merge").catch((e) => e);
    assert.ok(first instanceof JobFailedError, String(first));
    assert.equal(first.jobId, "b_r2");
    assert.deepEqual(createdIds(fake), ["b", "b_r1", "b_r2"]);

    // the batch's next try (or a restart) after the incident: the failed jobs are met and passed over
    incident = false;
    const done = await jobs().run("b", CONFIG, "merge");
    assert.equal(done.jobReference?.jobId, "b_r3");
    assert.deepEqual(createdIds(fake), ["b", "b_r1", "b_r2", "b_r3"]);

    // a later try meets the job that succeeded and takes it: nothing new runs
    const again = await jobs().run("b", CONFIG, "merge");
    assert.equal(again.jobReference?.jobId, "b_r3");
    assert.equal(fake.jobs.size, 4);
  });
});

test("jobs: the try after the bound continues counting where the existing ids end", async () => {
  await withFake(async (fake, jobs) => {
    fake.outcome = () => backendError;
    await assert.rejects(jobs().run("c", CONFIG, "load"), JobFailedError);
    await assert.rejects(jobs().run("c", CONFIG, "load"), JobFailedError);
    // each call created its own three: none was taken twice
    assert.deepEqual(createdIds(fake), ["c", "c_r1", "c_r2", "c_r3", "c_r4", "c_r5"]);
  });
});

test("jobs: a new job failing for a reason retrying cannot fix goes up at once; the next try runs a new id", async () => {
  await withFake(async (fake, jobs) => {
    fake.outcome = () => ({ errorResult: { reason: "accessDenied", message: "no" } });
    const error = await jobs().run("d", CONFIG, "load").catch((e) => e);
    assert.ok(error instanceof JobFailedError && error.reason === "accessDenied");
    assert.deepEqual(createdIds(fake), ["d"]);
    fake.outcome = () => ({});
    const done = await jobs().run("d", CONFIG, "load");
    assert.equal(done.jobReference?.jobId, "d_r1");
  });
});

test("jobs: new jobs are spaced by the backoff, and a stop ends that wait at once", async () => {
  await withFake(async (fake, jobs) => {
    fake.outcome = () => backendError;
    const slow = jobs({ maxNewJobs: 5, backoff: { baseMs: 60_000, maxMs: 60_000, jitter: "none" } });
    const stop = new AbortController();
    const started = Date.now();
    const running = slow.run("e", CONFIG, "merge", stop.signal).catch((e) => e);
    // the first job fails and the backoff begins: no second job yet
    while (fake.jobs.size === 0 || fake.jobs.get("e")!.pollsLeft > 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(createdIds(fake), ["e"]);
    stop.abort();
    const error = await running;
    assert.ok(error instanceof WaitAborted, String(error));
    assert.ok(Date.now() - started < 5_000, "the stop ended the wait");
    assert.deepEqual(createdIds(fake), ["e"]);
  });
});
