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
 *     duplicate, while acknowledging it. → **One send in flight per partition**, so only the
 *     retry of the same batch can reuse its numbers (which is idempotence working). After a send
 *     that finally fails, the partition's producer session is **discarded**: a new producer id
 *     starts new sequences.
 *
 * Partitions are independent lanes: a partition whose leader is down holds only the requests
 * that have messages for it, never the others. Requests that arrive for a partition while its
 * send is in flight are **coalesced** into the next send, so many small requests cost few
 * round trips. Each lane has a producer session (and so broker connections) of its own: a broker
 * handles one request per connection at a time, and an acks=all request waits for the
 * replicas, so two partitions led by the same broker would otherwise wait for each other
 * (bench/produce: half the rate of kafkajs's one-request-per-broker send in batches of 100).
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
import { partitionOfKey } from "./key-partitioner.ts";
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

export type KafkaClient = Pick<Kafka, "producer" | "admin">;

/** Messages coalesced into one send at most (a record batch stays well under the broker's limit). */
const MAX_COALESCED = 5_000;

interface Session {
  producer: Producer;
  connected: Promise<void>;
}

/** One partition's requests waiting for the next send, whether one is in flight, and its producer. */
interface Lane {
  waiting: Waiter[];
  busy: boolean;
  session: Session | null;
}

interface Waiter {
  messages: Message[];
  resolve(): void;
  reject(error: unknown): void;
  /** The request gave up (timed out) before this was sent: do not send it. */
  cancelled: boolean;
}

export class SafeProducer {
  private readonly kafka: KafkaClient;
  private readonly admin: Admin;
  private readonly options: SafeProducerOptions;
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private adminConnected: Promise<void> | null = null;
  private partitions: { list: PartitionMetadata[]; at: number } | null = null;
  private readonly lanes = new Map<number, Lane>();
  private readonly idle = new Set<() => void>();
  private closed = false;

  /** `client` replaces kafkajs in the lane tests (shared/safe-producer.test.ts); real Kafka everywhere else. */
  constructor(config: KafkaConfig, options: Partial<SafeProducerOptions> & { topic: string }, client?: KafkaClient) {
    this.options = { ...DEFAULTS, ...options };
    this.kafka = client ?? new Kafka(config);
    // metadata errors like UNKNOWN_TOPIC_OR_PARTITION are passing (a new topic, a moving leader): a few quick retries
    this.admin = this.kafka.admin({ retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1_000 } });
  }

  /**
   * Connects the admin client (Kafka reachable), then a producer per partition if the topic
   * exists; a missing topic is not an error here, the sends report it.
   */
  async connect(): Promise<void> {
    await this.connectAdmin();
    const partitions = await this.readPartitions().catch(() => []);
    await Promise.all(partitions.map((p) => this.sessionOf(this.laneOf(p.partitionId)).connected));
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
    const deadline = Date.now() + this.options.sendTimeoutMs;
    let byPartition: Map<number, Message[]>;
    try {
      byPartition = await withTimeout(this.groupByPartition(messages), this.options.sendTimeoutMs, "metadata");
    } catch (error) {
      throw new ProduceError(0, messages.length, error);
    }
    const waiters: Waiter[] = [];
    const outcomes = await Promise.allSettled(
      [...byPartition].map(([partition, batch]) => {
        const acked = new Promise<void>((resolve, reject) => {
          const waiter: Waiter = { messages: batch, resolve, reject, cancelled: false };
          waiters.push(waiter);
          this.enqueue(partition, waiter);
        });
        return withTimeout(acked, Math.max(1, deadline - Date.now()), `send to partition ${partition}`).then(
          () => batch.length,
        );
      }),
    );
    for (const w of waiters) w.cancelled = true; // anything not sent yet never will be
    let produced = 0;
    let firstError: unknown = null;
    for (const o of outcomes) {
      if (o.status === "fulfilled") produced += o.value;
      else firstError ??= o.reason;
    }
    if (firstError !== null) throw new ProduceError(produced, messages.length - produced, firstError);
    return { produced };
  }

  /** Lets sends under way finish, then disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    while ([...this.lanes.values()].some((l) => l.busy)) await new Promise<void>((r) => this.idle.add(r));
    await Promise.allSettled([
      ...[...this.lanes.values()].map((lane) => lane.session?.producer.disconnect()),
      this.admin.disconnect(),
    ]);
  }

  private laneOf(partition: number): Lane {
    let lane = this.lanes.get(partition);
    if (!lane) this.lanes.set(partition, lane = { waiting: [], busy: false, session: null });
    return lane;
  }

  private enqueue(partition: number, waiter: Waiter): void {
    const lane = this.laneOf(partition);
    lane.waiting.push(waiter);
    if (!lane.busy) void this.pump(partition, lane);
  }

  /** Sends a partition's waiting requests, coalesced, one send at a time. */
  private async pump(partition: number, lane: Lane): Promise<void> {
    lane.busy = true;
    try {
      for (;;) {
        lane.waiting = lane.waiting.filter((w) => !w.cancelled);
        if (lane.waiting.length === 0) break;
        const taken: Waiter[] = [];
        let count = 0;
        while (
          lane.waiting.length && (taken.length === 0 || count + lane.waiting[0]!.messages.length <= MAX_COALESCED)
        ) {
          const w = lane.waiting.shift()!;
          taken.push(w);
          count += w.messages.length;
        }
        try {
          await this.sendPartition(partition, lane, taken.flatMap((w) => w.messages));
          for (const w of taken) w.resolve();
        } catch (error) {
          for (const w of taken) w.reject(error);
        }
      }
    } finally {
      lane.busy = false;
      for (const wake of this.idle) wake();
      this.idle.clear();
    }
  }

  private async sendPartition(partition: number, lane: Lane, messages: Message[]): Promise<void> {
    const session = this.sessionOf(lane);
    try {
      await session.connected;
      await session.producer.send({
        topic: this.options.topic,
        acks: -1,
        compression: CompressionTypes.GZIP,
        messages: messages.map((m) => ({ ...m, partition })),
      });
    } catch (error) {
      // the session may hold rolled-back sequence numbers: never send with it again (the lane
      // has nothing else in flight on it, so it can go now)
      this.retire(lane, session);
      this.partitions = null;
      log("warn", "producer_reset", { partition, reason: (error as Error).message });
      throw error;
    }
  }

  private sessionOf(lane: Lane): Session {
    if (lane.session) return lane.session;
    const producer = this.kafka.producer({
      idempotent: true, // the broker de-duplicates retried batches
      maxInFlightRequests: 1, // one partition, one send at a time (the lane)
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    const session: Session = { producer, connected: producer.connect() };
    // a failed connect retires the session, so the lane's next send starts a new one
    session.connected.catch(() => this.retire(lane, session));
    lane.session = session;
    return session;
  }

  private retire(lane: Lane, session: Session): void {
    if (lane.session !== session) return;
    lane.session = null;
    void session.producer.disconnect().catch(() => {});
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
      const key = message.key;
      // keyed messages (all of the project's): Kafka's murmur2 rule, computed cheaply; the rest
      // (no key) round-robin over the partitions with a leader, as kafkajs does
      const partition = typeof key === "string" || key instanceof Uint8Array
        ? partitionOfKey(key, partitionMetadata.length)
        : this.partitioner({ topic: this.options.topic, partitionMetadata, message });
      const group = groups.get(partition);
      if (group) group.push(message);
      else groups.set(partition, [message]);
    }
    return groups;
  }
}
