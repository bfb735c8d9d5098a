/**
 * A kafkajs producer that never reports a message as sent unless Kafka acknowledged it:
 * idempotent, acks=all, gzip. A send either resolves with every message acknowledged or
 * rejects with a ProduceError saying how many were. Used for offers (edge/offer-producer.ts)
 * and for dead letters (batch/dead-letters.ts).
 *
 * Two kafkajs 2.2.4 behaviours lose acknowledged messages when a leader fails; the broker-
 * failure test found the first one. This class works around both:
 *  1. A send covering several partitions remembers which brokers already answered and, on
 *     retry, skips them. If a failed leader's partition moves to one of those brokers, its
 *     messages are never re-sent, yet the send resolves. → We partition ourselves (kafkajs's
 *     own murmur2 partitioner) and send **one partition per send() call**.
 *  2. After a failed request kafkajs rolls the partition's sequence number back. If the request
 *     had in fact been written, the next batch reuses those numbers and the broker drops it as a
 *     duplicate, while acknowledging it. → Sends are **serialized**, so only the retry of the
 *     same batch can reuse the numbers (which is idempotence working). After a send that finally
 *     fails, the producer session is **discarded**: a new producer id starts new sequences.
 */
import {
  type Admin,
  CompressionTypes,
  Kafka,
  type KafkaConfig,
  type Message,
  Partitioners,
  type PartitionMetadata,
  type Producer,
} from "kafkajs";
import { log } from "./log.ts";
import { withTimeout } from "./timeout.ts";

export interface ProduceResult {
  produced: number;
}

export type { Message };

/** Not every message was acknowledged; `produced` of them were (whole partition batches). */
export class ProduceError extends Error {
  constructor(
    readonly produced: number,
    readonly notProduced: number,
    cause: unknown,
  ) {
    super(`Kafka did not acknowledge ${notProduced} message(s): ${(cause as Error)?.message ?? cause}`);
    this.name = "ProduceError";
  }
}

export interface SafeProducerOptions {
  /** Upper bound for one send() call, so a caller gets an answer while Kafka is down. */
  sendTimeoutMs: number;
  topic: string;
  /** How long the partition list is trusted before it is read again. */
  metadataMaxAgeMs: number;
}

const DEFAULTS: Omit<SafeProducerOptions, "topic"> = { sendTimeoutMs: 15_000, metadataMaxAgeMs: 60_000 };

export class SafeProducer {
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly options: SafeProducerOptions;
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private producer: Producer | null = null;
  private adminConnected: Promise<void> | null = null;
  private partitions: { list: PartitionMetadata[]; at: number } | null = null;
  /** Tail of the send queue: sends run one at a time (see the class comment). */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(config: KafkaConfig, options: Partial<SafeProducerOptions> & { topic: string }) {
    this.options = { ...DEFAULTS, ...options };
    this.kafka = new Kafka(config);
    this.admin = this.kafka.admin({ retry: { retries: 1, maxRetryTime: 2_000 } });
  }

  /** Connects the admin client and the producer (lazily re-created after failures). */
  async connect(): Promise<void> {
    await this.connectAdmin();
    await this.currentProducer();
  }

  /** Kafka reachable and the topic present with a leader for every partition (for /readyz). */
  async ready(): Promise<{ ok: boolean; detail: string }> {
    try {
      const list = await withTimeout(this.readPartitions(), 3_000, "metadata");
      const leaderless = list.filter((p) => p.leader < 0).length;
      return leaderless
        ? { ok: false, detail: `${leaderless} partition(s) of ${this.options.topic} without a leader` }
        : { ok: true, detail: `${this.options.topic}: ${list.length} partitions` };
    } catch (error) {
      return { ok: false, detail: `Kafka unreachable: ${(error as Error).message}` };
    }
  }

  /** Sends every message; rejects with ProduceError saying how many were acknowledged. */
  async send(messages: Message[]): Promise<ProduceResult> {
    if (this.closed) throw new ProduceError(0, messages.length, new Error("producer is shut down"));
    let produced = 0;
    const deadline = Date.now() + this.options.sendTimeoutMs;
    try {
      const byPartition = await withTimeout(this.groupByPartition(messages), this.options.sendTimeoutMs, "metadata");
      for (const [partition, batch] of byPartition) {
        await withTimeout(
          this.enqueue(() => this.sendPartition(partition, batch)),
          Math.max(1, deadline - Date.now()),
          "send",
        );
        produced += batch.length;
      }
    } catch (error) {
      throw new ProduceError(produced, messages.length - produced, error);
    }
    return { produced };
  }

  /** Lets queued sends finish, then disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue.catch(() => {});
    await Promise.allSettled([this.producer?.disconnect(), this.admin.disconnect()]);
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => {});
    return run;
  }

  private async sendPartition(partition: number, messages: Message[]): Promise<void> {
    const producer = await this.currentProducer();
    try {
      await producer.send({
        topic: this.options.topic,
        acks: -1,
        compression: CompressionTypes.GZIP,
        messages: messages.map((m) => ({ ...m, partition })),
      });
    } catch (error) {
      // the session may hold rolled-back sequence numbers: never send with it again
      this.producer = null;
      this.partitions = null;
      log("warn", "producer_reset", { partition, reason: (error as Error).message });
      await producer.disconnect().catch(() => {});
      throw error;
    }
  }

  private async currentProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.kafka.producer({
      idempotent: true, // the broker de-duplicates retried batches
      maxInFlightRequests: 1, // what the idempotent producer needs to keep order
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  private connectAdmin(): Promise<void> {
    this.adminConnected ??= this.admin.connect().catch((error) => {
      this.adminConnected = null;
      throw error;
    });
    return this.adminConnected;
  }

  private async readPartitions(): Promise<PartitionMetadata[]> {
    if (this.partitions && Date.now() - this.partitions.at < this.options.metadataMaxAgeMs) return this.partitions.list;
    await this.connectAdmin();
    const metadata = await this.admin.fetchTopicMetadata({ topics: [this.options.topic] });
    const list = metadata.topics[0]?.partitions ?? [];
    if (list.length === 0) throw new Error(`topic ${this.options.topic} not found`);
    this.partitions = { list, at: Date.now() };
    return list;
  }

  private async groupByPartition(messages: Message[]): Promise<Map<number, Message[]>> {
    const partitionMetadata = await this.readPartitions();
    const groups = new Map<number, Message[]>();
    for (const message of messages) {
      const partition = this.partitioner({ topic: this.options.topic, partitionMetadata, message });
      const group = groups.get(partition);
      if (group) group.push(message);
      else groups.set(partition, [message]);
    }
    return groups;
  }
}
