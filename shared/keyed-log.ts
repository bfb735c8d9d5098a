/**
 * Compacted Kafka topics used as small tables (as Kafka Connect keeps its configs and offsets):
 * every record is read from the beginning, in order, into the caller's state, and new records
 * are appended with acks=all. `reached(position)` waits until a record appended here (or anywhere)
 * has been read back, so a writer sees its own write and every write before it: what the
 * watches' claims rely on (shared/watch/watch-run.ts). An in-memory twin serves the unit tests.
 *
 * Reading uses a consumer group of its own per process (kafkajs reads only through groups); no
 * offset is ever committed: each start reads the topics whole, which compaction keeps small.
 */
import { type Admin, type Consumer, Kafka, type KafkaConfig, Partitioners, type Producer } from "kafkajs";
import { onConsumerCrash } from "./kafka-crash.ts";
import { log } from "./log.ts";
import { untilKafkaAnswers } from "./kafka-start.ts";
import { topicOffsets } from "./topic-offsets.ts";

export interface LogRecord {
  topic: string;
  key: string;
  /** null: a tombstone (the key is deleted). */
  value: string | null;
}

export interface LogPosition {
  topic: string;
  partition: number;
  offset: number;
}

export type Apply = (record: LogRecord) => void;

export interface KeyedLog {
  /** Starts reading every topic from the beginning; resolves once everything there was read (or on close). */
  start(apply: Apply): Promise<void>;
  /** Appends a record (acks=all) and says where it went. */
  append(topic: string, key: string, value: string | null): Promise<LogPosition>;
  /** Appends records in order, in as few requests as fit (acks=all each); resolves once all are written. */
  appendMany(topic: string, records: ReadonlyArray<{ key: string; value: string | null }>): Promise<void>;
  /** Resolves once the record at `position` has been read and applied. */
  reached(position: LogPosition): Promise<void>;
  /** Resolves once every record written before the call (by anyone) has been applied (of `only` those topics). */
  catchUp(only?: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** How long a wait for the log may take before it fails (a broker outage shows as an error, not a hang). */
export const LOG_WAIT_MS = 30_000;
/** Records per produce request of appendMany (small records: well under the broker's 1 MB). */
const APPEND_CHUNK = 500;

export class KafkaKeyedLog implements KeyedLog {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private consumer: Consumer | null = null;
  /** Next offset to read, per "topic:partition". */
  private readonly positions = new Map<string, number>();
  private waiters: Array<{ key: string; offset: number; resolve: () => void }> = [];
  private closed = false;
  private connected: Promise<void> | null = null;

  constructor(config: KafkaConfig, private readonly topics: readonly string[], private readonly name: string) {
    this.kafka = new Kafka(config);
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.admin = this.kafka.admin();
  }

  async start(apply: Apply): Promise<void> {
    // a start during an outage keeps trying, quietly, until Kafka answers or the log is closed
    // (a log closed while starting has nobody waiting for it: no error then)
    await untilKafkaAnswers(async () => {
      if (!this.consumer) await this.connect(apply);
      await this.catchUp();
    }, { daemon: "keyed_log", what: this.name, stopped: () => this.closed }).catch((error) => {
      if (!this.closed) throw error;
    });
  }

  private async connect(apply: Apply): Promise<void> {
    if (this.closed) throw new Error("closed");
    await Promise.all([this.producer.connect(), this.admin.connect()]);
    const consumer = this.kafka.consumer({
      groupId: `ofertas-log-${this.name}-${crypto.randomUUID()}`,
      allowAutoTopicCreation: false,
      // a fetch returns as soon as a record arrives; this is only how long an idle one waits
      maxWaitTimeInMs: 1_000,
    });
    // kafkajs gave up on this reader: read again with a new one (from the beginning; what was
    // applied already is skipped, so the state never goes back in time)
    onConsumerCrash(consumer, `log ${this.name}`, () => {
      if (this.closed) return;
      this.consumer = null;
      void this.start(apply).catch((error) =>
        log("warn", "keyed_log_reread_failed", { log: this.name, message: (error as Error).message })
      );
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const read = `${batch.topic}:${batch.partition}`;
          for (const m of batch.messages) {
            if (Number(m.offset) < (this.positions.get(read) ?? 0)) continue; // applied before a re-read
            apply({ topic: batch.topic, key: m.key?.toString() ?? "", value: m.value ? m.value.toString() : null });
          }
          if (batch.messages.length) this.advance(batch.topic, batch.partition, Number(batch.lastOffset()) + 1);
        },
      });
    } catch (error) {
      await consumer.disconnect().catch(() => {});
      throw error;
    }
    this.consumer = consumer;
  }

