/**
 * Kafka settings in one place: the topics the project creates (auto-create is off), and the
 * kafkajs client configuration read from the environment. The same code reaches the local
 * 3-broker cluster and a managed cluster with TLS and SASL.
 */
import type { KafkaConfig, SASLOptions } from "kafkajs";
import { logLevel } from "kafkajs";
import { gcpMetadataTokenProvider } from "./gcp-kafka-token.ts";
import { kafkaLogCreator } from "./kafka-log.ts";
import {
  boolSetting,
  choiceSetting,
  type Env,
  intSetting,
  listSetting,
  optionalTextSetting,
  SettingError,
  settingsGroup,
  textSetting,
} from "./settings.ts";
import { DAY_MS, HOUR_MS } from "./duration.ts";

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

/** Every topic: 3 replicas, and a write needs 2 of them (acks=all). */
function topic(name: string, partitions: number, configs: Record<string, string>): TopicSpec {
  return { name, partitions, replicationFactor: 3, configs: { "min.insync.replicas": "2", ...configs } };
}

/** A log kept this many days. */
const keptDays = (days: number) => ({ "retention.ms": String(days * DAY_MS) });

/** A table kept as a topic: the last record per key. */
const COMPACTED = { "cleanup.policy": "compact" } as const;

/**
 * How long a record of `ofertas.alerts` is kept from the cleaner, tombstoned or not: longer than
 * any outage of the batch consumer we plan for. Its alerts feed loads the topic into the `alerts`
 * table (the history), so it must read each alert before compaction can drop it, and the
 * deliverer tombstones an alert only a day after its deliveries.
 */
export const ALERTS_MIN_COMPACTION_LAG_MS = 7 * DAY_MS;

export const TOPICS = {
  /** Offers, keyed by item id so one item's history stays ordered in one partition. */
  offers: topic("deal-of-the-day", 6, { ...keptDays(7), "compression.type": "producer" }),
  /** Messages the batch consumer could not use, with the reason and their origin in headers. */
  deadLetters: topic("deal-of-the-day.dlq", 3, keptDays(30)),
  /**
   * Product details (enrich/), keyed by item id. Kept longer than the enricher's freshness
   * window: the enricher rebuilds what it detailed recently from here when it starts.
   */
  details: topic("product-details", 6, { ...keptDays(14), "compression.type": "producer" }),
  /** Details messages the batch consumer could not use. */
  detailsDeadLetters: topic("product-details.dlq", 3, keptDays(30)),
  /**
   * What page fetches said of the stock (shared/contract/stock-message.ts), keyed by subject
   * (`site|item|id`, `site|product|id`): one subject's observations stay ordered in one partition.
   */
  stock: topic("ofertas.stock", 3, keptDays(14)),
  /** Stock messages the batch consumer could not use. */
  stockDeadLetters: topic("ofertas.stock.dlq", 1, keptDays(30)),
  /**
   * Watches (shared/watch/), keyed by watch id, and the route's requests to put one, keyed
   * `put/<id>`: a compacted table, one partition (a handful of records; one order for every reader).
   */
  watches: topic("ofertas.watches", 1, COMPACTED),
  /**
   * Watch runs: runs keyed by watch id, claims by `claim/<id>`. Records stay uncompacted for 2
   * hours (the claims of the last hour decide slots and the budget); older ones compact to each
   * watch's last claim and last run.
   */
  watchRuns: topic("ofertas.watch-runs", 1, {
    ...COMPACTED,
    "min.compaction.lag.ms": String(2 * HOUR_MS),
    "segment.ms": String(DAY_MS),
  }),
  /**
   * Loads announced by the batch consumer (batch id, table, days) after each batch of offers is in
   * the warehouse and before its commit: what the alerter evaluates. One partition: one order.
   */
  loads: topic("ofertas.loads", 1, keptDays(7)),
  /**
   * Alerts and their deliveries (shared/alert/alert-record.ts), keyed by alert id and by
   * alert|channel: the outbox the deliverer sends from. Compacted: an alert is never deleted
   * while it may still be waiting for a channel; a day after its deliveries the deliverer writes
   * tombstones, and daily segments let compaction reach them (a start reads days, not months).
   * Nothing younger than ALERTS_MIN_COMPACTION_LAG_MS is compacted: a lagging consumer still
   * loads every alert into the `alerts` table.
   */
  alerts: topic("ofertas.alerts", 1, {
    ...COMPACTED,
    "min.compaction.lag.ms": String(ALERTS_MIN_COMPACTION_LAG_MS),
    "segment.ms": String(DAY_MS),
  }),
  /**
   * Each (rule, item)'s episode, keyed rule|site|item: the alerter's memory of what it already
   * said. Episodes a day past their end (data time) are tombstoned; daily segments compact them.
   */
  alertState: topic("ofertas.alert-state", 1, { ...COMPACTED, "segment.ms": String(DAY_MS) }),
  /** Alert records the batch consumer could not load. */
  alertsDeadLetters: topic("ofertas.alerts.dlq", 1, keptDays(30)),
  /**
   * The scraper's coverage baseline and drifts per site and view (edge/drift-monitor.ts), keyed
   * site/view: the route keeps them across restarts, the alerter tells the operator.
   */
  scraperDrift: topic("ofertas.scraper-drift", 1, COMPACTED),
  /**
   * Accounts, sessions, invitations, people's channels (secrets sealed) and mutes
   * (shared/accounts/account-book.ts), each kind under a key prefix of its own: a compacted table,
   * one partition (one order for every reader: the first account to claim a login holds it).
   */
  accounts: topic("ofertas.accounts", 1, COMPACTED),
  /** Readiness probe: a record acknowledged here means the cluster takes acks=all writes. */
  probe: topic("ofertas.probe", 1, keptDays(1)),
} as const;

