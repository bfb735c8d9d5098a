/**
 * The batch consumer: reads `deal-of-the-day` with kafkajs and, at a fixed interval (or sooner
 * when the batch reaches max records/bytes), turns what it has read since the last flush into
 * one batch: transform → dead letters → stage + load → commit.
 *
 * Guarantees (README, "Exactly-once effect"):
 *  - Offsets are committed only after the batch is in the warehouse (autoCommit and
 *    eachBatchAutoResolve are off; `resolveOffset` only moves the fetch position).
 *  - A failed batch is retried with backoff and is never committed or dropped. While it
 *    retries, reading pauses once the next batch is full.
 *  - Anything read but not committed is read again after a crash, a restart or a rebalance.
 *    kafkajs resumes every assigned partition from the committed offset after a rebalance, so
 *    the buffer is dropped then. Re-read records reload the same offer_keys, and the warehouse
 *    keeps one row per offer_key.
 */
import type { Admin, Consumer, EachBatchPayload, IHeaders, Kafka } from "kafkajs";
import { log } from "../shared/log.ts";
import { withTimeout } from "../shared/timeout.ts";
import type { ConsumerSettings } from "./consumer-config.ts";
import { type ConsumerMetrics, reasonKind } from "./consumer-metrics.ts";
import type { DeadLetterSink } from "./dead-letters.ts";
import { faultPoint } from "./fault-points.ts";
import { buildLoadBatch, type OffsetRange } from "./staging.ts";
import { type RawRecord, transform } from "./transform.ts";
import { type Warehouse, WarehouseSetupError } from "./warehouse/warehouse.ts";

export interface BatchConsumerDeps {
  kafka: Kafka;
  settings: ConsumerSettings;
  warehouse: Warehouse;
  deadLetters: Pick<DeadLetterSink, "connect" | "send" | "close">;
  metrics: ConsumerMetrics;
}

export interface BatchReport {
  records: number;
  rows: number;
  inserted: number | null;
  deadLetters: number;
  committed: boolean;
}

const tp = (topic: string, partition: number) => `${topic}/${partition}`;

export class BatchConsumer {
  private readonly consumer: Consumer;
  /** Reads end offsets and the group's commits for the lag metric (connected lazily, once). */
  private readonly admin: Admin;
  private adminConnected = false;
  private buffer: RawRecord[] = [];
  private bufferBytes = 0;
  /** Bumped at every group assignment; work of an older generation is never committed. */
  private generation = 0;
  private assigned = new Set<string>();
  /** Highest offset this process committed per partition in the current generation. */
  private committed = new Map<string, bigint>();
  private paused = false;
  private stopping = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private flushing: Promise<unknown> | null = null;
  /** The last batches' outcomes (newest last, at most 50): for /metrics-less callers and tests. */
  readonly reports: BatchReport[] = [];

  constructor(private readonly deps: BatchConsumerDeps) {
    const { kafka, settings } = deps;
    this.consumer = kafka.consumer({
      groupId: settings.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: settings.sessionTimeoutMs,
      rebalanceTimeout: 60_000,
      heartbeatInterval: Math.min(3_000, Math.floor(settings.sessionTimeoutMs / 3)),
      maxWaitTimeInMs: 1_000,
    });
    this.admin = kafka.admin();
  }

