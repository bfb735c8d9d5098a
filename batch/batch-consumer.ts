/**
 * The batch consumer loop. Records are transformed as they are read and streamed into the open
 * batch's staged files; at the fixed interval (or sooner, when the batch reaches max records or
 * bytes) the batch is sealed and loaded while the next one is read. At most one batch loads
 * while one fills: when the filling batch is full before the load ends, reading pauses.
 *
 *   read → transform → stage (open batch) ──seal──▶ dead letters → load (isolating refused rows)
 *                                        → dead letters of refused rows → announce the load → commit
 *
 * Guarantees (docs/consumer.md):
 *  - Offsets are committed only after their batch is in the warehouse, batch after batch, in
 *    order; work read in an older group generation is never committed.
 *  - Outages (5xx, timeouts, locks, an unreachable broker) are retried with backoff and never
 *    skipped. Rows the warehouse refuses for their values are dead-lettered and the rest of the
 *    batch is loaded: data never stalls the consumer.
 *  - A batch's dead letters are sent once, before its commit.
 *  - Anything read but not committed is read again after a crash, a restart or a rebalance; the
 *    warehouse keeps one row per key.
 * A failure none of this covers (a full disk, a bug) stops the process: it never moves on past
 * a batch it could not load.
 */
import { untilKafkaAnswers } from "../shared/kafka-start.ts";
import { log } from "../shared/log.ts";
import { retry, sleep } from "../shared/retry.ts";
import { withTimeout } from "../shared/timeout.ts";
import type { ConsumerBackend } from "./backend/backend.ts";
import { CommitTracker, type TopicPartition } from "./commit-tracker.ts";
import type { ConsumerSettings } from "./consumer-config.ts";
import type { ConsumerMetrics } from "./consumer-metrics.ts";
import { type DeadLetterSender, refusedRowLetter } from "./dead-letters.ts";
import { faultPoint } from "./fault-points.ts";
import { loadIsolatingRefusedRows } from "./load-step.ts";
import { clearSpool, deleteLocalFiles, type LoadBatch, type RowShape } from "./staging.ts";
import type { OnDead, StagingLane } from "./runtime/staging-lane.ts";
import type { LoadAnnouncer } from "./load-announcer.ts";
import type { DeadLetter, RawRecord } from "./transform.ts";
import { type Warehouse, WarehouseSetupError } from "./warehouse/warehouse.ts";

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

export interface BatchReport {
  batchId: string;
  records: number;
  rows: number;
  inserted: number | null;
  deadLetters: number;
  refused: number;
  committed: boolean;
}

/** How often the lag gauge is refreshed, whatever the batches do. */
const LAG_EVERY_MS = 15_000;

/** Dead letters are sent in chunks of this many while a batch fills (memory stays bounded). */
const DEAD_LETTER_CHUNK = 500;

class Abandoned extends Error {
  constructor(reason: string) {
    super(`batch abandoned: ${reason}`);
    this.name = "Abandoned";
  }
}

/** The batch being read: rows go to its staged files as they come, dead letters are held in small chunks. */
class OpenBatch {
  readonly lane: StagingLane;
  readonly ingestedAt = new Date().toISOString();
  records = 0;
  bytes = 0;
  deadLetters = 0;
  pendingLetters: DeadLetter[] = [];
  /** Dead letters being sent while the batch fills; all are acknowledged before the commit. */
  private sending: Promise<void> = Promise.resolve();

  constructor(
    readonly generation: number,
    private readonly deps: BatchConsumerDeps,
    private readonly sendLetters: (letters: DeadLetter[], generation: number) => Promise<void>,
  ) {
    this.lane = deps.openLane(this.ingestedAt, (letters) => this.onDead(letters));
  }

  isFull(): boolean {
    return this.records >= this.deps.settings.maxRecords || this.bytes >= this.deps.settings.maxBytes;
  }

  /** How many of `records` still fit, counting them in. */
  fit(records: RawRecord[]): number {
    let n = 0;
    while (n < records.length && !this.isFull()) {
      this.records++;
      this.bytes += records[n]!.value?.length ?? 0;
      n++;
    }
    return n;
  }

  private onDead(letters: DeadLetter[]): void {
    this.deadLetters += letters.length;
    this.pendingLetters.push(...letters);
    if (this.pendingLetters.length >= DEAD_LETTER_CHUNK) {
      const chunk = this.pendingLetters;
      this.pendingLetters = [];
      this.sending = this.sending.then(() => this.sendLetters(chunk, this.generation));
    }
  }

