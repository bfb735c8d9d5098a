/**
 * The batch consumer loop. Records are transformed as they are read and streamed into the open
 * batch's staged files; at the fixed interval (or sooner, when the batch reaches max records or
 * bytes) the batch is sealed and loaded while the next one is read. At most one batch loads
 * while one fills: when the filling batch is full before the load ends, reading pauses.
 *
 *   read → transform → stage (open batch) ──seal──▶ dead letters → load (isolating refused rows)
 *                                        → dead letters of refused rows → announce the load → commit
 *
 * Guarantees (docs/consumer.md), each kept by one module:
 *  - Offsets are committed only after their batch is in the warehouse, batch after batch, in
 *    order; work read in an older group generation is never committed (commit-tracker.ts).
 *  - Outages (5xx, timeouts, locks, an unreachable broker) are retried with backoff and never
 *    skipped; only a batch's abandonment (a stop, a rebalance) ends the retries (abandoned.ts).
 *    Rows the warehouse refuses for their values are isolated, dead-lettered and the rest of the
 *    batch is loaded: data never stalls the consumer (load-step.ts).
 *  - A batch's dead letters are sent once, before its commit (open-batch.ts, dead-letters.ts).
 *  - Anything read but not committed is read again after a crash, a restart or a rebalance; the
 *    warehouse keeps one row per key (warehouse/). Kafka itself is behind backend/.
 * A failure none of this covers (a full disk, a bug) stops the process: it never moves on past
 * a batch it could not load. */
import { untilKafkaAnswers } from "../shared/kafka-start.ts";
import { log } from "../shared/log.ts";
import { sleep } from "../shared/retry.ts";
import { Abandoned } from "./abandoned.ts";
import type { ConsumerBackend } from "./backend/backend.ts";
import { commitBatch, CommitTracker, type TopicPartition } from "./commit-tracker.ts";
import type { ConsumerSettings } from "./consumer-config.ts";
import type { ConsumerMetrics } from "./consumer-metrics.ts";
import { type DeadLetterSender, refusedRowLetters, sendDeadLetters } from "./dead-letters.ts";
import { faultPoint } from "../shared/fault-points.ts";
import { LagGauge } from "./lag-gauge.ts";
import { announceUntilDone, type LoadAnnouncer } from "./load-announcer.ts";
import { loadUntilDone } from "./load-step.ts";
import { reportLoaded } from "./loaded-batch.ts";
import { OpenBatch } from "./open-batch.ts";
import type { OnDead, StagingLane } from "./runtime/staging-lane.ts";
import { clearSpool, deleteLocalFiles, type RowShape } from "./staging.ts";
import type { DeadLetter } from "./transform.ts";
import type { RawRecord } from "./backend/backend.ts";
import { prepareWarehouse, type Warehouse } from "./warehouse/warehouse.ts";

export type ConsumerTuning = Pick<
  ConsumerSettings,
  "intervalMs" | "maxRecords" | "maxBytes" | "retryBaseMs" | "retryMaxMs" | "loadTimeoutMs" | "groupId"
>;

export interface BatchConsumerDeps {
  backend: ConsumerBackend;
  settings: ConsumerTuning;
  warehouse: Warehouse;
  deadLetters: DeadLetterSender;
  metrics: ConsumerMetrics;
  /** Local folder of the spool (batches being written and loaded). */
  spoolRoot: string;
  /** Opens the staging of a new batch (in this thread, or in a worker: staging-lane.ts). */
  openLane(ingestedAt: string, onDead: OnDead): StagingLane;
  /** The table this consumer loads (for splitting batches when rows are refused). */
  shape: RowShape;
  /** Called when the consumer cannot go on safely (it has stopped reading); the daemon exits. */
  onFatal?(error: Error): void;
  /** Told of each loaded batch before its commit (the offers feed: the alerter evaluates it). */
  announcer?: LoadAnnouncer;
}

export class BatchConsumer {
  private readonly tracker = new CommitTracker();
  private open: OpenBatch | null = null;
  private loading: Promise<void> | null = null;
  private paused = false;
  private stopping = false;
  /** Aborted by stop(): a load's waits (BigQuery's jobs) end at once, the batch is left uncommitted. */
  private readonly stopped = new AbortController();
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private readonly lag: LagGauge;

