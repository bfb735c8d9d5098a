/**
 * Warehouses for the query, report and web tests: a BigQuery warehouse on the test emulators
 * (fake-gcs-server + bigquery-emulator) in a dataset of its own, and both warehouses seeded
 * with the synthetic history of test/offer-history.ts (and, when asked, its product details).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BigQueryWarehouse } from "../batch/warehouse/bigquery-warehouse.ts";
import { LocalWarehouse } from "../batch/warehouse/local-warehouse.ts";
import { BigQueryEngine } from "../query/engine.ts";
import { integrationEnv } from "./integration-env.ts";
import { detailsBatch } from "./details-history.ts";
import { historyBatch } from "./offer-history.ts";

/**
 * A prepared BigQuery warehouse on the emulators, loading into `dataset`: with the emulator's
 * forms of the load's statements (as the consumer chooses with an emulator endpoint), or the
 * production MERGEs, which the emulator runs too, slowly (docs/emulators.md).
 */
export async function emulatorWarehouse(
  dataset: string,
  forms: "emulator" | "production" = "emulator",
): Promise<BigQueryWarehouse> {
  const warehouse = new BigQueryWarehouse({
    projectId: integrationEnv.bigqueryProject,
    dataset,
    location: "US",
    bucket: `stage-${dataset.replace(/_/g, "-")}`,
    bigqueryEndpoint: integrationEnv.bigqueryEndpoint,
    gcsEndpoint: integrationEnv.gcsEndpoint,
    createBucket: true,
    requirePartitionFilter: true,
    partitionExpirationDays: null,
    keepStagedFiles: false,
    pollIntervalMs: 100,
    jobTimeoutMs: 60_000,
    forms,
  });
  await warehouse.prepare();
  return warehouse;
}

/** The reports' engine on the BigQuery emulator. */
export function emulatorQueryEngine(): BigQueryEngine {
  return new BigQueryEngine({
    projectId: integrationEnv.bigqueryProject,
    location: "US",
    apiEndpoint: integrationEnv.bigqueryEndpoint,
  });
}

/** `dataset` on the emulators holding the synthetic history; its full name `project.dataset`. */
export async function seededEmulatorDataset(dataset: string, options: { details?: boolean } = {}): Promise<string> {
  const warehouse = await emulatorWarehouse(dataset);
  const spool = mkdtempSync(join(tmpdir(), `ofertas-${dataset}-`));
  await warehouse.load(await historyBatch(spool));
  if (options.details) await warehouse.load(await detailsBatch(spool));
  return `${integrationEnv.bigqueryProject}.${dataset}`;
}

/** A prepared local warehouse in `root`, loading in this process (no loader children). */
export async function inProcessLocalWarehouse(root: string): Promise<LocalWarehouse> {
  const warehouse = new LocalWarehouse({ root, keepStagedFiles: false, inProcess: true });
  await warehouse.prepare();
  return warehouse;
}

/** A local warehouse in a new temporary folder holding the synthetic history; the folder. */
export async function seededLocalWarehouse(options: { details?: boolean } = {}): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "ofertas-seeded-"));
  const warehouse = await inProcessLocalWarehouse(root);
  await warehouse.load(await historyBatch(root));
  if (options.details) await warehouse.load(await detailsBatch(root));
  return root;
}
