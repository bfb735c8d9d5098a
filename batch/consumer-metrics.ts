/** What the batch consumer counts; served at /metrics on OFERTAS_METRICS_PORT. */
import { Registry } from "../shared/metrics.ts";

/**
 * The consumer's metrics. A second feed of the same daemon (product details) registers its own
 * under another prefix in the same registry: `ofertas_details_batches_total`, …
 */
export function createConsumerMetrics(registry = new Registry(), prefix = "ofertas") {
  return {
    registry,
    batches: registry.counter(`${prefix}_batches_total`, "Batches by outcome (loaded, empty, failed, abandoned)."),
    records: registry.counter(`${prefix}_records_consumed_total`, "Kafka records taken into batches."),
    bytes: registry.counter(`${prefix}_bytes_consumed_total`, "Bytes of Kafka record values taken into batches."),
    rowsLoaded: registry.counter(`${prefix}_rows_loaded_total`, "Rows handed to the warehouse."),
    rowsInserted: registry.counter(
      `${prefix}_rows_inserted_total`,
      "Rows new to the warehouse (re-deliveries excluded), when the engine says.",
    ),
    invalid: registry.counter(
      `${prefix}_records_invalid_total`,
      "Records sent to the dead-letter topic, by kind (empty, not_utf8, malformed_json, not_object, unknown_schema_version, schema, warehouse_refused).",
    ),
    duplicates: registry.counter(
      `${prefix}_records_duplicate_in_batch_total`,
      "Records whose offer_key was already in the same batch.",
    ),
    loadSeconds: registry.histogram(`${prefix}_load_duration_seconds`, "Time to stage and load one batch.", [
      0.05,
      0.1,
      0.25,
      0.5,
      1,
      2.5,
      5,
      10,
      30,
      60,
      120,
      300,
    ]),
    lag: registry.gauge(
      `${prefix}_consumer_lag`,
      "Records in the topic after the group's committed offset, by partition.",
    ),
    loadAttempts: registry.counter(
      `${prefix}_load_attempts_total`,
      "Warehouse loads by outcome (ok, outage, refused_rows); bisection of refused rows shows as extra loads.",
    ),
    lastSuccess: registry.gauge(
      `${prefix}_last_loaded_batch_timestamp_seconds`,
      "When the last batch was loaded and committed (Unix time).",
    ),
  };
}

export type ConsumerMetrics = ReturnType<typeof createConsumerMetrics>;
