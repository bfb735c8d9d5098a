/**
 * A scripted stand-in for the BigQuery REST API, for what the emulator does not do like
 * BigQuery: 409 on a duplicate job id, jobs that finish with an errorResult, 5xx answers,
 * and a table that really requires a partition filter. It records every request the official
 * Node client sends, so tests can check them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
}

export interface FakeJob {
  id: string;
  configuration: Record<string, unknown>;
  /** Polls left before DONE; a job with Infinity never finishes. */
  pollsLeft: number;
  errorResult?: { reason: string; message: string };
  /** The job's error list (defaults to the errorResult alone). */
  errors?: Array<{ reason: string; message: string }>;
  dmlAffectedRows?: string;
}

export interface FakeBigQuery {
  url: string;
  requests: RecordedRequest[];
  jobs: Map<string, FakeJob>;
  /** Tables by `dataset.table`; deleting one stands for its expiry. */
  tables: Map<string, Record<string, unknown>>;
  datasets: Set<string>;
  /** Answer the next N job inserts with 503. */
  failNextInserts: number;
  /** Decides how a newly inserted job ends. */
  outcome: (jobId: string) => Partial<Pick<FakeJob, "errorResult" | "errors" | "pollsLeft" | "dmlAffectedRows">>;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function error(res: ServerResponse, status: number, reason: string, message: string) {
  json(res, status, { error: { code: status, message, errors: [{ reason, message }], status: reason } });
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : null;
}

export async function startFakeBigQuery(project: string): Promise<FakeBigQuery> {
  const fake: FakeBigQuery = {
    url: "",
    requests: [],
    jobs: new Map(),
    tables: new Map(),
    datasets: new Set(),
    failNextInserts: 0,
    outcome: () => ({}),
    close: async () => {},
  };

  let lastCreation = 0;
  const jobResource = (job: FakeJob) => ({
    kind: "bigquery#job",
    id: `${project}:US.${job.id}`,
    jobReference: { projectId: project, jobId: job.id, location: "US" },
    configuration: job.configuration,
    status: job.pollsLeft > 0 ? { state: "RUNNING" } : {
      state: "DONE",
      ...(job.errorResult ? { errorResult: job.errorResult, errors: job.errors ?? [job.errorResult] } : {}),
    },
    statistics: job.pollsLeft > 0 || job.errorResult
      ? {}
      : { query: job.dmlAffectedRows ? { numDmlAffectedRows: job.dmlAffectedRows } : undefined },
  });

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const body = await readBody(req);
    const path = url.pathname.replace(/^\/bigquery\/v2/, "");
    fake.requests.push({ method: req.method ?? "", path, body });
    const m = (re: RegExp) => re.exec(path);

    let match: RegExpExecArray | null;
    if (req.method === "POST" && (match = m(/^\/projects\/[^/]+\/jobs$/))) {
      if (fake.failNextInserts > 0) {
        fake.failNextInserts--;
        return error(res, 503, "backendError", "injected 503");
      }
      const reference = body!.jobReference as { jobId: string };
      if (fake.jobs.has(reference.jobId)) {
        return error(res, 409, "duplicate", `Already Exists: Job ${project}:US.${reference.jobId}`);
      }
      const configuration = body!.configuration as Record<string, unknown>;
      const query = (configuration.query as { query?: string } | undefined)?.query;
      if (query && /MERGE\s+`[^`]*daily_offers`/.test(query) && !/ON[\s\S]*offer_date/.test(query)) {
        // what BigQuery says for a table with require_partition_filter
        return error(
          res,
          400,
          "invalidQuery",
          "Cannot query over table 'daily_offers' without a filter over column(s) 'offer_date' that can be used for partition elimination",
        );
      }
      const job: FakeJob = { id: reference.jobId, configuration, pollsLeft: 1, ...fake.outcome(reference.jobId) };
      fake.jobs.set(job.id, job);
      return json(res, 200, jobResource(job));
    }
    // jobs.query: what the consumer reads at its first load (the days it has folded): a new dataset has none
    if (req.method === "POST" && m(/^\/projects\/[^/]+\/queries$/)) {
      const jobId = `fake_query_${fake.requests.length}`;
      return json(res, 200, {
        kind: "bigquery#queryResponse",
        jobReference: { projectId: project, jobId, location: "US" },
        jobComplete: true,
        schema: { fields: [{ name: "d", type: "DATE", mode: "NULLABLE" }] },
        totalRows: "0",
        rows: [],
      });
    }
    if (req.method === "GET" && (match = m(/^\/projects\/[^/]+\/jobs\/([^/]+)$/))) {
      const job = fake.jobs.get(decodeURIComponent(match[1]!));
      if (!job) return error(res, 404, "notFound", "Not found: Job");
      if (job.pollsLeft > 0 && Number.isFinite(job.pollsLeft)) job.pollsLeft--;
      return json(res, 200, jobResource(job));
    }
    if ((match = m(/^\/projects\/[^/]+\/datasets\/([^/]+)$/)) && req.method === "GET") {
      return fake.datasets.has(match[1]!)
        ? json(res, 200, { datasetReference: { projectId: project, datasetId: match[1] } })
        : error(res, 404, "notFound", "Not found: Dataset");
    }
    if (req.method === "POST" && m(/^\/projects\/[^/]+\/datasets$/)) {
      const id = (body!.datasetReference as { datasetId: string }).datasetId;
      fake.datasets.add(id);
      return json(res, 200, body);
    }
    if ((match = m(/^\/projects\/[^/]+\/datasets\/([^/]+)\/tables$/)) && req.method === "POST") {
      const id = `${match[1]}.${(body!.tableReference as { tableId: string }).tableId}`;
      if (fake.tables.has(id)) return error(res, 409, "duplicate", "Already Exists: Table");
      // what BigQuery adds: when this incarnation of the table was made (ms, as a string; never twice the same here)
      lastCreation = Math.max(Date.now(), lastCreation + 1);
      const table = { ...body!, creationTime: String(lastCreation) };
      fake.tables.set(id, table);
      return json(res, 200, table);
    }
    if ((match = m(/^\/projects\/[^/]+\/datasets\/([^/]+)\/tables\/([^/]+)$/))) {
      const id = `${match[1]}.${match[2]}`;
      if (req.method === "GET") {
        return fake.tables.has(id)
          ? json(res, 200, fake.tables.get(id))
          : error(res, 404, "notFound", "Not found: Table");
      }
      if (req.method === "DELETE") {
        fake.tables.delete(id);
        return res.writeHead(204).end();
      }
    }
    error(res, 400, "invalid", `fake BigQuery does not know ${req.method} ${path}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
