/**
 * Produces offer messages to `deal-of-the-day` with kafkajs: idempotent, acks=all, keyed by
 * item id (one item's history stays ordered in one partition), gzip, with the contract's
 * headers. A send either resolves with every message acknowledged or rejects: callers never
 * report an offer as sent unless Kafka said so.
 */
import { CompressionTypes, Kafka, Partitioners, type Admin, type Producer } from "kafkajs";
import { TOPICS } from "../shared/kafka.ts";
import { SCHEMA_VERSION, type OfferMessage } from "../shared/offer.ts";
import type { KafkaConfig } from "kafkajs";

export interface ProduceResult {
  produced: number;
}

/** Not every message was acknowledged; `produced` of them were, in whole chunks. */
export class ProduceError extends Error {
  constructor(
    readonly produced: number,
    readonly notProduced: number,
    cause: unknown,
  ) {
    super(`Kafka did not acknowledge ${notProduced} offer(s): ${(cause as Error)?.message ?? cause}`);
    this.name = "ProduceError";
  }
}

export interface OfferProducerOptions {
  /** Upper bound for one send, so an HTTP caller gets an answer while Kafka is down. */
  sendTimeoutMs: number;
  /** Messages per send call; each is one batch per partition. */
  chunkSize: number;
  topic: string;
}

const DEFAULTS: OfferProducerOptions = { sendTimeoutMs: 15_000, chunkSize: 500, topic: TOPICS.offers.name };

export class OfferProducer {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly options: OfferProducerOptions;
  private connecting: Promise<void> | null = null;
  private connected = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(config: KafkaConfig, options: Partial<OfferProducerOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.kafka = new Kafka(config);
    this.producer = this.kafka.producer({
      idempotent: true, // broker de-duplicates retried batches: no duplicates from retries
      maxInFlightRequests: 1, // what the idempotent producer needs to keep order
      createPartitioner: Partitioners.DefaultPartitioner, // murmur2 on the key, like the Java client
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    this.admin = this.kafka.admin({ retry: { retries: 1, maxRetryTime: 2_000 } });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
    });
  }

  /** Connects if needed; concurrent callers share one attempt, a failed attempt can be retried. */
  async connect(): Promise<void> {
    if (this.closed) throw new Error("producer is shut down");
    if (this.connected) return;
    this.connecting ??= Promise.all([this.producer.connect(), this.admin.connect()])
      .then(() => {
        this.connected = true;
      })
      .finally(() => {
        this.connecting = null;
      });
    await this.connecting;
  }

  /** Kafka reachable and the offers topic present (for /readyz). */
  async ready(): Promise<{ ok: boolean; detail: string }> {
    try {
      await withTimeout(this.connect(), 3_000, "connect");
      const metadata = await withTimeout(this.admin.fetchTopicMetadata({ topics: [this.options.topic] }), 3_000, "metadata");
      const topic = metadata.topics[0];
      if (!topic || topic.partitions.length === 0) return { ok: false, detail: `topic ${this.options.topic} missing` };
      const leaderless = topic.partitions.filter((p) => p.leader < 0).length;
      return leaderless
        ? { ok: false, detail: `${leaderless} partition(s) of ${this.options.topic} without a leader` }
        : { ok: true, detail: `${this.options.topic}: ${topic.partitions.length} partitions` };
    } catch (error) {
      return { ok: false, detail: `Kafka unreachable: ${(error as Error).message}` };
    }
  }

  /** Sends all messages, in chunks; rejects with ProduceError saying how many were acknowledged. */
  async send(messages: OfferMessage[]): Promise<ProduceResult> {
    const work = this.sendChunks(messages);
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  private async sendChunks(messages: OfferMessage[]): Promise<ProduceResult> {
    let produced = 0;
    for (let i = 0; i < messages.length; i += this.options.chunkSize) {
      const chunk = messages.slice(i, i + this.options.chunkSize);
      try {
        await this.connect();
        await withTimeout(
          this.producer.send({
            topic: this.options.topic,
            acks: -1,
            compression: CompressionTypes.GZIP,
            messages: chunk.map(toKafkaMessage),
          }),
          this.options.sendTimeoutMs,
          "send",
        );
      } catch (error) {
        throw new ProduceError(produced, messages.length - produced, error);
      }
      produced += chunk.length;
    }
    return { produced };
  }

  /** Waits for sends under way, then disconnects (flushes nothing left behind). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }
}

export function toKafkaMessage(message: OfferMessage) {
  return {
    key: message.item_id,
    value: JSON.stringify(message),
    headers: {
      schema_version: String(SCHEMA_VERSION),
      scrape_id: message.scrape_id,
      "content-type": "application/json",
    },
  };
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