  async append(topic: string, key: string, value: string | null): Promise<LogPosition> {
    const [meta] = await this.producer.send({ topic, acks: -1, messages: [{ key, value }] });
    if (!meta || meta.baseOffset === undefined) throw new Error(`no offset for the record on ${topic}`);
    return { topic, partition: meta.partition, offset: Number(meta.baseOffset) };
  }

  async appendMany(topic: string, records: ReadonlyArray<{ key: string; value: string | null }>): Promise<void> {
    // one request per chunk: with the idempotent producer and one request in flight, order holds
    for (let i = 0; i < records.length; i += APPEND_CHUNK) {
      await this.producer.send({
        topic,
        acks: -1,
        messages: records.slice(i, i + APPEND_CHUNK).map((r) => ({ ...r })),
      });
    }
  }

  reached(position: LogPosition): Promise<void> {
    const key = `${position.topic}:${position.partition}`;
    if ((this.positions.get(key) ?? 0) > position.offset) return Promise.resolve();
    return withDeadline(
      new Promise<void>((resolve) => this.waiters.push({ key, offset: position.offset, resolve })),
      `the ${this.name} log did not read back offset ${position.offset} of ${key}`,
    );
  }

  async catchUp(only?: readonly string[]): Promise<void> {
    const topics = only ? this.topics.filter((t) => only.includes(t)) : [...this.topics];
    const ends = await Promise.all(topics.map(async (topic) => ({
      topic,
      partitions: await topicOffsets(this.admin, topic),
    })));
    await Promise.all(
      ends.flatMap(({ topic, partitions }) =>
        partitions
          .filter((p) => Number(p.high) > Number(p.low))
          .map((p) => this.reached({ topic, partition: p.partition, offset: Number(p.high) - 1 }))
      ),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.consumer?.disconnect(), this.producer.disconnect(), this.admin.disconnect()]);
  }

  private advance(topic: string, partition: number, next: number): void {
    const key = `${topic}:${partition}`;
    if (next <= (this.positions.get(key) ?? 0)) return;
    this.positions.set(key, next);
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.key === key && w.offset < next) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }
}

function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${LOG_WAIT_MS / 1000} s`)), LOG_WAIT_MS);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The in-memory twin: one shared sequence of records per topic; each reader (one per simulated
 * process) applies them in order. Appends are applied to every reader before `append` resolves.
 */
export class MemoryKeyedLog {
  readonly records = new Map<string, LogRecord[]>();
  private readers: Array<{ apply: Apply; next: Map<string, number> }> = [];

  /** A KeyedLog view for one reader (one process). */
  reader(): KeyedLog {
    let self: { apply: Apply; next: Map<string, number> } | null = null;
    return {
      start: (apply) => {
        self = { apply, next: new Map() };
        this.readers.push(self);
        this.deliver();
        return Promise.resolve();
      },
      append: (topic, key, value) => Promise.resolve(this.append(topic, key, value)),
      appendMany: (topic, records) => {
        for (const r of records) this.append(topic, r.key, r.value);
        return Promise.resolve();
      },
      reached: () => Promise.resolve(),
      catchUp: () => Promise.resolve(),
      close: () => {
        this.readers = this.readers.filter((r) => r !== self);
        return Promise.resolve();
      },
    };
  }

  append(topic: string, key: string, value: string | null): LogPosition {
    const list = this.records.get(topic) ?? [];
    list.push({ topic, key, value });
    this.records.set(topic, list);
    this.deliver();
    return { topic, partition: 0, offset: list.length - 1 };
  }

  private deliver(): void {
    for (const reader of this.readers) {
      for (const [topic, list] of this.records) {
        for (let i = reader.next.get(topic) ?? 0; i < list.length; i++) {
          reader.next.set(topic, i + 1);
          reader.apply(list[i]!);
        }
      }
    }
  }
}
