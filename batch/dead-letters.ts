/**
 * Records the consumer cannot use go to `deal-of-the-day.dlq` with their original key, bytes
 * and headers, plus why (`dlq.kind`, `dlq.reason`) and where they came from. Two kinds of
 * dead letters:
 *  - a record the transform refused (not JSON, not the contract, …): the original record;
 *  - a row the warehouse refused: its value is the row as staged (the JSON line the warehouse
 *    read), its reason the warehouse's own error, and `dlq.source.*` the row's Kafka origin.
 * They are sent (acks=all) before the batch's offsets are committed and once per batch, so a
 * poison message is never lost; after a crash between the two it may be dead-lettered twice.
 */
import type { KafkaConfig } from "kafkajs";
import { type StepPolicy, untilDoneOrAbandoned } from "./abandoned.ts";
import { type Message, SafeProducer } from "../shared/safe-producer.ts";
import { log } from "../shared/log.ts";
import type { LoadOutcome, RefusedRow } from "./load-step.ts";
import type { DeadLetter } from "./transform.ts";

export const DLQ_HEADERS = {
  kind: "dlq.kind",
  reason: "dlq.reason",
  topic: "dlq.source.topic",
  partition: "dlq.source.partition",
  offset: "dlq.source.offset",
  group: "dlq.consumer.group",
  failedAt: "dlq.failed.at",
} as const;

const MAX_REASON = 2000;

export function toDeadLetterMessage(letter: DeadLetter, group: string, failedAt: string): Message {
  const { record, reason } = letter;
  return {
    key: record.key ? Buffer.from(record.key) : null,
    value: record.value ? Buffer.from(record.value) : null,
    headers: {
      ...(record.headers as Message["headers"]),
      [DLQ_HEADERS.kind]: letter.kind,
      [DLQ_HEADERS.reason]: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason,
      [DLQ_HEADERS.topic]: record.topic,
      [DLQ_HEADERS.partition]: String(record.partition),
      [DLQ_HEADERS.offset]: record.offset,
      [DLQ_HEADERS.group]: group,
      [DLQ_HEADERS.failedAt]: failedAt,
    },
  };
}

const utf8 = new TextEncoder();

/** A row the warehouse refused, as a dead letter: the staged row, keyed by its item. */
export function refusedRowLetter({ row, reason }: RefusedRow): DeadLetter {
  return {
    kind: "warehouse_refused",
    reason: `warehouse: ${reason}`,
    record: {
      topic: String(row.kafka_topic),
      partition: Number(row.kafka_partition),
      offset: String(row.kafka_offset),
      key: typeof row.item_id === "string" ? utf8.encode(row.item_id) : null,
      value: utf8.encode(JSON.stringify(row)),
      headers: { "content-type": "application/json" },
    },
  };
}

export interface DeadLetterSender {
  connect(): Promise<void>;
  send(letters: readonly DeadLetter[]): Promise<void>;
  close(): Promise<void>;
}

export class DeadLetterSink implements DeadLetterSender {
  private readonly producer: SafeProducer;

  constructor(
    config: KafkaConfig,
    topic: string,
    private readonly group: string,
  ) {
    this.producer = new SafeProducer(config, { topic, sendTimeoutMs: 60_000 });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async send(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const failedAt = new Date().toISOString();
    await this.producer.send(letters.map((l) => toDeadLetterMessage(l, this.group, failedAt)));
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}

/** The in-memory twin, for unit tests: remembers every letter, can fail for a while. */
export class MemoryDeadLetters implements DeadLetterSender {
  readonly sent: DeadLetter[] = [];
  failures = 0;
  async connect(): Promise<void> {}
  async send(letters: readonly DeadLetter[]): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error("Kafka unavailable (simulated)");
    }
    this.sent.push(...letters);
  }
  async close(): Promise<void> {}
}

/**
 * A batch's dead letters, sent (acks=all) before its commit: an outage is retried, never skipped;
 * `sent` is told of each chunk once it is acknowledged.
 */
export function sendDeadLetters(
  sender: DeadLetterSender,
  letters: DeadLetter[],
  step: StepPolicy,
  sent: (letters: DeadLetter[]) => void = () => {},
): Promise<void> {
  if (letters.length === 0) return Promise.resolve();
  return untilDoneOrAbandoned(async () => {
    await sender.send(letters);
    sent(letters);
  }, { ...step, event: "dead_letters_failed", fields: { letters: letters.length } });
}

/** The rows a load refused, as dead letters (said once in the log, with the warehouse's words). */
export function refusedRowLetters(batchId: string, outcome: LoadOutcome): DeadLetter[] {
  if (outcome.refused.length === 0) return [];
  log("warn", "rows_refused", {
    batch_id: batchId,
    rows: outcome.refused.length,
    loads: outcome.loads,
    reason: outcome.refused[0]!.reason.slice(0, 500),
    note: "dead-lettered; the rest of the batch is loaded",
  });
  return outcome.refused.map(refusedRowLetter);
}
