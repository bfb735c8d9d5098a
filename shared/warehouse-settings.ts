/**
 * Where the warehouse is: the settings every reader and writer of it shares (the batch consumer,
 * the reports, the web view). What only the consumer needs (the GCS bucket, load tuning) is in
 * batch/consumer-config.ts.
 */
import { choiceSetting, type Env, optionalTextSetting, SettingError, settingsGroup, textSetting } from "./settings.ts";

export const WAREHOUSE_SETTINGS = settingsGroup(
  "Warehouse",
  "Read by the batch consumer, the reports (`bun run reports/queries.ts`) and the web view.",
  {
    kind: choiceSetting("OFERTAS_WAREHOUSE", ["local", "bigquery"], "local", "where offers are loaded and read"),
    localDir: textSetting(
      "OFERTAS_LOCAL_DIR",
      ".ofertas/warehouse",
      "local folder: the consumer's spool of batches (both warehouses), and the local warehouse's `ofertas.duckdb`",
    ),
    project: optionalTextSetting("OFERTAS_BQ_PROJECT", "BigQuery project (required with `bigquery`)"),
    dataset: textSetting(
      "OFERTAS_BQ_DATASET",
      "ofertas",
      "BigQuery dataset",
      (d) => (/^[A-Za-z0-9_]{1,1024}$/.test(d) ? null : `: "${d}" is not a BigQuery dataset name`),
    ),
    location: textSetting("OFERTAS_BQ_LOCATION", "US", "BigQuery location of the dataset and jobs"),
    bigqueryEndpoint: optionalTextSetting(
      "OFERTAS_BQ_ENDPOINT",
      "BigQuery API endpoint (the emulator in tests and compose)",
    ),
  },
);

/** The DuckDB file inside OFERTAS_LOCAL_DIR. */
export const LOCAL_DATABASE_FILE = "ofertas.duckdb";

export type WarehouseLocation =
  | { kind: "local"; localDir: string }
  | { kind: "bigquery"; projectId: string; dataset: string; location: string; bigqueryEndpoint: string | undefined };

export function warehouseLocationFromEnv(env: Env): WarehouseLocation {
  const s = WAREHOUSE_SETTINGS.read(env);
  if (s.kind === "local") return { kind: "local", localDir: s.localDir };
  if (!s.project) throw new SettingError("OFERTAS_BQ_PROJECT", "is required with OFERTAS_WAREHOUSE=bigquery");
  return {
    kind: "bigquery",
    projectId: s.project,
    dataset: s.dataset,
    location: s.location,
    bigqueryEndpoint: s.bigqueryEndpoint ?? undefined,
  };
}
