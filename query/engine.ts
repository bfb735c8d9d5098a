/**
 * Runs the project's SQL (sql/<engine>/<name>.sql) on the local DuckDB warehouse or on
 * BigQuery, with named parameters, and returns rows as plain JSON values (decimals and
 * big integers as strings, timestamps as ISO strings). Every BigQuery query is bounded: it may
 * bill at most so many bytes and run at most so long (BIGQUERY_BOUNDS_SETTINGS, or the caller's
 * own bounds), and going over either is a QueryLimitError that says which.
 */
import { emulatorAuth } from "../shared/gcp-emulator.ts";
import { BigQuery, type Job } from "@google-cloud/bigquery";
import { DuckDBInstance } from "@duckdb/node-api";
import { join } from "node:path";
import process from "node:process";
import { MINUTE_MS, SECOND_MS } from "../shared/duration.ts";
import { durationSetting, type Env, intSetting, settingsGroup } from "../shared/settings.ts";
import { sqlFile } from "../shared/sql-templates.ts";
import { LOCAL_DATABASE_FILE } from "../shared/warehouse-settings.ts";

export type ParamType = "DATE" | "INT64" | "FLOAT64" | "STRING";
export type Params = Record<string, { type: ParamType; value: string | number }>;
export type Row = Record<string, unknown>;

export interface QueryEngine {
  readonly kind: "duckdb" | "bigquery";
  run(sql: string, params?: Params): Promise<Row[]>;
  close(): Promise<void>;
}

/** The SQL of a named query for an engine, with the dataset placeholder filled in. */
export function querySql(kind: QueryEngine["kind"], name: string, dataset: string): string {
  return sqlFile(kind, name).replaceAll("{{dataset}}", dataset);
}