export const CONSUMER_GROUP = "ofertas-batch";

/**
 * The batch consumer's group: the consumer reads with it, and the alerter asks it how far the
 * loads have got (its lag is the alerter's "behind").
 */
export const CONSUMER_GROUP_SETTING = textSetting(
  "OFERTAS_CONSUMER_GROUP",
  CONSUMER_GROUP,
  "Kafka consumer group (the details feed uses `<group>.details`)",
);

export type { Env } from "./settings.ts";

const BROKER = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/** How every process reaches Kafka. The same settings serve the local cluster and a managed one. */
export const KAFKA_SETTINGS = settingsGroup(
  "Kafka clients",
  "Read by the scrape route, the batch consumer, the enricher and the scripts.",
  {
    brokers: listSetting(
      "KAFKA_BROKERS",
      ["127.0.0.1:9092", "127.0.0.1:9094", "127.0.0.1:9096"],
      "bootstrap brokers, `host:port` separated by commas",
      (b) => (BROKER.test(b) ? null : `: "${b}" is not host:port`),
    ),
    connectionTimeoutMs: intSetting(
      "KAFKA_CONNECTION_TIMEOUT_MS",
      3_000,
      { min: 100, max: 120_000 },
      "time to open a broker connection",
    ),
    requestTimeoutMs: intSetting(
      "KAFKA_REQUEST_TIMEOUT_MS",
      30_000,
      { min: 100, max: 600_000 },
      "time for one Kafka request",
    ),
    logLevel: choiceSetting(
      "KAFKA_LOG_LEVEL",
      ["ERROR", "WARN", "INFO", "DEBUG", "NOTHING"],
      "WARN",
      "kafkajs log level",
    ),
    ssl: boolSetting("KAFKA_SSL", false, "TLS to the brokers (on by default with SASL)"),
    sslRejectUnauthorized: boolSetting("KAFKA_SSL_REJECT_UNAUTHORIZED", true, "verify the brokers' certificates"),
    saslMechanism: optionalTextSetting(
      "KAFKA_SASL_MECHANISM",
      "`plain`, `scram-sha-256`, `scram-sha-512` (with the username and password) or `oauthbearer`",
    ),
    saslUsername: optionalTextSetting("KAFKA_SASL_USERNAME", "SASL user for plain/scram"),
    saslPassword: optionalTextSetting("KAFKA_SASL_PASSWORD", "SASL password for plain/scram"),
    oauthToken: optionalTextSetting("KAFKA_SASL_OAUTH_TOKEN", "a static OAUTHBEARER token"),
    oauthTokenSource: optionalTextSetting(
      "KAFKA_SASL_OAUTH_TOKEN_SOURCE",
      "`gcp-metadata`: OAUTHBEARER tokens of the service account, from the metadata server (Managed Kafka)",
    ),
    metadataHost: optionalTextSetting("GCE_METADATA_HOST", "metadata server `host[:port]` (default: Google's)"),
    topic: textSetting(
      "OFERTAS_TOPIC",
      TOPICS.offers.name,
      "topic of the offers (the route produces, the consumer reads)",
    ),
    deadLetterTopic: textSetting(
      "OFERTAS_DLQ_TOPIC",
      TOPICS.deadLetters.name,
      "topic for messages the consumer cannot use",
    ),
    detailsTopic: textSetting(
      "OFERTAS_DETAILS_TOPIC",
      TOPICS.details.name,
      "topic of product details (the enricher produces, the consumer reads)",
    ),
    stockTopic: textSetting(
      "OFERTAS_STOCK_TOPIC",
      TOPICS.stock.name,
      "topic of stock observations (the route's item and product watches and the enricher produce, the consumer reads)",
    ),
    stockDeadLetterTopic: textSetting(
      "OFERTAS_STOCK_DLQ_TOPIC",
      TOPICS.stockDeadLetters.name,
      "topic for stock messages the consumer cannot use",
    ),
    watchesTopic: textSetting("OFERTAS_WATCHES_TOPIC", TOPICS.watches.name, "compacted topic of the watches"),
    watchRunsTopic: textSetting(
      "OFERTAS_WATCH_RUNS_TOPIC",
      TOPICS.watchRuns.name,
      "compacted topic of the watches' claims and runs",
    ),
    scraperDriftTopic: textSetting(
      "OFERTAS_SCRAPER_DRIFT_TOPIC",
      TOPICS.scraperDrift.name,
      "the scraper's coverage baseline and drifts per site and view (compacted)",
    ),
    accountsTopic: textSetting(
      "OFERTAS_ACCOUNTS_TOPIC",
      TOPICS.accounts.name,
      "compacted topic of the accounts, sessions, people's channels and mutes",
    ),
    loadsTopic: textSetting(
      "OFERTAS_LOADS_TOPIC",
      TOPICS.loads.name,
      "loads the consumer announces (the alerter reads them)",
    ),
    alertsTopic: textSetting("OFERTAS_ALERTS_TOPIC", TOPICS.alerts.name, "alerts and their deliveries (compacted)"),
    alertStateTopic: textSetting(
      "OFERTAS_ALERT_STATE_TOPIC",
      TOPICS.alertState.name,
      "each rule and item's alert episode (compacted)",
    ),
    alertsDeadLetterTopic: textSetting(
      "OFERTAS_ALERTS_DLQ_TOPIC",
      TOPICS.alertsDeadLetters.name,
      "alert records the consumer cannot load",
    ),
    detailsDeadLetterTopic: textSetting(
      "OFERTAS_DETAILS_DLQ_TOPIC",
      TOPICS.detailsDeadLetters.name,
      "topic for details messages the consumer cannot use",
    ),
  },
);

