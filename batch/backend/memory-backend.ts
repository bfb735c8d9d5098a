/**
 * The in-memory twin of the Kafka backend, for unit tests of the consumer's bookkeeping: one
 * topic's partitions as arrays, committed offsets, pause, and rebalances on demand. `deliver`
 * plays what kafkajs's fetch loop does: hand each assigned partition's records after the
 * position to the handler, and move the position by what it took.
 */
import type { CommitOffset, TopicPartition } from "../commit-tracker.ts";
import type { RawRecord } from "./backend.ts";
import type { BackendHandler, ConsumerBackend } from "./backend.ts";

export class MemoryBackend implements ConsumerBackend {
  private readonly logs = new Map<number, RawRecord[]>();
  private readonly position = new Map<number, number>();
  readonly committed = new Map<number, number>();
  readonly commits: CommitOffset[][] = [];
  private handler: BackendHandler | null = null;
  private assignment: TopicPartition[] = [];
  paused = false;
  /** Set while a rebalance is under way: records in flight become stale. */
  private epoch = 0;

  constructor(readonly topic: string, partitions: number) {
    for (let p = 0; p < partitions; p++) this.logs.set(p, []);
  }

  append(partition: number, value: string | Uint8Array | null, headers: Record<string, string> = {}): RawRecord {
    const log = this.logs.get(partition)!;
    const record: RawRecord = {
      topic: this.topic,
      partition,
      offset: String(log.length),
      key: null,
      value: typeof value === "string" ? new TextEncoder().encode(value) : value,
      headers,
    };
    log.push(record);
    return record;
  }

  async run(handler: BackendHandler): Promise<void> {
    this.handler = handler;
    this.rebalance([...this.logs.keys()]);
  }

  /** A new assignment: positions go back to the committed offsets, as after a real rebalance. */
  rebalance(partitions: number[]): void {
    this.epoch++;
    this.assignment = partitions.map((partition) => ({ topic: this.topic, partition }));
    for (const p of partitions) this.position.set(p, this.committed.get(p) ?? 0);
    this.handler!.assigned(this.assignment);
  }

  /** One fetch round over the assigned partitions; returns how many records were taken. */
  async deliver(maxPerPartition = Infinity): Promise<number> {
    if (this.paused || !this.handler) return 0;
    let taken = 0;
    const epoch = this.epoch;
    for (const { partition } of this.assignment) {
      const from = this.position.get(partition) ?? 0;
      const records = this.logs.get(partition)!.slice(from, from + maxPerPartition);
      if (records.length === 0) continue;
      const n = await this.handler.records(records, {
        heartbeat: () => Promise.resolve(),
        stale: () => epoch !== this.epoch,
      });
      this.position.set(partition, from + n);
      taken += n;
      if (this.paused) break;
    }
    return taken;
  }

  /** What kafkajs does when it gives up on a crashed reader: reading stops for good. */
  crash(error: Error): void {
    const handler = this.handler;
    this.handler = null;
    handler?.failed(error);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  async commit(offsets: CommitOffset[]): Promise<void> {
    this.commits.push(offsets);
    for (const o of offsets) this.committed.set(o.partition, Number(o.offset));
  }

  async lag(): Promise<Array<{ partition: number; lag: number }>> {
    return [...this.logs].map(([partition, log]) => ({
      partition,
      lag: log.length - (this.committed.get(partition) ?? 0),
    }));
  }

  async stop(): Promise<void> {
    this.handler = null;
  }
}
