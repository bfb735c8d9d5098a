/**
 * Production warehouse: stage the batch's gzip NDJSON files in GCS, load them with a **load
 * job** into a per-batch staging table, then MERGE it into the day-partitioned table on its key
 * (offer_key for `daily_offers`). A load job that refuses values (reason `invalid`) is a
 * RowDataError: the consumer isolates those rows. The MERGE scans only the key and date
 * columns of the batch's partitions (docs/consumer.md, "Cost as the table grows").
 *
 * - Job ids are deterministic (`ofertas_load_<dataset>_<batch>_t<staging table's creation time>`,
 *   `ofertas_merge_<dataset>_<batch>`): a retried batch takes its jobs' outcome instead of running
 *   them twice (bigquery-jobs.ts); a re-created staging table gets its own load (bigquery-staging.ts).
 * - The MERGE inserts only offer_keys the table does not have. Batches cut differently after a
 *   restart therefore still leave one row per offer.
 * - Quota: the load jobs write the per-batch staging tables, not `daily_offers`. The MERGE is DML,
 *   which does not count towards the 1,500 table modifications per table per day.
 */
import { emulatorAuth } from "../../shared/gcp-emulator.ts";
import { BigQuery } from "@google-cloud/bigquery";
import { BigQueryJobs, type JobOptions, unlessAborted } from "./bigquery-jobs.ts";
import { loadStagingTable } from "./bigquery-staging.ts";
import { Storage } from "@google-cloud/storage";
import { log } from "../../shared/log.ts";
import {
  bigQuerySchemaOf,
  DAILY_OFFERS,
  ITEM_DAYS,
  LOADED_TABLES,
  loadedTable,
  PRODUCT_DAYS,
  type TableSpec,
} from "../../shared/tables.ts";
import { BigQueryFolds } from "./bigquery-folds.ts";
import { insertNewSql, mergeSql } from "./bigquery-merge-sql.ts";
import { withTimeout } from "../../shared/timeout.ts";
import { faultPoint } from "../../shared/fault-points.ts";
import type { LoadBatch } from "../staging.ts";
import type { LoadResult, Warehouse } from "./warehouse.ts";
import { WarehouseSetupError } from "./warehouse.ts";

export interface BigQueryWarehouseOptions {
  projectId: string;
  dataset: string;
  location: string;
  bucket: string;
  /** Emulator endpoints (fake-gcs-server, bigquery-emulator); undefined in production. */
  bigqueryEndpoint?: string;
  gcsEndpoint?: string;
  /** Create the bucket when it is missing (emulators); in production Terraform owns it. */
  createBucket: boolean;
  requirePartitionFilter: boolean;
  partitionExpirationDays: number | null;
  keepStagedFiles: boolean;
  /** Time between polls of a running job. */
  pollIntervalMs: number;
  /** Longest wait for one job before the batch is retried. */
  jobTimeoutMs: number;
  /** A job or call running this long is reported while it runs (default 30 s). */
  slowAfterMs?: number;
  /** Longest wait for one API call that is not a job (an upload, a table's creation; default 120 s). */
  callTimeoutMs?: number;
  /**
   * `production`: MERGE statements (BigQuery). `emulator`: the same effect in statements the
   * emulator runs in time linear in the day (docs/emulators.md).
   */
  forms: "production" | "emulator";
  /** Told of every job that ended (benchmarks). */
  onJob?: JobOptions["onJob"];
}

export class BigQueryWarehouse implements Warehouse {
  readonly kind = "bigquery";
  private readonly bigquery: BigQuery;
  private readonly storage: Storage;
  private readonly jobs: BigQueryJobs;
  /** The folds of item_days and product_days each load of daily_offers carries out (bigquery-folds.ts). */
  private readonly folds: BigQueryFolds;

  constructor(private readonly options: BigQueryWarehouseOptions) {
    this.bigquery = new BigQuery({
      projectId: options.projectId,
      location: options.location,
      apiEndpoint: options.bigqueryEndpoint,
      ...emulatorAuth(options.bigqueryEndpoint),
    });
    this.storage = new Storage({
      projectId: options.projectId,
      apiEndpoint: options.gcsEndpoint,
      ...emulatorAuth(options.gcsEndpoint),
    });
    this.jobs = new BigQueryJobs(this.bigquery, options);
    this.folds = new BigQueryFolds(
      options,
      this.bigquery,
      this.jobs,
      (what, work, signal) => this.call(what, work, signal),
    );
  }

