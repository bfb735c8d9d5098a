/** The consumer backend on kafkajs: the only part of the batch consumer that knows kafkajs. */
import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from "kafkajs";
import { onConsumerCrash } from "../../shared/kafka-crash.ts";
import { topicOffsets } from "../../shared/topic-offsets.ts";
import type { CommitOffset } from "../commit-tracker.ts";
import type { RawRecord } from "./backend.ts";
import type { BackendHandler, ConsumerBackend } from "./backend.ts";

export interface KafkaBackendOptions {
  groupId: string;
  topic: string;
  sessionTimeoutMs: number;
}

/**
 * Fetch sizes: enough for throughput, small enough that memory does not follow the backlog
 * (bench/consume: a bare kafkajs consumer peaks at 810 MB with kafkajs's defaults, 270 MB with these).
 */
const MAX_BYTES_PER_PARTITION = 256 * 1024;
const MAX_BYTES = 1024 * 1024;
/**
 * How long a fetch waits at the broker for data, and how long kafkajs sleeps between fetches
 * while every partition is paused (the open batch full while the previous one loads). At
 * kafkajs's 1 s a resumed consumer stood still for up to a second: the batch after a full one
 * got 6k–13k offers instead of 30k–50k (bench/consume). An idle consumer asks each broker
 * four times a second instead of once.
 */
const MAX_WAIT_MS = 250;

export class KafkaBackend implements ConsumerBackend {
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private adminConnected = false;

  constructor(kafka: Kafka, private readonly options: KafkaBackendOptions) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: options.sessionTimeoutMs,
      rebalanceTimeout: 60_000,
      heartbeatInterval: Math.min(3_000, Math.floor(options.sessionTimeoutMs / 3)),
      maxWaitTimeInMs: MAX_WAIT_MS,
      maxBytesPerPartition: MAX_BYTES_PER_PARTITION,
      maxBytes: MAX_BYTES,
    });
    this.admin = kafka.admin();
  }

  private listening = false;

  /** Joins the group and starts reading; a failed start leaves the client disconnected, ready to try again. */
  async run(handler: BackendHandler): Promise<void> {
    const { consumer } = this;
    if (!this.listening) this.listen(handler);
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
      await consumer.run({
        // offsets are committed by the consumer after its load, never by kafkajs
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: (payload) => this.onBatch(payload, handler),
      });
    } catch (error) {
      await consumer.disconnect().catch(() => {});
      throw error;
    }
  }

  private listen(handler: BackendHandler): void {
    const { consumer } = this;
    this.listening = true;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      handler.assigned(
        Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
          (partitions as number[]).map((partition) => ({ topic, partition }))
        ),
      );
    });
    onConsumerCrash(consumer, `consumer ${this.options.groupId}`, (error) => handler.failed(error));
  }

  private async onBatch(
    { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload,
    handler: BackendHandler,
  ): Promise<void> {
    const records = batch.messages.map((m) => toRawRecord(batch.topic, batch.partition, m));
    const taken = await handler.records(records, { heartbeat, stale: () => !isRunning() || isStale() });
    // moves the fetch position only (nothing is committed); the rest is fetched again
    if (taken > 0) resolveOffset(batch.messages[taken - 1]!.offset);
    await heartbeat();
  }

  pause(): void {
    this.consumer.pause([{ topic: this.options.topic }]);
  }

  resume(): void {
    this.consumer.resume([{ topic: this.options.topic }]);
  }

  commit(offsets: CommitOffset[]): Promise<void> {
    return this.consumer.commitOffsets(offsets);
  }

  async lag(): Promise<Array<{ partition: number; lag: number }>> {
    try {
      if (!this.adminConnected) {
        await this.admin.connect();
        this.adminConnected = true;
      }
      const { topic, groupId } = this.options;
      const [ends, groupOffsets] = await Promise.all([
        topicOffsets(this.admin, topic),
        this.admin.fetchOffsets({ groupId, topics: [topic] }),
      ]);
      const committed = new Map(groupOffsets[0]?.partitions.map((p) => [p.partition, BigInt(p.offset)]) ?? []);
      return ends.map((end) => {
        const at = committed.get(end.partition) ?? -1n;
        const lag = at < 0n ? BigInt(end.high) - BigInt(end.low) : BigInt(end.high) - at;
        return { partition: end.partition, lag: Number(lag) };
      });
    } catch (error) {
      this.adminConnected = false; // reconnect next time
      await this.admin.disconnect().catch(() => {});
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => {});
    await this.admin.disconnect().catch(() => {});
  }
}

/** Headers stay the client's buffers: they are read only for a dead letter or an old message. */
function toRawRecord(topic: string, partition: number, m: KafkaMessage): RawRecord {
  return { topic, partition, offset: m.offset, key: m.key, value: m.value, headers: m.headers ?? {} };
}
