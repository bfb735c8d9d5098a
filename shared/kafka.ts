/**
 * Kafka settings in one place: the topics the project creates (auto-create is off), and the
 * kafkajs client configuration read from the environment. The same code reaches the local
 * 3-broker cluster and a managed cluster with TLS and SASL.
 */
import type { KafkaConfig, LogEntry, SASLOptions } from "kafkajs";
import { logLevel } from "kafkajs";
import { gcpMetadataTokenProvider } from "./gcp-kafka-token.ts";
import { log, type Level } from "./log.ts";

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const TOPICS = {
  /** Offers, keyed by item id so one item's history stays ordered in one partition. */
  offers: {
    name: "deal-of-the-day",
    partitions: 6,
    replicationFactor: 3,
    configs: { "min.insync.replicas": "2", "retention.ms": String(7 * DAY_MS), "compression.type": "producer" },
  },
  /** Messages the batch consumer could not use, with the reason and their origin in headers. */
  deadLetters: {
    name: "deal-of-the-day.dlq",
    partitions: 3,
    replicationFactor: 3,
    configs: { "min.insync.replicas": "2", "retention.ms": String(30 * DAY_MS) },
  },
  /** Readiness probe: a record acknowledged here means the cluster takes acks=all writes. */
  probe: {
    name: "ofertas.probe",
    partitions: 1,
    replicationFactor: 3,
    configs: { "min.insync.replicas": "2", "retention.ms": String(DAY_MS) },
  },
} as const satisfies Record<string, TopicSpec>;

export const CONSUMER_GROUP = "ofertas-batch";

export type Env = Record<string, string | undefined>;

/** Brokers, TLS and SASL from the environment; throws a readable error for bad settings. */
export function kafkaConfigFromEnv(env: Env, clientId: string): KafkaConfig {
  const brokers = (env.KAFKA_BROKERS ?? "127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096")
    .split(",")
    .map((b) => b.trim())
    .filter(Boolean);
  for (const broker of brokers) {
    if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(broker)) throw new Error(`KAFKA_BROKERS: "${broker}" is not host:port`);
  }
  if (brokers.length === 0) throw new Error("KAFKA_BROKERS: no broker given");
  const config: KafkaConfig = {
    clientId,
    brokers,
    connectionTimeout: Number(env.KAFKA_CONNECTION_TIMEOUT_MS ?? 3000),
    requestTimeout: Number(env.KAFKA_REQUEST_TIMEOUT_MS ?? 30000),
    logLevel: logLevel[(env.KAFKA_LOG_LEVEL ?? "WARN").toUpperCase() as keyof typeof logLevel] ?? logLevel.WARN,
    logCreator: kafkaLogCreator,
  };
  if (env.KAFKA_SSL === "true" || env.KAFKA_SASL_MECHANISM) {
    config.ssl = env.KAFKA_SSL === "false" ? false : { rejectUnauthorized: env.KAFKA_SSL_REJECT_UNAUTHORIZED !== "false" };
  }
  const sasl = saslFromEnv(env);
  if (sasl) config.sasl = sasl;
  return config;
}

function saslFromEnv(env: Env): SASLOptions | undefined {
  const mechanism = env.KAFKA_SASL_MECHANISM?.toLowerCase();
  if (!mechanism) return undefined;
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is required with KAFKA_SASL_MECHANISM=${mechanism}`);
    return value;
  };
  switch (mechanism) {
    case "plain":
    case "scram-sha-256":
    case "scram-sha-512":
      return { mechanism, username: need("KAFKA_SASL_USERNAME"), password: need("KAFKA_SASL_PASSWORD") } as SASLOptions;
    case "oauthbearer": {
      // Google Managed Kafka: tokens of the service account the instance runs as
      if (env.KAFKA_SASL_OAUTH_TOKEN_SOURCE === "gcp-metadata") {
        return { mechanism: "oauthbearer", oauthBearerProvider: gcpMetadataTokenProvider({ host: env.GCE_METADATA_HOST }) };
      }
      const token = need("KAFKA_SASL_OAUTH_TOKEN"); // a static token from another identity provider
      return { mechanism: "oauthbearer", oauthBearerProvider: async () => ({ value: token }) };
    }
    default:
      throw new Error(`KAFKA_SASL_MECHANISM: "${mechanism}" is not one of plain, scram-sha-256, scram-sha-512, oauthbearer`);
  }
}

const LEVELS: Record<number, Level> = { [logLevel.ERROR]: "error", [logLevel.WARN]: "warn", [logLevel.INFO]: "info", [logLevel.DEBUG]: "debug" };

/**
 * kafkajs logs in the project's JSON format. One warning is dropped on purpose: "Limiting
 * retries for the idempotent producer…". Retries are bounded on purpose (a caller must get an
 * answer while Kafka is down), and SafeProducer starts a new producer session after a failed
 * send, which is what that warning is about.
 */
export function kafkaLogCreator() {
  return ({ namespace, level, log: entry }: LogEntry) => {
    const { message, timestamp: _timestamp, logger: _logger, ...rest } = entry as LogEntry["log"] & { logger?: string };
    if (message.startsWith("Limiting retries for the idempotent producer")) return;
    log(LEVELS[level] ?? "info", "kafkajs", { namespace, message, ...rest });
  };
}
