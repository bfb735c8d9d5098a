/**
 * Records the consumer cannot use go to `deal-of-the-day.dlq` with their original key, bytes
 * and headers, plus why and where they came from. They are sent (acks=all) before the batch's
 * offsets are committed, so a poison message is never lost; after a crash between the two it
 * may be dead-lettered twice.
 */
import type { KafkaConfig } from "kafkajs";
import { type Message, SafeProducer } from "../shared/safe-producer.ts";
import type { DeadLetter } from "./transform.ts";

export const DLQ_HEADERS = {
  reason: "dlq.reason",
  topic: "dlq.source.topic",
  partition: "dlq.source.partition",
  offset: "dlq.source.offset",
  group: "dlq.consumer.group",
  failedAt: "dlq.failed.at",
} as const;

export function toDeadLetterMessage(letter: DeadLetter, group: string, failedAt: string): Message {
  const { record, reason } = letter;
  return {
    key: record.key ? Buffer.from(record.key) : null,
    value: record.value ? Buffer.from(record.value) : null,
    headers: {
      ...record.headers,
      [DLQ_HEADERS.reason]: reason.length > 2000 ? `${reason.slice(0, 2000)}…` : reason,
      [DLQ_HEADERS.topic]: record.topic,
      [DLQ_HEADERS.partition]: String(record.partition),
      [DLQ_HEADERS.offset]: record.offset,
      [DLQ_HEADERS.group]: group,
      [DLQ_HEADERS.failedAt]: failedAt,
    },
  };
}

export class DeadLetterSink {
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
