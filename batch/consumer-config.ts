/** The batch consumer's settings, declared once (shared/settings.ts); every bad value is a clear start-up error. */
import { CONSUMER_GROUP_SETTING, KAFKA_SETTINGS } from "../shared/kafka.ts";
import {
  boolSetting,
  choiceSetting,
  documentedOnly,
  type Env,
  intSetting,
  optionalIntSetting,
  optionalTextSetting,
  SettingError,
  settingsGroup,
} from "../shared/settings.ts";
import { WAREHOUSE_SETTINGS, warehouseLocationFromEnv } from "../shared/warehouse-settings.ts";
import type { BigQueryWarehouseOptions } from "./warehouse/bigquery-warehouse.ts";
import type { LocalWarehouseOptions } from "./warehouse/local-warehouse.ts";

/** BigQuery allows 1,500 modifications per table per day; a batch every minute is 1,440. */
export const MIN_INTERVAL_MS = 60_000;

export const CONSUMER_SETTINGS = settingsGroup(
  "Batch consumer",
  "`bun run batch/consumer.ts` (started by `npm start`).",
  {
    groupId: CONSUMER_GROUP_SETTING,
    loadAlerts: boolSetting(
      "OFERTAS_CONSUMER_ALERTS",
      true,
      "also load the alerts topic into `alerts` (a third feed of the same daemon)",
    ),
    loadStock: boolSetting(
      "OFERTAS_CONSUMER_STOCK",
      true,
      "also load the stock topic into `stock_observations` and announce its loads (a fourth feed of the same daemon)",
    ),
    loadDetails: boolSetting(
      "OFERTAS_CONSUMER_DETAILS",
      true,
      "also load the product-details topic into `product_details` (a second feed of the same daemon)",
    ),
    intervalMs: intSetting(
      "OFERTAS_BATCH_INTERVAL_MS",
      300_000,
      { min: 100, max: 24 * 3_600_000 },
      `fixed flush interval (at least ${MIN_INTERVAL_MS} with BigQuery; \`npm start\` uses 30000)`,
    ),
    allowShortInterval: boolSetting(
      "OFERTAS_ALLOW_SHORT_INTERVAL",
      false,
      "allow an interval under the BigQuery floor (tests only)",
    ),
    maxRecords: intSetting(
      "OFERTAS_BATCH_MAX_RECORDS",
      50_000,
      { min: 1, max: 10_000_000 },
      "flush early at this many records",
    ),
    maxBytes: intSetting(
      "OFERTAS_BATCH_MAX_BYTES",
      64 * 1024 * 1024,
      { min: 1024, max: 2 * 1024 * 1024 * 1024 },
      "flush early at this many bytes of record values",
    ),
    retryBaseMs: intSetting(
      "OFERTAS_RETRY_BASE_MS",
      1_000,
      { min: 1, max: 600_000 },
      "first backoff of a failed batch",
    ),
    retryMaxMs: intSetting(
      "OFERTAS_RETRY_MAX_MS",
      60_000,
      { min: 1, max: 3_600_000 },
      "longest backoff of a failed batch",
    ),
    loadTimeoutMs: intSetting(
      "OFERTAS_LOAD_TIMEOUT_MS",
      900_000,
      { min: 100, max: 6 * 3_600_000 },
      "a load still running after this is retried",
    ),
    // the broker's group.min.session.timeout.ms is 6 s
    sessionTimeoutMs: intSetting(
      "OFERTAS_KAFKA_SESSION_TIMEOUT_MS",
      30_000,
      { min: 6_000, max: 300_000 },
      "how long a crashed consumer holds its partitions",
    ),
    metricsPort: optionalIntSetting(
      "OFERTAS_METRICS_PORT",
      { min: 0, max: 65_535 },
      "serve `/metrics` and `/healthz` here (9464 with `npm start`)",
    ),
    keepStagedFiles: boolSetting("OFERTAS_KEEP_STAGED_FILES", false, "keep staged files after a successful load"),
    gcsBucket: optionalTextSetting(
      "OFERTAS_GCS_BUCKET",
      "staging bucket (required with `bigquery`; Terraform creates it)",
    ),
    gcsEndpoint: optionalTextSetting("OFERTAS_GCS_ENDPOINT", "GCS API endpoint (the emulator in tests and compose)"),
    gcsCreateBucket: boolSetting(
      "OFERTAS_GCS_CREATE_BUCKET",
      false,
      "create the bucket when missing (always on with an emulator endpoint)",
    ),
    requirePartitionFilter: boolSetting(
      "OFERTAS_BQ_REQUIRE_PARTITION_FILTER",
      true,
      "set on a table the consumer creates",
    ),
    partitionExpirationDays: optionalIntSetting(
      "OFERTAS_BQ_PARTITION_EXPIRATION_DAYS",
      { min: 1, max: 100_000 },
      "partition expiry on a table the consumer creates",
    ),
    bqPollIntervalMs: intSetting(
      "OFERTAS_BQ_POLL_INTERVAL_MS",
      1_000,
      { min: 50, max: 60_000 },
      "time between polls of a running BigQuery job",
    ),
    bqJobTimeoutMs: intSetting(
      "OFERTAS_BQ_JOB_TIMEOUT_MS",
      600_000,
      { min: 1_000, max: 6 * 3_600_000 },
      "longest wait for one BigQuery job before the batch is retried",
    ),
    bqSlowAfterMs: intSetting(
      "OFERTAS_BQ_SLOW_AFTER_MS",
      30_000,
      { min: 100, max: 6 * 3_600_000 },
      "a BigQuery job or call still running after this is reported while it runs (`bigquery_job_running`), and again each time this long passes",
    ),
    bqForms: choiceSetting(
      "OFERTAS_BQ_FORMS",
      ["auto", "production", "emulator"] as const,
      "auto",
      "the statements of a load: `production` (MERGE), `emulator` (the same effect in forms the BigQuery emulator runs in time linear in the day: docs/emulators.md); `auto`: `emulator` with OFERTAS_BQ_ENDPOINT set",
    ),
    memoryMb: intSetting(
      "OFERTAS_CONSUMER_MEMORY_MB",
      300,
      { min: 0, max: 1_000_000 },
      "memory the consumer's JavaScript engine plans for (garbage is collected within it); 0 = Bun's default, sized from the machine",
    ),
    jscRam: documentedOnly(
      "BUN_JSC_forceRAMSize",
      "—",
      "set by the consumer for itself from OFERTAS_CONSUMER_MEMORY_MB (bytes Bun's JS engine plans for)",
    ),
    faultPoint: documentedOnly(
      "OFERTAS_FAULT_POINT",
      "—",
      "tests only: SIGKILL the consumer at `after_stage` or `after_load`",
    ),
  },
);

