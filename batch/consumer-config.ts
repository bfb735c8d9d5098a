/** The batch consumer's settings, from the environment; every bad value is a clear start-up error. */
import { envBool, envInt } from "../shared/env-values.ts";
import { TOPICS, type Env } from "../shared/kafka.ts";
import type { BigQueryWarehouseOptions } from "./warehouse/bigquery-warehouse.ts";
import type { LocalWarehouseOptions } from "./warehouse/local-warehouse.ts";

/** BigQuery allows 1,500 modifications per table per day; a batch every minute is 1,440. */
export const MIN_INTERVAL_MS = 60_000;

export interface ConsumerSettings {
  groupId: string;
  topic: string;
  deadLetterTopic: string;
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
  warehouse: { kind: "local"; local: LocalWarehouseOptions } | { kind: "bigquery"; bigquery: BigQueryWarehouseOptions };
}

export function consumerSettingsFromEnv(env: Env): ConsumerSettings {
  const int = (name: string, fallback: number, min: number, max: number) => envInt(env, name, fallback, min, max);
  const bool = (name: string, fallback: boolean) => envBool(env, name, fallback);

  // the floor protects the BigQuery quota; tests and the local warehouse may go lower on purpose
  const kind = env.OFERTAS_WAREHOUSE ?? "local";
  const floor = kind === "bigquery" && env.OFERTAS_ALLOW_SHORT_INTERVAL !== "true" ? MIN_INTERVAL_MS : 100;
  const intervalMs = int("OFERTAS_BATCH_INTERVAL_MS", 300_000, floor, 24 * 3_600_000);

  let warehouse: ConsumerSettings["warehouse"];
  if (kind === "local") {
    warehouse = { kind, local: { root: env.OFERTAS_LOCAL_DIR ?? ".ofertas/warehouse", keepStagedFiles: bool("OFERTAS_KEEP_STAGED_FILES", false) } };
  } else if (kind === "bigquery") {
    const need = (name: string) => {
      const value = env[name];
      if (!value) throw new Error(`${name} is required with OFERTAS_WAREHOUSE=bigquery`);
      return value;
    };
    const dataset = env.OFERTAS_BQ_DATASET ?? "ofertas";
    if (!/^[A-Za-z0-9_]{1,1024}$/.test(dataset)) throw new Error(`OFERTAS_BQ_DATASET: "${dataset}" is not a BigQuery dataset name`);
    const expiration = env.OFERTAS_BQ_PARTITION_EXPIRATION_DAYS;
    warehouse = {
      kind,
      bigquery: {
        projectId: need("OFERTAS_BQ_PROJECT"),
        dataset,
        location: env.OFERTAS_BQ_LOCATION ?? "US",
        bucket: need("OFERTAS_GCS_BUCKET"),
        bigqueryEndpoint: env.OFERTAS_BQ_ENDPOINT || undefined,
        gcsEndpoint: env.OFERTAS_GCS_ENDPOINT || undefined,
        createBucket: Boolean(env.OFERTAS_GCS_ENDPOINT) || bool("OFERTAS_GCS_CREATE_BUCKET", false),
        requirePartitionFilter: bool("OFERTAS_BQ_REQUIRE_PARTITION_FILTER", true),
        partitionExpirationDays: expiration ? int("OFERTAS_BQ_PARTITION_EXPIRATION_DAYS", 0, 1, 100_000) : null,
        keepStagedFiles: bool("OFERTAS_KEEP_STAGED_FILES", false),
        pollIntervalMs: int("OFERTAS_BQ_POLL_INTERVAL_MS", 1_000, 50, 60_000),
        jobTimeoutMs: int("OFERTAS_BQ_JOB_TIMEOUT_MS", 600_000, 1_000, 6 * 3_600_000),
      },
    };
  } else {
    throw new Error(`OFERTAS_WAREHOUSE must be "local" or "bigquery", got "${kind}"`);
  }

  const metricsPort = env.OFERTAS_METRICS_PORT ? int("OFERTAS_METRICS_PORT", 0, 0, 65_535) : null;
  return {
    groupId: env.OFERTAS_CONSUMER_GROUP ?? "ofertas-batch",
    topic: env.OFERTAS_TOPIC || TOPICS.offers.name,
    deadLetterTopic: env.OFERTAS_DLQ_TOPIC || TOPICS.deadLetters.name,
    intervalMs,
    maxRecords: int("OFERTAS_BATCH_MAX_RECORDS", 50_000, 1, 10_000_000),
    maxBytes: int("OFERTAS_BATCH_MAX_BYTES", 64 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024),
    retryBaseMs: int("OFERTAS_RETRY_BASE_MS", 1_000, 1, 600_000),
    retryMaxMs: int("OFERTAS_RETRY_MAX_MS", 60_000, 1, 3_600_000),
    loadTimeoutMs: int("OFERTAS_LOAD_TIMEOUT_MS", 900_000, 100, 6 * 3_600_000),
    // the broker's group.min.session.timeout.ms is 6 s
    sessionTimeoutMs: int("OFERTAS_KAFKA_SESSION_TIMEOUT_MS", 30_000, 6_000, 300_000),
    metricsPort,
    warehouse,
  };
}