  private tableRef(table: TableSpec) {
    return `\`${this.options.projectId}.${this.options.dataset}.${table.name}\``;
  }

  async prepare(): Promise<void> {
    const { dataset: datasetId, bucket, location } = this.options;
    const bucketRef = this.storage.bucket(bucket);
    const [bucketExists] = await bucketRef.exists();
    if (!bucketExists) {
      if (!this.options.createBucket) {
        throw new WarehouseSetupError(
          `GCS bucket ${bucket} does not exist (Terraform creates it; check OFERTAS_GCS_BUCKET)`,
        );
      }
      await this.storage.createBucket(bucket, { location }).catch(ignoreCode(409));
    }

    const dataset = this.bigquery.dataset(datasetId, { location });
    const [datasetExists] = await dataset.exists();
    if (!datasetExists) await this.bigquery.createDataset(datasetId, { location }).catch(ignoreCode(409));

    for (const table of [...Object.values(LOADED_TABLES), ITEM_DAYS, PRODUCT_DAYS]) {
      await this.ensureTable(dataset, table);
    }
  }

  private async ensureTable(dataset: ReturnType<BigQuery["dataset"]>, spec: TableSpec): Promise<void> {
    const schema = bigQuerySchemaOf(spec);
    const datasetId = this.options.dataset;
    const table = dataset.table(spec.name);
    const [tableExists] = await table.exists();
    if (!tableExists) {
      await dataset
        .createTable(spec.name, {
          schema: { fields: schema },
          timePartitioning: {
            type: "DAY",
            field: spec.partitionField,
            ...(this.options.partitionExpirationDays
              ? { expirationMs: String(this.options.partitionExpirationDays * 86_400_000) }
              : {}),
          },
          clustering: { fields: [...spec.clusteringFields] },
          requirePartitionFilter: this.options.requirePartitionFilter,
          description: spec.description,
        })
        .catch(ignoreCode(409));
      return;
    }
    const [metadata] = await this.migrateColumns(table, spec, schema);
    const have = new Map<string, string>(
      (metadata.schema?.fields ?? []).map((f: { name: string; type: string }) => [f.name, normalizeType(f.type)]),
    );
    const problems = schema
      .filter((f) => have.get(f.name) !== normalizeType(f.type))
      .map((f) => (have.has(f.name) ? `${f.name} is ${have.get(f.name)}, expected ${f.type}` : `${f.name} is missing`));
    if (problems.length) {
      throw new WarehouseSetupError(
        `table ${datasetId}.${spec.name} does not match schema/${spec.name}.json: ${problems.join("; ")}`,
      );
    }
    if (metadata.timePartitioning?.field !== spec.partitionField) {
      throw new WarehouseSetupError(`table ${datasetId}.${spec.name} is not partitioned by ${spec.partitionField}`);
    }
  }

  /**
   * A table made by an earlier version gains the NULLABLE columns added since (appended, as
   * BigQuery allows) and has REQUIRED relaxed to NULLABLE where a column became optional; both
   * are in-place schema updates that keep every row (docs/contract.md). The patch carries the
   * metadata's etag, so two consumers migrating at once cannot overwrite each other.
   */
  private async migrateColumns(
    table: ReturnType<ReturnType<BigQuery["dataset"]>["table"]>,
    spec: TableSpec,
    schema: ReturnType<typeof bigQuerySchemaOf>,
  ) {
    const [metadata] = await table.getMetadata();
    const fields: Array<{ name: string; type: string; mode?: string; description?: string }> =
      metadata.schema?.fields ??
        [];
    const byName = new Map(fields.map((f) => [f.name, f]));
    const changes: string[] = [];
    const migrated = fields.map((f) => {
      const wanted = schema.find((w) => w.name === f.name);
      if (wanted?.mode === "NULLABLE" && (f.mode ?? "NULLABLE") === "REQUIRED") {
        changes.push(`${f.name} may be null`);
        return { ...f, mode: "NULLABLE" };
      }
      return f;
    });
    for (const wanted of schema) {
      if (byName.has(wanted.name) || wanted.mode !== "NULLABLE") continue;
      migrated.push(wanted);
      changes.push(`added ${wanted.name}`);
    }
    if (changes.length === 0) return [metadata] as const;
    const [updated] = await table.setMetadata({ schema: { fields: migrated }, etag: metadata.etag });
    log("info", "warehouse_migrated", { table: `${this.options.dataset}.${spec.name}`, changes });
    return [updated] as const;
  }