export interface ConsumerSettings {
  groupId: string;
  topic: string;
  deadLetterTopic: string;
  /** The second feed: product details from their own topic, in their own group; null when off. */
  details: { groupId: string; topic: string; deadLetterTopic: string } | null;
  /** The fourth feed: stock observations, in their own group, announced like the offers; null when off. */
  stock: { groupId: string; topic: string; deadLetterTopic: string } | null;
  /** The third feed: alerts and their deliveries, in their own group; null when off. */
  alerts: { groupId: string; topic: string; deadLetterTopic: string } | null;
  /** Where each loaded batch of offers is announced (the alerter evaluates it). */
  loadsTopic: string;
  /** A batch is flushed this often, or sooner when it reaches maxRecords or maxBytes. */
  intervalMs: number;
  maxRecords: number;
  maxBytes: number;
  /** Backoff between retries of a batch that failed to load. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A load (stage + load + merge) taking longer counts as failed and is retried. */
  loadTimeoutMs: number;
  /** Kafka group session: how long a crashed member holds its partitions. */
  sessionTimeoutMs: number;
  metricsPort: number | null;
  /** Local folder for the batches being written and loaded (OFERTAS_LOCAL_DIR, with either warehouse). */
  spoolRoot: string;
  warehouse: { kind: "local"; local: LocalWarehouseOptions } | { kind: "bigquery"; bigquery: BigQueryWarehouseOptions };
}

