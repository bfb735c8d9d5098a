/**
 * Every BigQuery query is bounded: the official client sends maximumBytesBilled and jobTimeoutMs
 * with each job (checked on the requests a scripted BigQuery records), the settings give the
 * defaults, a job that never answers is given up and cancelled, and BigQuery's over-limit errors
 * come back as a QueryLimitError that says which bound.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startFakeBigQuery } from "../test/fake-bigquery.ts";
import { BigQueryEngine, boundedError, queryBoundsFromEnv, QueryLimitError } from "./engine.ts";

const MIB = 1024 * 1024;

test("bounds: every job the client sends carries maximumBytesBilled and jobTimeoutMs", async () => {
  const fake = await startFakeBigQuery("bounded");
  try {
    const engine = new BigQueryEngine({
      projectId: "bounded",
      location: "US",
      apiEndpoint: fake.url,
      bounds: { maxBytesBilled: 123 * MIB, jobTimeoutMs: 45_000 },
    });
    // the scripted BigQuery does not answer query results: only the job insert is of interest here
    await assert.rejects(engine.run("SELECT @x AS x", { x: { type: "STRING", value: "a" } }));
    const insert = fake.requests.find((r) => r.method === "POST" && /\/jobs$/.test(r.path));
    assert.ok(insert, "the job was inserted");
    const configuration = insert.body!.configuration as { query: Record<string, unknown>; jobTimeoutMs?: string };
    assert.equal(configuration.query.maximumBytesBilled, String(123 * MIB));
    assert.equal(configuration.jobTimeoutMs, "45000");
    assert.equal(configuration.query.query, "SELECT @x AS x");
  } finally {
    await fake.close();
  }
});

test("bounds: the settings give the defaults, and a bad value names its variable", () => {
  assert.deepEqual(queryBoundsFromEnv({}), { maxBytesBilled: 10_240 * MIB, jobTimeoutMs: 600_000 });
  assert.deepEqual(queryBoundsFromEnv({ OFERTAS_BQ_MAX_BILLED_MB: "50", OFERTAS_BQ_JOB_TIMEOUT: "30s" }), {
    maxBytesBilled: 50 * MIB,
    jobTimeoutMs: 30_000,
  });
  assert.throws(() => queryBoundsFromEnv({ OFERTAS_BQ_MAX_BILLED_MB: "1" }), /OFERTAS_BQ_MAX_BILLED_MB/);
  assert.throws(() => queryBoundsFromEnv({ OFERTAS_BQ_JOB_TIMEOUT: "soon" }), /OFERTAS_BQ_JOB_TIMEOUT/);
  const engine = new BigQueryEngine({ projectId: "p", location: "US", apiEndpoint: "http://127.0.0.1:9" });
  assert.deepEqual(engine.bounds, queryBoundsFromEnv({}), "an engine without bounds takes the settings'");
});

test("bounds: a job that never answers is given up a little after its timeout, and cancelled", async () => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url?.split("?")[0]}`);
    if (req.method === "POST" && /\/jobs$/.test(req.url?.split("?")[0] ?? "")) {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const { jobReference } = JSON.parse(body) as { jobReference: { jobId: string } };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
          id: `p:US.${jobReference.jobId}`,
          jobReference: { ...jobReference, projectId: "p", location: "US" },
          status: { state: "RUNNING" },
        }));
      });
      return;
    }
    if (req.method === "POST" && /\/cancel$/.test(req.url?.split("?")[0] ?? "")) {
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
      return;
    }
    // the results never come
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const engine = new BigQueryEngine({
      projectId: "p",
      location: "US",
      apiEndpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      bounds: { maxBytesBilled: 10 * MIB, jobTimeoutMs: 200 },
      clientGraceMs: 100,
    });
    const started = performance.now();
    const error = await engine.run("SELECT 1").then(() => null, (e: unknown) => e);
    assert.ok(error instanceof QueryLimitError, String(error));
    assert.equal(error.limit, "timeout");
    assert.ok(performance.now() - started < 5_000, "given up near its bound");
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(seen.some((s) => /^POST .*\/cancel$/.test(s)), `the job was cancelled: ${seen.join(", ")}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test("bounds: BigQuery's over-limit errors are QueryLimitErrors that say which bound; others pass through", () => {
  const bounds = { maxBytesBilled: 100 * MIB, jobTimeoutMs: 30_000 };
  const bytes = boundedError(
    Object.assign(new Error("Query exceeded limit for bytes billed: 104857600. 209715200 or higher required."), {
      errors: [{ reason: "bytesBilledLimitExceeded", message: "Query exceeded limit for bytes billed" }],
    }),
    bounds,
  );
  assert.ok(bytes instanceof QueryLimitError);
  assert.equal(bytes.limit, "bytes");
  assert.match(bytes.message, /more than 100 MiB/);
  const slow = boundedError(new Error("Job execution was cancelled: Job timed out after 30 sec"), bounds);
  assert.ok(slow instanceof QueryLimitError);
  assert.equal(slow.limit, "timeout");
  assert.match(slow.message, /longer than 30 s/);
  const other = new Error("Not found: Table p:d.daily_offers");
  assert.equal(boundedError(other, bounds), other);
});
