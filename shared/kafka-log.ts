/**
 * kafkajs logs in the project's JSON format, at the level an operator should read them at.
 *
 * kafkajs logs every attempt it is about to retry at error level: a refused connection while the
 * brokers start, "the coordinator is loading" right after a broker restart, a leader election.
 * Those are the normal sound of a cluster coming up, and kafkajs (or the project's own retry
 * around it) waits them out; they are logged at info with `transient: true`. When retrying does
 * not help, the caller fails and says so at warn or error: the route's /readyz and 503s, the
 * consumer's `batch_failed`, a daemon's `start_failed`, a consumer crash kafkajs gives up on
 * (kafka-crash.ts). So a warn or error line always means something to look at.
 *
 * One warning is dropped on purpose: "Limiting retries for the idempotent producer…". Retries
 * are bounded on purpose (a caller must get an answer while Kafka is down), and SafeProducer
 * starts a new producer session after a failed send, which is what that warning is about.
 */
import { type LogEntry, logLevel } from "kafkajs";
import { type Level, log } from "./log.ts";

const LEVELS: Record<number, Level> = {
  [logLevel.ERROR]: "error",
  [logLevel.WARN]: "warn",
  [logLevel.INFO]: "info",
  [logLevel.DEBUG]: "debug",
};

/** Connection failures kafkajs retries itself (the broker is not listening, or not yet, or slow). */
const TRANSIENT_CONNECTION =
  /ECONNREFUSED|ECONNRESET|Connection timeout|Failed to connect to seed broker|Closed connection|Connection error|Request [^)]*\) timed out/;

/**
 * Broker answers that clear by themselves while a cluster starts or moves leaders and
 * coordinators (Kafka's own words, as kafkajs prints them): Kafka's retriable errors, and the
 * group errors kafkajs answers by joining again.
 */
const TRANSIENT_ANSWER = new RegExp(
  [
    "The coordinator is loading",
    "The group coordinator is not available",
    "This is not the correct coordinator",
    "The coordinator is not aware of this member",
    "Specified group generation id is not valid",
    "The group is rebalancing",
    "There is no leader for this topic-partition",
    "This server is not the leader for that topic-partition",
    "This server does not host this topic-partition",
    "The replica is not available",
    "Leader not available",
    "The leader epoch in the request is (?:older|newer)",
    "The leader high watermark has not caught up",
    "Eligible topic partition leaders are not available",
    "The preferred leader was not available",
    "Messages are rejected since there are fewer in-sync replicas than required",
    "Messages are written to the log, but to fewer in-sync replicas than required",
    "The request timed out",
    "The server disconnected before a response was received",
    "This is not the correct controller for this cluster",
    "The fetch session (?:ID was not found|epoch is invalid)",
    "Consumer is not aware of all assigned partitions",
  ].join("|"),
);

/** True for a fault Kafka or kafkajs clears by retrying: a refused connection, a leader moving. */
export function isTransientKafkaMessage(text: string): boolean {
  return TRANSIENT_CONNECTION.test(text) || TRANSIENT_ANSWER.test(text);
}

/** The level a kafkajs entry is logged at: per-attempt retriable faults are info. */
export function levelOf(level: number, entry: { message: string; error?: unknown }): Level {
  const base = LEVELS[level] ?? "info";
  if (base !== "error" && base !== "warn") return base;
  const error = typeof entry.error === "string" ? entry.error : "";
  // a consumer's crash is reported once, with what kafkajs does about it, by onConsumerCrash
  const reportedElsewhere = entry.message.startsWith("Crash: ") ||
    entry.message.startsWith("Restarting the consumer in");
  return reportedElsewhere || isTransientKafkaMessage(entry.message) || isTransientKafkaMessage(error) ? "info" : base;
}

export function kafkaLogCreator() {
  return ({ namespace, level, log: entry }: LogEntry) => {
    const { message, timestamp: _timestamp, logger: _logger, stack: _stack, ...rest } = entry as
      & LogEntry["log"]
      & { logger?: string; stack?: string };
    if (message.startsWith("Limiting retries for the idempotent producer")) return;
    const at = levelOf(level, entry as { message: string; error?: unknown });
    const transient = at === "info" && (LEVELS[level] === "error" || LEVELS[level] === "warn");
    // a retried attempt's stack says nothing an operator needs
    log(at, "kafkajs", { namespace, message, ...rest, ...(transient ? { transient: true } : { stack: _stack }) });
  };
}
