/**
 * Every settings group of the project, in the order docs/configuration.md shows them. The
 * variables of the scripts and tests are declared here; the components declare their own.
 */
import { CONSUMER_SETTINGS } from "../batch/consumer-config.ts";
import { ROUTE_SETTINGS } from "../edge/route-config.ts";
import { WATCH_SETTINGS } from "../shared/watch/watch-settings.ts";
import { DRIFT_SETTINGS } from "../edge/drift-config.ts";
import { CLI_SETTINGS } from "../edge/watches/watch-cli.ts";
import { ENRICHER_SETTINGS } from "../enrich/enricher-config.ts";
import { ALERTER_SETTINGS } from "../alert/alerter-config.ts";
import { KAFKA_SETTINGS } from "../shared/kafka.ts";
import { type AnySettingsGroup, documentedOnly, settingsGroup } from "../shared/settings.ts";
import { WAREHOUSE_SETTINGS } from "../shared/warehouse-settings.ts";
import { WEB_SETTINGS } from "../web/web-config.ts";
import { ACCOUNTS_SETTINGS } from "../shared/accounts/accounts-settings.ts";
import { BIGQUERY_BOUNDS_SETTINGS } from "../query/engine.ts";

export const LOCAL_TOOL_SETTINGS = settingsGroup(
  "Local tools",
  "`npm start`, `scripts/kafka-local`, `scripts/emulators` and `scripts/kafka-topics.ts`.",
  {
    replayDir: documentedOnly(
      "OFERTAS_REPLAY_DIR",
      "—",
      "`npm start`: serve these saved pages and point the route at them",
    ),
    keepKafka: documentedOnly("OFERTAS_KEEP_KAFKA", "—", "`npm start`: `1` leaves Kafka running on Ctrl-C"),
    home: documentedOnly("OFERTAS_HOME", "`.ofertas`", "data folder of the local cluster and the emulators"),
    portBase: documentedOnly(
      "OFERTAS_KAFKA_PORT_BASE",
      "`9092`",
      "node i listens on BASE+2(i-1) (broker) and the next port (controller)",
    ),
    cache: documentedOnly("OFERTAS_CACHE", "`~/.cache/ofertas`", "where jars, emulators and OpenTofu are cached"),
    heap: documentedOnly("KAFKA_HEAP_OPTS", "`-Xms256m -Xmx512m`", "JVM heap of each local Kafka node"),
    gcsPort: documentedOnly("OFERTAS_GCS_PORT", "`4443`", "fake-gcs-server port (`scripts/emulators`)"),
    bqPort: documentedOnly("OFERTAS_BQ_PORT", "`9050`", "bigquery-emulator port (`scripts/emulators`)"),
    readyTimeout: documentedOnly(
      "KAFKA_READY_TIMEOUT_MS",
      "`180000`",
      "`scripts/kafka-topics.ts`: how long to wait for the cluster",
    ),
    expectedBrokers: documentedOnly("KAFKA_EXPECTED_BROKERS", "`3`", "`scripts/kafka-topics.ts`: brokers to wait for"),
  },
);

export const TEST_SETTINGS = settingsGroup(
  "Tests",
  "Set by `npm test` for the integration tests; rarely set by hand.",
  {
    seed: documentedOnly("FC_SEED", "`20261126`", "seed of the property-based contract tests (fast-check)"),
    pages: documentedOnly(
      "OFERTAS_ML_PAGES",
      "`../shared/ml-pages`",
      "real saved pages for the conformance tests and the parse benchmark",
    ),
    testPortBase: documentedOnly("OFERTAS_TEST_KAFKA_PORT_BASE", "`29092`", "port base of the test cluster"),
    gcs: documentedOnly("OFERTAS_TEST_GCS_ENDPOINT", "—", "the test GCS emulator"),
    bq: documentedOnly("OFERTAS_TEST_BIGQUERY_ENDPOINT", "—", "the test BigQuery emulator"),
    bqProject: documentedOnly("OFERTAS_TEST_BQ_PROJECT", "—", "the test BigQuery project"),
  },
);

export const ALL_SETTINGS: readonly AnySettingsGroup[] = [
  ROUTE_SETTINGS,
  WATCH_SETTINGS,
  DRIFT_SETTINGS,
  CONSUMER_SETTINGS,
  ENRICHER_SETTINGS,
  ALERTER_SETTINGS,
  WEB_SETTINGS,
  ACCOUNTS_SETTINGS,
  WAREHOUSE_SETTINGS,
  BIGQUERY_BOUNDS_SETTINGS,
  KAFKA_SETTINGS,
  CLI_SETTINGS,
  LOCAL_TOOL_SETTINGS,
  TEST_SETTINGS,
];

export const REFERENCE_PATH = "docs/configuration.md";