  async load(batch: LoadBatch, signal?: AbortSignal): Promise<LoadResult> {
    const { bucket, dataset, projectId } = this.options;
    const table = loadedTable(batch.table);
    const schema = bigQuerySchemaOf(table);
    const call = <T>(what: string, work: () => Promise<T>) => this.call(what, work, signal);
    const staged: string[] = [];
    for (const file of batch.files) {
      await call("upload", () =>
        this.storage.bucket(bucket).upload(file.localPath, {
          destination: file.path,
          resumable: false,
          metadata: { contentType: "application/x-ndjson", contentEncoding: "gzip" },
        }));
      staged.push(`gs://${bucket}/${file.path}`);
    }
    if (staged.length === 0) return { inserted: 0, staged };
    faultPoint("after_stage");

    // a per-batch staging table: load jobs write it, not the partitioned table; it expires by itself
    const stageTable = `${table.name}_stage_${batch.id}`;
    const stageRef = `\`${projectId}.${dataset}.${stageTable}\``;
    await loadStagingTable(this.bigquery, this.jobs, call, {
      projectId,
      dataset,
      stageTable,
      batchId: batch.id,
      schema,
      sourceUris: staged,
      what: `load ${table.name} staging`,
    }, signal);

    const [first, last] = [batch.dates[0]!, batch.dates[batch.dates.length - 1]!];
    const insert = this.options.forms === "emulator"
      ? insertNewSql(table, this.tableRef(table), stageRef, first, last)
      : mergeSql(table, this.tableRef(table), stageRef, first, last);
    const merge = await this.jobs.run(
      `ofertas_merge_${dataset}_${batch.id}`,
      { query: { query: insert, useLegacySql: false } },
      `${this.options.forms === "emulator" ? "insert new rows into" : "merge into"} ${table.name}`,
      signal,
    );
    const affected = merge.statistics?.query?.numDmlAffectedRows;
    if (table.name === DAILY_OFFERS.name) await this.folds.foldDays(batch, stageRef, signal);

    // clean-up is best effort: the staging table expires, a bucket lifecycle rule removes old files
    await call("delete staging table", () => this.bigquery.dataset(dataset).table(stageTable).delete()).catch(() => {});
    if (!this.options.keepStagedFiles) {
      await Promise.all(batch.files.map((f) => this.storage.bucket(bucket).file(f.path).delete().catch(() => {})));
    }
    return { inserted: affected === undefined ? null : Number(affected), staged };
  }

  /**
   * One API call of a load (an upload, a table's creation or deletion): bounded in time, ended at
   * once by a stop, and reported when it is slow. Jobs have their own bounds (bigquery-jobs.ts).
   */
  private async call<T>(what: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const started = performance.now();
    const result = await unlessAborted(withTimeout(work(), this.options.callTimeoutMs ?? 120_000, what), signal, what);
    const ms = Math.round(performance.now() - started);
    if (ms >= (this.options.slowAfterMs ?? 30_000)) log("warn", "bigquery_call_slow", { what, ms });
    return result;
  }

  async close(): Promise<void> {}
}

function ignoreCode(code: number) {
  return (error: { code?: number }) => {
    if (error?.code !== code) throw error;
  };
}

const TYPE_ALIASES: Record<string, string> = {
  INT64: "INTEGER",
  FLOAT64: "FLOAT",
  BOOL: "BOOLEAN",
  BIGNUMERIC: "BIGNUMERIC",
};
function normalizeType(type: string): string {
  const upper = (type ?? "").toUpperCase();
  return TYPE_ALIASES[upper] ?? upper;
}