  constructor(private readonly deps: BatchConsumerDeps) {
    this.lag = new LagGauge(deps.backend, deps.metrics);
  }

  async start(): Promise<void> {
    const { warehouse, deadLetters, backend, settings } = this.deps;
    await prepareWarehouse(warehouse);
    await clearSpool(this.deps.spoolRoot, this.deps.shape.table);
    // a broker down or leaders still being elected: keep trying, quietly, until Kafka answers
    const kafka = (what: string) => ({ daemon: "consumer", what, stopped: () => this.stopping });
    await untilKafkaAnswers(() => deadLetters.connect(), kafka("dead-letter producer"));
    if (this.deps.announcer) await untilKafkaAnswers(() => this.deps.announcer!.connect(), kafka("load announcer"));
    await untilKafkaAnswers(() =>
      backend.run({
        records: (records, context) => this.take(records, context),
        assigned: (partitions) => this.onAssigned(partitions),
        // a reader kafkajs gave up on would leave this consumer idle with a backlog: stop instead
        failed: (error) => this.fail(error),
      }), kafka("group"));
    this.loop = this.flushLoop();
    this.lag.start();
    log("info", "consumer_started", {
      group: settings.groupId,
      table: this.deps.shape.table,
      interval_ms: settings.intervalMs,
      warehouse: warehouse.kind,
    });
  }

  /** Stops reading; lets a batch under way finish (committing only if it finishes), then disconnects. */
  async stop(graceMs = 30_000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.stopped.abort();
    this.lag.stop();
    this.wake?.();
    if (this.loading) {
      const finished = await Promise.race([
        this.loading.then(() => true, () => true),
        sleep(graceMs).then(() => false),
      ]);
      if (!finished) {
        log("warn", "batch_abandoned", { reason: "shutdown", note: "not committed; it will be read again" });
      }
    }
    const unflushed = this.open?.records ?? 0;
    await this.open?.lane.discard().catch(() => {});
    this.open = null;
    await this.deps.backend.stop();
    await this.loop?.catch(() => {});
    await Promise.allSettled([
      this.deps.deadLetters.close(),
      this.deps.warehouse.close(),
      this.deps.announcer?.close(),
    ]);
    log("info", "consumer_stopped", { dropped_unflushed_records: unflushed });
  }

  // ------------------------------------------------------------------------- reading

  private onAssigned(partitions: TopicPartition[]): void {
    const generation = this.tracker.assign(partitions);
    const dropped = this.open;
    this.open = null;
    if (dropped) {
      if (dropped.records) {
        log("info", "batch_dropped", {
          reason: "rebalance",
          records: dropped.records,
          note: "re-read from the committed offsets",
        });
      }
      void dropped.lane.discard().catch(() => {});
    }
    log("info", "partitions_assigned", { generation, partitions: this.tracker.partitions });
  }

  /** Takes records into the open batch until it is full; the rest is delivered again later. */
  async take(records: RawRecord[], context: { stale(): boolean; heartbeat(): Promise<void> }): Promise<number> {
    if (this.stopping || context.stale() || records.length === 0) return 0;
    const batch = this.open ??= new OpenBatch({
      generation: this.tracker.generation,
      maxRecords: this.deps.settings.maxRecords,
      maxBytes: this.deps.settings.maxBytes,
      openLane: this.deps.openLane,
      sendLetters: (letters, generation) => this.sendDeadLetters(letters, generation),
    });
    const taken = batch.fit(records);
    try {
      if (taken > 0) await batch.lane.add(taken === records.length ? records : records.slice(0, taken));
    } catch (error) {
      // the staging itself broke (a disk, a bug): stop before anything past it is committed
      this.onProcessError(error as Error);
      return 0;
    }
    if (batch.isFull()) {
      // full: hold reading until the batch is sealed (at once, or when the previous load ends)
      if (!this.paused) {
        this.deps.backend.pause();
        this.paused = true;
      }
      this.wake?.();
    }
    return taken;
  }

  // ------------------------------------------------------------------------- flushing

