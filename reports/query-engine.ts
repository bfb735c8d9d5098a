/**
 * Runs the project's SQL (sql/<engine>/<name>.sql) on the local DuckDB warehouse or on
 * BigQuery, with named parameters, and returns rows as plain JSON values (decimals and
 * big integers as strings, timestamps as ISO strings).
 */
import { emulatorAuth } from "../shared/gcp-emulator.ts";
import { BigQuery } from "@google-cloud/bigquery";
import { DuckDBInstance } from "@duckdb/node-api";
import { join } from "node:path";
import { sqlFile } from "./sql-templates.ts";
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

export class BigQueryEngine implements QueryEngine {
  readonly kind = "bigquery";
  private readonly client: BigQuery;

  constructor(private readonly options: { projectId: string; location: string; apiEndpoint?: string }) {
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
    const [job] = await this.client.createQueryJob({
      query: sql,
      location: this.options.location,
      params: Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.value])),
      types: Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.type])),
    });
    const [rows] = await job.getQueryResults();
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
