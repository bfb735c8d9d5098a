/**
 * A batch's staging table and the load job that fills it (steps 2 and 3 of a BigQuery load). The
 * table expires a day after it was created, and creating it when it exists does nothing; the
 * load job is met by id. So the load job's id names the table's incarnation (its `creationTime`):
 * a restart within the table's life meets its own load job, while a table re-created after it
 * expired (a restart more than a day after a crash between the load and the MERGE) gets a fresh
 * load job instead of meeting the old one's success over an empty table and merging nothing.
 */
import type { BigQuery } from "@google-cloud/bigquery";
import { log } from "../../shared/log.ts";
import type { SchemaField } from "../../shared/contract/column.ts";
import { type BigQueryJobs, JobFailedError } from "./bigquery-jobs.ts";
import { RowDataError } from "./warehouse.ts";

/** A staging table lives this long: long enough for any retry of the batch, then it cleans itself up. */
export const STAGING_TABLE_LIFE_MS = 86_400_000;

export interface StagingLoad {
  projectId: string;
  dataset: string;
  /** The per-batch staging table's name. */
  stageTable: string;
  /** The batch's id (deterministic: a re-cut of the same records has the same one). */
  batchId: string;
  schema: SchemaField[];
  /** The batch's staged files in GCS. */
  sourceUris: string[];
  /** What the logs call the load. */
  what: string;
}

type Call = <T>(what: string, work: () => Promise<T>) => Promise<T>;

/**
 * Creates the staging table (or finds the one an earlier attempt created) and loads the staged
 * files into it under a job id of that table's incarnation. A load that refuses values is a
 * RowDataError with BigQuery's words.
 */
export async function loadStagingTable(
  bigquery: BigQuery,
  jobs: BigQueryJobs,
  call: Call,
  load: StagingLoad,
  signal?: AbortSignal,
): Promise<void> {
  const { projectId, dataset, stageTable } = load;
  const created = await stagingTableCreated(bigquery, call, dataset, stageTable, load.schema);
  // job ids are unique per project: name the destination so environments sharing a project never meet
  const jobId = created === null
    ? `ofertas_load_${dataset}_${load.batchId}`
    : `ofertas_load_${dataset}_${load.batchId}_t${created}`;
  try {
    await jobs.run(
      jobId,
      {
        load: {
          sourceUris: load.sourceUris,
          sourceFormat: "NEWLINE_DELIMITED_JSON",
          destinationTable: { projectId, datasetId: dataset, tableId: stageTable },
          schema: { fields: load.schema },
          writeDisposition: "WRITE_TRUNCATE",
          createDisposition: "CREATE_NEVER",
          maxBadRecords: 0,
        },
      },
      load.what,
      signal,
    );
  } catch (error) {
    // the load job read our rows and refused some of their values: isolate them
    if (error instanceof JobFailedError && error.reason === "invalid") {
      throw new RowDataError([error.message, ...error.errors.map((e) => e.message ?? "")].filter(Boolean).join("; "));
    }
    throw error;
  }
}

/**
 * The staging table's creation time (ms since the epoch, as BigQuery gives it), from the answer
 * to its creation, or from its metadata when an earlier attempt created it; null when the engine
 * does not say (then the load job's id cannot tell incarnations apart, and a warning says so).
 */
async function stagingTableCreated(
  bigquery: BigQuery,
  call: Call,
  dataset: string,
  stageTable: string,
  schema: StagingLoad["schema"],
): Promise<string | null> {
  const table = bigquery.dataset(dataset).table(stageTable);
  const metadata = await call("create staging table", async () => {
    try {
      const [, answer] = await bigquery.dataset(dataset).createTable(stageTable, {
        schema: { fields: schema },
        expirationTime: String(Date.now() + STAGING_TABLE_LIFE_MS),
      });
      return answer as { creationTime?: unknown } | undefined;
    } catch (error) {
      if ((error as { code?: number })?.code !== 409) throw error;
      const [existing] = await table.getMetadata();
      return existing as { creationTime?: unknown };
    }
  });
  const created = metadata?.creationTime;
  if (typeof created === "string" && /^\d{1,16}$/.test(created)) return created;
  if (typeof created === "number" && Number.isSafeInteger(created)) return String(created);
  log("warn", "bigquery_stage_no_creation_time", {
    table: `${dataset}.${stageTable}`,
    note: "the load job's id cannot tell a re-created staging table from the first",
  });
  return null;
}
