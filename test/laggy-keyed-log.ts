/**
 * A keyed log for unit tests of races: like MemoryKeyedLog (one shared sequence, one reader per
 * simulated process), but a record reaches the readers only `lagMs` after it was appended, as
 * Kafka's round trip makes it, so two writers can both act on a copy the other has already made
 * stale. `reached` and `catchUp` wait for the records as the real log does.
 */
import type { Apply, KeyedLog, LogPosition, LogRecord } from "../shared/keyed-log.ts";

interface Reader {
  apply: Apply;
  applied: number;
  waiters: Array<{ offset: number; resolve: () => void }>;
}

export class LaggyKeyedLog {
  readonly records: LogRecord[] = [];
  private readers: Reader[] = [];

  constructor(private readonly lagMs = 20) {}

  reader(): KeyedLog {
    const self: Reader = { apply: () => {}, applied: 0, waiters: [] };
    return {
      start: (apply) => {
        self.apply = apply;
        this.readers.push(self);
        this.deliver(self, this.records.length - 1);
        return Promise.resolve();
      },
      append: (topic, key, value) => Promise.resolve(this.append(topic, key, value)),
      appendMany: (topic, records) => {
        for (const r of records) this.append(topic, r.key, r.value);
        return Promise.resolve();
      },
      reached: (position: LogPosition) => this.reached(self, position.offset),
      catchUp: () => this.reached(self, this.records.length - 1),
      close: () => {
        this.readers = this.readers.filter((r) => r !== self);
        return Promise.resolve();
      },
    };
  }

  private append(topic: string, key: string, value: string | null): LogPosition {
    this.records.push({ topic, key, value });
    const offset = this.records.length - 1;
    setTimeout(() => {
      for (const reader of this.readers) this.deliver(reader, offset);
    }, this.lagMs);
    return { topic, partition: 0, offset };
  }

  private reached(reader: Reader, offset: number): Promise<void> {
    if (reader.applied > offset) return Promise.resolve();
    return new Promise((resolve) => reader.waiters.push({ offset, resolve }));
  }

  private deliver(reader: Reader, upTo: number): void {
    while (reader.applied <= upTo && reader.applied < this.records.length) {
      reader.apply(this.records[reader.applied++]!);
    }
    const still = reader.waiters.filter((w) => w.offset >= reader.applied);
    for (const w of reader.waiters) if (w.offset < reader.applied) w.resolve();
    reader.waiters = still;
  }

  /** The values written under a key, in log order (tombstones as null). */
  valuesOf(key: string): Array<string | null> {
    return this.records.filter((r) => r.key === key).map((r) => r.value);
  }
}