/** Brokers, TLS and SASL from the environment; throws a readable error for bad settings. */
export function kafkaConfigFromEnv(env: Env, clientId: string): KafkaConfig {
  const s = KAFKA_SETTINGS.read(env);
  const config: KafkaConfig = {
    clientId,
    brokers: s.brokers,
    connectionTimeout: s.connectionTimeoutMs,
    requestTimeout: s.requestTimeoutMs,
    logLevel: logLevel[s.logLevel as keyof typeof logLevel],
    logCreator: kafkaLogCreator,
  };
  const sslExplicit = env.KAFKA_SSL !== undefined && env.KAFKA_SSL !== "";
  if (s.ssl || (s.saslMechanism && !sslExplicit)) config.ssl = { rejectUnauthorized: s.sslRejectUnauthorized };
  const sasl = saslOf(s);
  if (sasl) config.sasl = sasl;
  return config;
}

function saslOf(s: ReturnType<typeof KAFKA_SETTINGS.read>): SASLOptions | undefined {
  const mechanism = s.saslMechanism?.toLowerCase();
  if (!mechanism) return undefined;
  const need = (name: string, value: string | null) => {
    if (!value) throw new SettingError(name, `is required with KAFKA_SASL_MECHANISM=${mechanism}`);
    return value;
  };
  switch (mechanism) {
    case "plain":
    case "scram-sha-256":
    case "scram-sha-512":
      return {
        mechanism,
        username: need("KAFKA_SASL_USERNAME", s.saslUsername),
        password: need("KAFKA_SASL_PASSWORD", s.saslPassword),
      } as SASLOptions;
    case "oauthbearer": {
      // Google Managed Kafka: tokens of the service account the instance runs as
      if (s.oauthTokenSource === "gcp-metadata") {
        return {
          mechanism: "oauthbearer",
          oauthBearerProvider: gcpMetadataTokenProvider({ host: s.metadataHost ?? undefined }),
        };
      }
      const token = need("KAFKA_SASL_OAUTH_TOKEN", s.oauthToken); // a static token from another identity provider
      return { mechanism: "oauthbearer", oauthBearerProvider: () => Promise.resolve({ value: token }) };
    }
    default:
      throw new SettingError(
        "KAFKA_SASL_MECHANISM",
        `: "${mechanism}" is not one of plain, scram-sha-256, scram-sha-512, oauthbearer`,
      );
  }
}