export class DuckDbEngine implements QueryEngine {
  readonly kind = "duckdb";
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: Awaited<ReturnType<DuckDBInstance["connect"]>>,
  ) {}

  /** Opens the local warehouse; read-only unless asked (the consumer may load in between). */
  static async open(root: string, options: { readOnly: boolean } = { readOnly: true }): Promise<DuckDbEngine> {
    const path = root === ":memory:" ? ":memory:" : join(root, LOCAL_DATABASE_FILE);
    const instance = await DuckDBInstance.create(
      path,
      options.readOnly && path !== ":memory:" ? { access_mode: "READ_ONLY" } : {},
    );
    return new DuckDbEngine(instance, await instance.connect());
  }

  async run(sql: string, params: Params = {}): Promise<Row[]> {
    const values = Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.value]));
    const reader = await this.connection.runAndReadAll(sql, Object.keys(values).length ? values : undefined);
    return reader.getRowObjectsJson() as Row[];
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** What one BigQuery query cost (its job's statistics). */
export interface QueryStats {
  jobId: string | undefined;
  bytesProcessed: number;
  bytesBilled: number;
  cacheHit: boolean | null;
  ms: number;
}

const MIB = 1024 * 1024;

/** What one BigQuery query may cost: bytes billed (maximumBytesBilled) and running time (jobTimeoutMs). */
export interface QueryBounds {
  maxBytesBilled: number;
  jobTimeoutMs: number;
}

/** The bounds of every query of a process that does not set its own (the reports, the alerter). */
export const BIGQUERY_BOUNDS_SETTINGS = settingsGroup(
  "BigQuery query bounds",
  "Every BigQuery query of the reports (`bun run reports/queries.ts`) and of the alerter's candidate reads; the web view has its own, tighter ones (above).",
  {
    maxBilledMb: intSetting(
      "OFERTAS_BQ_MAX_BILLED_MB",
      10_240,
      { min: 10, max: 10_485_760 },
      "MiB one query may bill (BigQuery's `maximumBytesBilled`): a query that would bill more fails without cost, with a clear error",
    ),
    jobTimeout: durationSetting(
      "OFERTAS_BQ_JOB_TIMEOUT",
      "10m",
      { minMs: SECOND_MS, maxMs: 360 * MINUTE_MS },
      "how long one query may run (BigQuery's `jobTimeoutMs`); the client gives up a little after and cancels the job",
    ),
  },
);

/** The bounds the settings give (BIGQUERY_BOUNDS_SETTINGS). */
export function queryBoundsFromEnv(env: Env): QueryBounds {
  const s = BIGQUERY_BOUNDS_SETTINGS.read(env);
  return { maxBytesBilled: s.maxBilledMb * MIB, jobTimeoutMs: s.jobTimeout };
}

/** How long the client waits past the job's own timeout before it gives up (BigQuery stops the job itself). */
export const CLIENT_GRACE_MS = 10 * SECOND_MS;

/** A query stopped by its bounds: it would have billed too many bytes, or it ran too long. */
export class QueryLimitError extends Error {
  constructor(readonly limit: "bytes" | "timeout", readonly bounds: QueryBounds, detail: string) {
    super(
      limit === "bytes"
        ? `the query would bill more than ${Math.round(bounds.maxBytesBilled / MIB)} MiB (its bound): ${detail}`
        : `the query ran longer than ${Math.round(bounds.jobTimeoutMs / 1000)} s (its bound): ${detail}`,
    );
    this.name = "QueryLimitError";
  }
}

/** The client's error for a job stopped by its bounds as a QueryLimitError; any other error as it is. */
export function boundedError(error: unknown, bounds: QueryBounds): unknown {
  const e = error as { message?: unknown; errors?: Array<{ reason?: string; message?: string }> } | null;
  const message = typeof e?.message === "string" ? e.message : String(error);
  const reasons = (Array.isArray(e?.errors) ? e.errors : []).map((x) => x.reason ?? "");
  if (reasons.includes("bytesBilledLimitExceeded") || /exceeded limit for bytes billed/i.test(message)) {
    return new QueryLimitError("bytes", bounds, message);
  }
  if (reasons.includes("timeout") || /timed out|timeout/i.test(message)) {
    return new QueryLimitError("timeout", bounds, message);
  }
  return error;
}

export interface BigQueryEngineOptions {
  projectId: string;
  location: string;
  apiEndpoint?: string;
  /** Default: BIGQUERY_BOUNDS_SETTINGS from the environment. */
  bounds?: QueryBounds;
  /** How long past the job's timeout the client waits for its answer (default CLIENT_GRACE_MS). */
  clientGraceMs?: number;
}

export class BigQueryEngine implements QueryEngine {
  readonly kind = "bigquery";
  readonly bounds: QueryBounds;
  private readonly client: BigQuery;

  constructor(private readonly options: BigQueryEngineOptions) {
    this.bounds = options.bounds ?? queryBoundsFromEnv(process.env);
    this.client = new BigQuery({
      projectId: options.projectId,
      location: options.location,
      apiEndpoint: options.apiEndpoint,
      ...emulatorAuth(options.apiEndpoint),
    });
  }

  async run(sql: string, params: Params = {}): Promise<Row[]> {
    return (await this.runWithStats(sql, params)).rows;
  }

  /** The rows and what the query cost, for callers that account for bytes (the web view). */
  async runWithStats(sql: string, params: Params = {}): Promise<{ rows: Row[]; stats: QueryStats }> {
    const started = performance.now();
    let job: Job | undefined;
    let rows: Row[];
    try {
      [job] = await this.client.createQueryJob({
        query: sql,
        location: this.options.location,
        params: Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.value])),
        types: Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.type])),
        // BigQuery refuses (without cost) a query that would bill more, and stops one that runs longer
        maximumBytesBilled: String(this.bounds.maxBytesBilled),
        jobTimeoutMs: this.bounds.jobTimeoutMs,
      });
      rows = await this.results(job);
    } catch (error) {
      throw boundedError(error, this.bounds);
    }
    const query = job.metadata?.statistics?.query ?? {};
    return {
      rows: rows.map((row: Row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)]))),
      stats: {
        jobId: job.id,
        bytesProcessed: Number(query.totalBytesProcessed ?? 0),
        bytesBilled: Number(query.totalBytesBilled ?? 0),
        cacheHit: query.cacheHit ?? null,
        ms: Math.round(performance.now() - started),
      },
    };
  }

  /** The job's rows, waiting at most a little past its timeout (then the job is cancelled). */
  private async results(job: Job): Promise<Row[]> {
    const waitMs = this.bounds.jobTimeoutMs + (this.options.clientGraceMs ?? CLIENT_GRACE_MS);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        job.cancel().catch(() => {}); // best effort: BigQuery stops it at its own timeout anyway
        reject(new Error(`the query timed out: no answer ${waitMs} ms after it was sent`));
      }, waitMs);
    });
    try {
      return (await Promise.race([job.getQueryResults(), deadline]))[0] as Row[];
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {}
}

/** BigQuery's wrapper objects (BigQueryDate, BigQueryTimestamp, Big) → JSON values. */
export function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object") {
    const v = value as { value?: unknown; constructor?: { name?: string }; toString(): string };
    if ("value" in v && typeof v.value === "string") return v.value;
    if (v.constructor?.name === "Big") return v.toString();
    if (value instanceof Date) return value.toISOString();
  }
  return value;
}