  /** Sends what is left, after what is under way. */
  async flushLetters(): Promise<void> {
    await this.sending;
    const letters = this.pendingLetters;
    this.pendingLetters = [];
    await this.sendLetters(letters, this.generation);
  }
}

export class BatchConsumer {
  private readonly tracker = new CommitTracker();
  private open: OpenBatch | null = null;
  private loading: Promise<void> | null = null;
  private paused = false;
  private stopping = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private lagTimer: ReturnType<typeof setInterval> | null = null;
  /** The last batches' outcomes (newest last, at most 50). */
  readonly reports: BatchReport[] = [];

  constructor(private readonly deps: BatchConsumerDeps) {}

  async start(): Promise<void> {
    const { warehouse, deadLetters, backend, settings } = this.deps;
    await this.prepareWarehouse();
    await clearSpool(this.deps.spoolRoot, this.deps.shape.table);
    // a broker down or leaders still being elected: keep trying, quietly, until Kafka answers
    const kafka = (what: string) => ({ daemon: "consumer", what, stopped: () => this.stopping });
    await untilKafkaAnswers(() => deadLetters.connect(), kafka("dead-letter producer"));
    if (this.deps.announcer) await untilKafkaAnswers(() => this.deps.announcer!.connect(), kafka("load announcer"));
    await untilKafkaAnswers(() =>
      backend.run({
        records: (records, context) => this.take(records, context),
        assigned: (partitions) => this.onAssigned(partitions),
      }), kafka("group"));
    this.loop = this.flushLoop();
    // lag on a clock of its own: a consumer with nothing new, or stuck on a backlog, still reports it
    void this.updateLag();
    this.lagTimer = setInterval(() => void this.updateLag(), LAG_EVERY_MS);
    log("info", "consumer_started", {
      group: settings.groupId,
      table: this.deps.shape.table,
      interval_ms: settings.intervalMs,
      warehouse: warehouse.kind,
    });
  }

  /** A setup error stops the start at once; anything else (an outage) is retried for a while. */
  private prepareWarehouse(): Promise<void> {
    return retry(() => this.deps.warehouse.prepare(), {
      attempts: 13,
      backoff: { baseMs: 500, maxMs: 30_000, jitter: "equal" },
      retryable: (error) => !(error instanceof WarehouseSetupError),
      onRetry: (error, attempt) =>
        log("info", "warehouse_unavailable", { attempt, message: (error as Error).message, note: "retrying" }),
    });
  }

  /** Stops reading; lets a batch under way finish (committing only if it finishes), then disconnects. */
  async stop(graceMs = 30_000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.lagTimer) clearInterval(this.lagTimer);
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
    const batch = this.open ??= new OpenBatch(
      this.tracker.generation,
      this.deps,
      (letters, g) => this.sendDeadLetters(letters, g),
    );
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
        void this.updateLag();
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
    log("error", "consumer_failed", {
      message: error.message,
      note: "stopping; nothing past this batch was committed",
    });
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
      const outcome = await loadIsolatingRefusedRows(batch, {
        root: this.deps.spoolRoot,
        shape: this.deps.shape,
        loadOnce: (b) =>
          retry(async () => {
            const reason = this.abandonedReason(generation);
            if (reason) throw new Abandoned(reason);
            // a load still running after the timeout may finish later: its rows and job ids are
            // those of this batch, so the retry meets them instead of adding rows
            const result = await withTimeout(warehouse.load(b), settings.loadTimeoutMs, "load");
            metrics.loadAttempts.inc({ outcome: "ok" });
            return result;
          }, {
            attempts: Infinity,
            backoff: { baseMs: settings.retryBaseMs, maxMs: settings.retryMaxMs, jitter: "equal" },
            retryable: (error) => {
              if (error instanceof Abandoned) return false;
              const refused = error instanceof Error && error.name === "RowDataError";
              metrics.loadAttempts.inc({ outcome: refused ? "refused_rows" : "outage" });
              return !refused;
            },
            onRetry: (error, attempt, delayMs) =>
              log("warn", "batch_load_failed", {
                batch_id: b.id,
                attempt,
                retry_in_ms: delayMs,
                message: (error as Error).message,
              }),
          }),
      });
      const refusedLetters = outcome.refused.map(refusedRowLetter);
      if (refusedLetters.length) {
        log("warn", "rows_refused", {
          batch_id: batch.id,
          rows: refusedLetters.length,
          loads: outcome.loads,
          reason: outcome.refused[0]!.reason.slice(0, 500),
          note: "dead-lettered; the rest of the batch is loaded",
        });
      }
      await this.sendDeadLetters(refusedLetters, generation);
      if (this.deps.announcer) await this.announce(batch, generation);
      faultPoint("after_load");
      const loadMs = performance.now() - started;
      const committed = await this.commit(batch, generation);

