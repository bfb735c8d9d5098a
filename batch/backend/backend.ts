/**
 * What the batch consumer needs from Kafka, and nothing more: records in partition order,
 * assignments, pause/resume, commits and the lag. kafkajs sits behind it (kafka-backend.ts);
 * the unit tests use the in-memory twin (memory-backend.ts).
 */
import type { CommitOffset, TopicPartition } from "../commit-tracker.ts";

/** A header as Kafka clients hand it over; decoded only when needed (never per record). */
export type HeaderValue = string | Uint8Array | Array<string | Uint8Array> | undefined;

/** One record as read, whatever the client: what the transforms and the staging take. */
export interface RawRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: Record<string, HeaderValue>;
}

export interface DeliveryContext {
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
  /** True when these records may no longer be taken (a rebalance began, or a stop). */
  stale(): boolean;
}

export interface BackendHandler {
  /** Takes a prefix of `records` (in order) and says how many; the rest come again later. */
  records(records: RawRecord[], context: DeliveryContext): Promise<number>;
  /** A new assignment: every partition restarts from its committed offset. */
  assigned(partitions: TopicPartition[]): void;
  /** Reading stopped for good (the client gave up): the consumer must not go on as if idle. */
  failed(error: Error): void;
}

export interface ConsumerBackend {
  run(handler: BackendHandler): Promise<void>;
  pause(): void;
  resume(): void;
  commit(offsets: CommitOffset[]): Promise<void>;
  /** Records after the group's committed offset, per partition. */
  lag(): Promise<Array<{ partition: number; lag: number }>>;
  stop(): Promise<void>;
}