  async start(): Promise<void> {
    const { settings, warehouse, deadLetters } = this.deps;
    await this.prepareWarehouse();
    await deadLetters.connect();
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => this.onAssignment(payload.memberAssignment));
    this.consumer.on(
      this.consumer.events.CRASH,
      ({ payload }) =>
        log("error", "kafka_consumer_crash", { message: payload.error?.message, restart: payload.restart }),
    );
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: settings.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.loop = this.flushLoop();
    log("info", "consumer_started", {
      group: settings.groupId,
      topic: settings.topic,
      interval_ms: settings.intervalMs,
      warehouse: warehouse.kind,
    });
  }

  /** A setup error stops the start at once; anything else (an outage) is retried for a while. */
  private async prepareWarehouse(): Promise<void> {
    for (let attempt = 0;; attempt++) {
      try {
        await this.deps.warehouse.prepare();
        return;
      } catch (error) {
        if (error instanceof WarehouseSetupError || attempt >= 12) throw error;
        log("warn", "warehouse_unavailable", { attempt, message: (error as Error).message });
        await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** attempt)));
      }
    }
  }

  /** Stops reading; lets a batch under way finish (committing only if it finishes), then disconnects. */
  async stop(graceMs = 30_000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.wake?.();
    if (this.flushing) {
      const finished = await Promise.race([
        this.flushing.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), graceMs)),
      ]);
      if (!finished) {
        log("warn", "batch_abandoned", { reason: "shutdown", note: "not committed; it will be read again" });
      }
    }
    await this.consumer.disconnect().catch(() => {});
    await this.admin.disconnect().catch(() => {});
    await this.loop?.catch(() => {});
    await Promise.allSettled([this.deps.deadLetters.close(), this.deps.warehouse.close()]);
    log("info", "consumer_stopped", { dropped_unflushed_records: this.buffer.length });
  }

  private onAssignment(assignment: Record<string, number[]>): void {
    this.generation++;
    this.assigned = new Set(
      Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((p) => tp(topic, p))),
    );
    this.committed.clear();
    if (this.buffer.length) {
      log("info", "buffer_dropped", {
        reason: "rebalance",
        records: this.buffer.length,
        note: "re-read from the committed offsets",
      });
    }
    this.buffer = [];
    this.bufferBytes = 0;
    log("info", "partitions_assigned", { generation: this.generation, partitions: [...this.assigned] });
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const generation = this.generation;
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || generation !== this.generation || this.stopping) break;
      // full: leave the rest unresolved; kafkajs fetches it again after the flush resumes reading
      if (this.isFull()) break;
      this.buffer.push({
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        headers: headerStrings(message.headers),
      });
      this.bufferBytes += message.value?.length ?? 0;
      resolveOffset(message.offset); // moves the fetch position only: nothing is committed here
    }
    await heartbeat();
    if (this.isFull()) {
      if (!this.paused) {
        this.consumer.pause([{ topic: this.deps.settings.topic }]);
        this.paused = true;
      }
      this.wake?.();
    }
  }

  private isFull(): boolean {
    return this.buffer.length >= this.deps.settings.maxRecords || this.bufferBytes >= this.deps.settings.maxBytes;
  }

  private async flushLoop(): Promise<void> {
    let next = Date.now() + this.deps.settings.intervalMs;
    while (!this.stopping) {
      if (!this.isFull()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, next - Date.now()));
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
      if (this.stopping) break;
      next = Date.now() + this.deps.settings.intervalMs;
      this.flushing = this.flush();
      await this.flushing;
      this.flushing = null;
    }
  }

  private async flush(): Promise<void> {
    const records = this.buffer;
    const generation = this.generation;
    this.buffer = [];
    this.bufferBytes = 0;
    if (records.length > 0) {
      await this.processWithRetry(records, generation);
    } else {
      this.deps.metrics.batches.inc({ outcome: "empty" });
    }
    if (this.paused && !this.stopping) {
      this.consumer.resume([{ topic: this.deps.settings.topic }]);
      this.paused = false;
    }
    await this.updateLag();
  }

  private async processWithRetry(records: RawRecord[], generation: number): Promise<void> {
    const { settings, metrics } = this.deps;
    for (let attempt = 0;; attempt++) {
      try {
        this.reports.push(await this.process(records, generation));
        if (this.reports.length > 50) this.reports.shift();
        return;
      } catch (error) {
        metrics.batches.inc({ outcome: "failed" });
        log("error", "batch_failed", { attempt, records: records.length, message: (error as Error).message });
        if (this.stopping || generation !== this.generation) {
          // not committed: whoever owns these partitions now reads them again
          metrics.batches.inc({ outcome: "abandoned" });
          log("warn", "batch_abandoned", { reason: this.stopping ? "shutdown" : "rebalance", records: records.length });
          return;
        }
        const delay = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** attempt) * (0.5 + Math.random() / 2);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async process(records: RawRecord[], generation: number): Promise<BatchReport> {
    const { warehouse, deadLetters, metrics } = this.deps;
    const started = performance.now();
    const ranges = offsetRanges(records);
    const bytes = records.reduce((n, r) => n + (r.value?.length ?? 0), 0);

    const { rows, deadLetters: letters, duplicates } = await transform(records, new Date().toISOString());
    await deadLetters.send(letters); // before the commit: a poison message is never lost
    const batch = await buildLoadBatch(rows, ranges);
    // a load still running after the timeout may finish later: its rows and job ids are those of
    // this batch, so the retry meets them instead of adding rows
    const result = rows.length
      ? await withTimeout(warehouse.load(batch), this.deps.settings.loadTimeoutMs, "load")
      : { inserted: 0, staged: [] };
    faultPoint("after_load");
    const loadMs = performance.now() - started;

    const committed = await this.commit(ranges, generation);
    metrics.batches.inc({ outcome: "loaded" });
    metrics.records.inc({}, records.length);
    metrics.bytes.inc({}, bytes);
    metrics.rowsLoaded.inc({}, rows.length);
    if (result.inserted !== null) metrics.rowsInserted.inc({}, result.inserted);
    metrics.duplicates.inc({}, duplicates);
    for (const l of letters) metrics.invalid.inc({ reason: reasonKind(l.reason) });
    metrics.loadSeconds.observe(loadMs / 1000);
    metrics.lastSuccess.set({}, Math.floor(Date.now() / 1000));
    log("info", "batch_loaded", {
      batch_id: batch.id,
      records: records.length,
      bytes,
      rows: rows.length,
      inserted: result.inserted,
      invalid: letters.length,
      duplicates,
      dates: batch.dates,
      files: batch.files.length,
      load_ms: Math.round(loadMs),
      committed,
      ranges: ranges.map((r) => `${r.partition}:${r.first}-${r.last}`),
    });
    return {
      records: records.length,
      rows: rows.length,
      inserted: result.inserted,
      deadLetters: letters.length,
      committed,
    };
  }

  /**
   * Commits last+1 for each partition of the batch that this member still owns. A commit that
   * fails after a successful load loses nothing: the records are read again and the warehouse
   * keeps one row per offer_key.
   */
  private async commit(ranges: OffsetRange[], generation: number): Promise<boolean> {
    if (generation !== this.generation) {
      log("warn", "commit_skipped", { reason: "rebalance since the batch was read" });
      return false;
    }
    const offsets = ranges
      .filter((r) => this.assigned.has(tp(r.topic, r.partition)))
      .map((r) => ({ topic: r.topic, partition: r.partition, offset: (BigInt(r.last) + 1n).toString() }))
      .filter((o) => BigInt(o.offset) > (this.committed.get(tp(o.topic, o.partition)) ?? -1n));
    if (offsets.length === 0) return false;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.consumer.commitOffsets(offsets);
        for (const o of offsets) this.committed.set(tp(o.topic, o.partition), BigInt(o.offset));
        return true;
      } catch (error) {
        log("warn", "commit_failed", {
          attempt,
          message: (error as Error).message,
          note: "loaded rows stay; the records will be read again and de-duplicated",
        });
        if (generation !== this.generation) return false;
        await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
      }
    }
    return false;
  }

  private async updateLag(): Promise<void> {
    const { settings, metrics } = this.deps;
    try {
      if (!this.adminConnected) {
        await this.admin.connect();
        this.adminConnected = true;
      }
      const [ends, groupOffsets] = await Promise.all([
        this.admin.fetchTopicOffsets(settings.topic),
        this.admin.fetchOffsets({ groupId: settings.groupId, topics: [settings.topic] }),
      ]);
      const committed = new Map(groupOffsets[0]?.partitions.map((p) => [p.partition, BigInt(p.offset)]) ?? []);
      for (const end of ends) {
        const at = committed.get(end.partition) ?? -1n;
        const lag = at < 0n ? BigInt(end.high) - BigInt(end.low) : BigInt(end.high) - at;
        metrics.lag.set({ partition: String(end.partition) }, Number(lag));
      }
    } catch (error) {
      log("warn", "lag_unknown", { message: (error as Error).message });
      this.adminConnected = false; // reconnect next time
      await this.admin.disconnect().catch(() => {});
    }
  }
}

export function offsetRanges(records: readonly RawRecord[]): OffsetRange[] {
  const ranges = new Map<string, OffsetRange>();
  for (const r of records) {
    const key = tp(r.topic, r.partition);
    const range = ranges.get(key);
    if (!range) ranges.set(key, { topic: r.topic, partition: r.partition, first: r.offset, last: r.offset });
    else {
      if (BigInt(r.offset) < BigInt(range.first)) range.first = r.offset;
      if (BigInt(r.offset) > BigInt(range.last)) range.last = r.offset;
    }
  }
  return [...ranges.values()];
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(String).join(",") : String(v);
  }
  return out;
}