      metrics.batches.inc({ outcome: "loaded" });
      metrics.records.inc({}, open.records);
      metrics.bytes.inc({}, open.bytes);
      metrics.rowsLoaded.inc({}, batch.rows - outcome.refused.length);
      if (outcome.inserted !== null) metrics.rowsInserted.inc({}, outcome.inserted);
      metrics.duplicates.inc({}, duplicates);
      metrics.loadSeconds.observe(loadMs / 1000);
      metrics.lastSuccess.set({}, Math.floor(Date.now() / 1000));
      log("info", "batch_loaded", {
        batch_id: batch.id,
        table: batch.table,
        records: open.records,
        bytes: open.bytes,
        rows: batch.rows,
        inserted: outcome.inserted,
        invalid: open.deadLetters,
        refused: refusedLetters.length,
        duplicates,
        dates: batch.dates,
        files: batch.files.length,
        load_ms: Math.round(loadMs),
        committed,
        ranges: batch.ranges.map((r) => `${r.partition}:${r.first}-${r.last}`),
      });
      this.reports.push({
        batchId: batch.id,
        records: open.records,
        rows: batch.rows,
        inserted: outcome.inserted,
        deadLetters: open.deadLetters,
        refused: refusedLetters.length,
        committed,
      });
      if (this.reports.length > 50) this.reports.shift();
    } finally {
      // loaded, refused or abandoned: the spool files of the batch are done with
      await deleteLocalFiles(batch).catch(() => {});
    }
  }

  /** Dead letters are sent (acks=all) before the commit; an outage is retried, never skipped. */
  private sendDeadLetters(letters: DeadLetter[], generation: number): Promise<void> {
    if (letters.length === 0) return Promise.resolve();
    const { deadLetters, metrics, settings } = this.deps;
    return retry(async () => {
      const reason = this.abandonedReason(generation);
      if (reason) throw new Abandoned(reason);
      await deadLetters.send(letters);
      for (const l of letters) metrics.invalid.inc({ reason: l.kind });
    }, {
      attempts: Infinity,
      backoff: { baseMs: settings.retryBaseMs, maxMs: settings.retryMaxMs, jitter: "equal" },
      retryable: (error) => !(error instanceof Abandoned),
      onRetry: (error, attempt) =>
        log("warn", "dead_letters_failed", { attempt, letters: letters.length, message: (error as Error).message }),
    });
  }

  /** The batch is announced (acks=all) before the commit; an outage is retried, never skipped. */
  private announce(batch: LoadBatch, generation: number): Promise<void> {
    const { settings } = this.deps;
    return retry(async () => {
      const reason = this.abandonedReason(generation);
      if (reason) throw new Abandoned(reason);
      await this.deps.announcer!.announce(batch);
    }, {
      attempts: Infinity,
      backoff: { baseMs: settings.retryBaseMs, maxMs: settings.retryMaxMs, jitter: "equal" },
      retryable: (error) => !(error instanceof Abandoned),
      onRetry: (error, attempt) =>
        log("warn", "load_announcement_failed", { batch_id: batch.id, attempt, message: (error as Error).message }),
    });
  }

  /**
   * Commits last+1 for each partition of the batch that this member still owns. A commit that
   * fails after a successful load loses nothing: the records are read again and the warehouse
   * keeps one row per key.
   */
  private async commit(batch: LoadBatch, generation: number): Promise<boolean> {
    const offsets = this.tracker.offsetsToCommit(batch.ranges, generation);
    if (offsets.length === 0) {
      if (generation !== this.tracker.generation) {
        log("info", "commit_skipped", { reason: "rebalance since the batch was read" });
      }
      return false;
    }
    try {
      await retry(() => this.deps.backend.commit(offsets), {
        attempts: 3,
        backoff: { baseMs: 500, maxMs: 2_000, jitter: "equal" },
        retryable: () => generation === this.tracker.generation,
      });
      this.tracker.markCommitted(offsets, generation);
      return true;
    } catch (error) {
      log("warn", "commit_failed", {
        message: (error as Error).message,
        note: "loaded rows stay; the records will be read again and de-duplicated",
      });
      return false;
    }
  }

  private async updateLag(): Promise<void> {
    try {
      for (const { partition, lag } of await this.deps.backend.lag()) {
        this.deps.metrics.lag.set({ partition: String(partition) }, lag);
      }
    } catch (error) {
      log("debug", "lag_unknown", { message: (error as Error).message });
    }
  }
}