  private async flushLoop(): Promise<void> {
    const { settings } = this.deps;
    let due = Date.now() + settings.intervalMs;
    while (!this.stopping) {
      if (!this.open?.isFull()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, due - Date.now()));
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
      if (this.stopping) break;
      // one load at a time: the next batch is sealed when the previous one is done
      if (this.loading) await this.loading;
      if (this.stopping) break;
      due = Date.now() + settings.intervalMs;
      this.sealAndLoad();
    }
  }

  /** Seals the open batch and starts loading it (reading goes on meanwhile). */
  sealAndLoad(): Promise<void> {
    const batch = this.open;
    this.open = null;
    // the next batch fills while this one loads
    this.resumeReading();
    if (!batch || batch.records === 0) {
      this.deps.metrics.batches.inc({ outcome: "empty" });
      return Promise.resolve();
    }
    const loading = this.process(batch)
      .catch((error: Error) => this.onProcessError(error))
      .finally(() => {
        if (this.loading === loading) this.loading = null;
        this.resumeReading();
        void this.lag.refresh();
      });
    this.loading = loading;
    return loading;
  }

  private resumeReading(): void {
    if (this.paused && !this.stopping && !this.open?.isFull()) {
      this.deps.backend.resume();
      this.paused = false;
    }
  }

  private onProcessError(error: Error): void {
    if (error instanceof Abandoned) {
      this.deps.metrics.batches.inc({ outcome: "abandoned" });
      log("info", "batch_abandoned", { reason: error.message, note: "not committed; it will be read again" });
      return;
    }
    // never read past a batch that could not be loaded: stop, and let a restart read it again
    this.deps.metrics.batches.inc({ outcome: "failed" });
    log("error", "batch_failed", {
      message: error.message,
      note: "stopping; nothing past this batch was committed",
    });
    this.fail(error);
  }

  /** Stops reading and tells the daemon, which stops and exits for its supervisor to restart it. */
  private fail(error: Error): void {
    this.stopping = true;
    this.deps.backend.pause();
    this.deps.onFatal?.(error);
  }

  private abandonedReason(generation: number): string | null {
    if (this.stopping) return "shutdown";
    if (generation !== this.tracker.generation) return "rebalance";
    return null;
  }

  private async process(open: OpenBatch): Promise<void> {
    const { metrics, warehouse, settings } = this.deps;
    const started = performance.now();
    const { generation } = open;
    const { batch, duplicates } = await open.lane.seal();
    try {
      await open.flushLetters();
      const outcome = await loadUntilDone(batch, {
        warehouse,
        metrics,
        root: this.deps.spoolRoot,
        shape: this.deps.shape,
        loadTimeoutMs: settings.loadTimeoutMs,
        step: this.step(generation),
        signal: this.stopped.signal,
      });
      await this.sendDeadLetters(refusedRowLetters(batch.id, outcome), generation);
      if (this.deps.announcer) await announceUntilDone(this.deps.announcer, batch, this.step(generation));
      faultPoint("after_load");
      const loadMs = performance.now() - started;
      const committed = await commitBatch(this.tracker, (o) => this.deps.backend.commit(o), batch.ranges, generation);

      reportLoaded(metrics, { open, batch, outcome, duplicates, committed, loadMs });
    } finally {
      // loaded, refused or abandoned: the spool files of the batch are done with
      await deleteLocalFiles(batch).catch(() => {});
    }
  }

  /** How a batch read in `generation` retries its steps, and when it is abandoned. */
  private step(generation: number) {
    const { settings } = this.deps;
    return {
      abandoned: () => this.abandonedReason(generation),
      backoff: { baseMs: settings.retryBaseMs, maxMs: settings.retryMaxMs, jitter: "equal" as const },
      // a stop ends a backoff at once instead of after up to OFERTAS_RETRY_MAX_MS
      signal: this.stopped.signal,
    };
  }

  /** Dead letters are sent (acks=all) before the commit (dead-letters.ts). */
  private sendDeadLetters(letters: DeadLetter[], generation: number): Promise<void> {
    return sendDeadLetters(this.deps.deadLetters, letters, this.step(generation), (sent) => {
      for (const l of sent) this.deps.metrics.invalid.inc({ reason: l.kind });
    });
  }
}