export function consumerSettingsFromEnv(env: Env): ConsumerSettings {
  const s = CONSUMER_SETTINGS.read(env);
  const where = warehouseLocationFromEnv(env);
  // the floor protects the BigQuery quota; tests and the local warehouse may go lower on purpose
  if (where.kind === "bigquery" && !s.allowShortInterval && s.intervalMs < MIN_INTERVAL_MS) {
    throw new SettingError(
      "OFERTAS_BATCH_INTERVAL_MS",
      `must be an integer from ${MIN_INTERVAL_MS} with OFERTAS_WAREHOUSE=bigquery (1,500 table modifications a day), got "${s.intervalMs}"`,
    );
  }
  let warehouse: ConsumerSettings["warehouse"];
  if (where.kind === "local") {
    warehouse = { kind: "local", local: { root: where.localDir, keepStagedFiles: s.keepStagedFiles } };
  } else {
    if (!s.gcsBucket) throw new SettingError("OFERTAS_GCS_BUCKET", "is required with OFERTAS_WAREHOUSE=bigquery");
    warehouse = {
      kind: "bigquery",
      bigquery: {
        projectId: where.projectId,
        dataset: where.dataset,
        location: where.location,
        bucket: s.gcsBucket,
        bigqueryEndpoint: where.bigqueryEndpoint,
        gcsEndpoint: s.gcsEndpoint ?? undefined,
        createBucket: Boolean(s.gcsEndpoint) || s.gcsCreateBucket,
        requirePartitionFilter: s.requirePartitionFilter,
        partitionExpirationDays: s.partitionExpirationDays,
        keepStagedFiles: s.keepStagedFiles,
        pollIntervalMs: s.bqPollIntervalMs,
        jobTimeoutMs: s.bqJobTimeoutMs,
        slowAfterMs: s.bqSlowAfterMs,
        forms: s.bqForms === "auto" ? (where.bigqueryEndpoint ? "emulator" : "production") : s.bqForms,
      },
    };
  }
  return {
    groupId: s.groupId,
    topic: KAFKA_SETTINGS.settings.topic.read(env),
    deadLetterTopic: KAFKA_SETTINGS.settings.deadLetterTopic.read(env),
    details: s.loadDetails
      ? {
        groupId: `${s.groupId}.details`,
        topic: KAFKA_SETTINGS.settings.detailsTopic.read(env),
        deadLetterTopic: KAFKA_SETTINGS.settings.detailsDeadLetterTopic.read(env),
      }
      : null,
    stock: s.loadStock
      ? {
        groupId: `${s.groupId}.stock`,
        topic: KAFKA_SETTINGS.settings.stockTopic.read(env),
        deadLetterTopic: KAFKA_SETTINGS.settings.stockDeadLetterTopic.read(env),
      }
      : null,
    alerts: s.loadAlerts
      ? {
        groupId: `${s.groupId}.alerts`,
        topic: KAFKA_SETTINGS.settings.alertsTopic.read(env),
        deadLetterTopic: KAFKA_SETTINGS.settings.alertsDeadLetterTopic.read(env),
      }
      : null,
    loadsTopic: KAFKA_SETTINGS.settings.loadsTopic.read(env),
    intervalMs: s.intervalMs,
    maxRecords: s.maxRecords,
    maxBytes: s.maxBytes,
    retryBaseMs: s.retryBaseMs,
    retryMaxMs: s.retryMaxMs,
    loadTimeoutMs: s.loadTimeoutMs,
    sessionTimeoutMs: s.sessionTimeoutMs,
    metricsPort: s.metricsPort,
    spoolRoot: where.kind === "local" ? where.localDir : WAREHOUSE_SETTINGS.settings.localDir.read(env),
    warehouse,
  };
}
