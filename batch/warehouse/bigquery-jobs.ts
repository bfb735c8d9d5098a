/**
 * BigQuery jobs under deterministic ids: a retry of the same batch meets "already exists" and
 * takes that job's outcome instead of running it twice; a job that finished with an error is
 * never taken: the next attempt runs as `…_r<n>`, again deterministically, so a restart after a
 * crash meets the same jobs in the same order.
 *
 * Every job is observable and bounded: it logs its start, and its end with its duration, bytes
 * and rows (`bigquery_job_started`, `bigquery_job_done`); one still running after `slowAfterMs`
 * is reported while it runs, and again each `slowAfterMs` (`bigquery_job_running`, warn); a wait
 * longer than `jobTimeoutMs` fails the attempt (the consumer retries the batch, which meets the
 * same job). A stop signal ends any wait at once: the job goes on in BigQuery, and the batch, left
 * uncommitted, meets its outcome when it is read again.
 */
import type { BigQuery, Job, JobMetadata } from "@google-cloud/bigquery";
import { log } from "../../shared/log.ts";
import { type Backoff, backoffDelay } from "../../shared/retry.ts";

/**
 * Within one call: at most 5 new jobs, 1, 2, 4, 8 s apart (15 s at most, well inside the load's
 * timeout); then the batch's own retry takes over with its longer backoff.
 */
export const DEFAULT_JOB_RETRIES: JobRetries = {
  maxNewJobs: 5,
  backoff: { baseMs: 1_000, maxMs: 8_000, jitter: "equal" },
};
/** errorResult reasons that a new attempt of the same job can get past. */
const RETRYABLE_JOB_REASONS = new Set([
  "backendError",
  "internalError",
  "rateLimitExceeded",
  "jobInternalError",
  "jobBackendError",
  "timeout",
]);
/** The first poll of a running job comes this soon, then each one later, up to pollIntervalMs. */
const FIRST_POLL_MS = 50;

export class JobFailedError extends Error {
  constructor(
    readonly jobId: string,
    readonly reason: string,
    message: string,
    /** The job's own error list (row-level problems of a load name the file and position). */
    readonly errors: ReadonlyArray<{ reason?: string; message?: string; location?: string }> = [],
  ) {
    super(`BigQuery job ${jobId} failed (${reason}): ${message}`);
    this.name = "JobFailedError";
  }
}

/** A wait given up because the consumer is stopping (the job itself goes on). */
export class WaitAborted extends Error {
  constructor(what: string) {
    super(`${what}: the wait ended (stopping)`);
    this.name = "WaitAborted";
  }
}

/** 409 from BigQuery; the emulator answers 400 "job … is already created" instead. */
export function isAlreadyExists(error: unknown): boolean {
  const e = error as { code?: number; message?: string };
  return e?.code === 409 || (e?.code === 400 && /already (created|exists)/i.test(e.message ?? ""));
}

export interface JobOptions {
  location: string;
  /** Longest time between polls of a running job. */
  pollIntervalMs: number;
  /** Longest wait for one job before the batch is retried. */
  jobTimeoutMs: number;
  /** A job still running this long is reported, and again each time this long passes (default 30 s). */
  slowAfterMs?: number;
  /** Told of every job that ended (benchmarks time each statement with it). */
  onJob?(done: JobDone): void;
  /** How a job that failed is tried again within one call (default DEFAULT_JOB_RETRIES). */
  retries?: JobRetries;
}

export interface JobRetries {
  /** New jobs one call may create; past that the error goes up to the batch's retry. */
  maxNewJobs: number;
  /** The wait after a new job failed, before the next id. */
  backoff: Backoff;
}

export interface JobDone {
  jobId: string;
  what: string;
  ms: number;
  bytesProcessed: number | null;
  bytesBilled: number | null;
  /** Rows a DML statement changed, or a load wrote (null when the engine does not say). */
  rows: number | null;
}

/** Waits for `work`, unless the signal says stop first. */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new WaitAborted(what));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new WaitAborted(what));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

const sleepUnlessAborted = (ms: number, signal: AbortSignal | undefined, what: string) =>
  unlessAborted(new Promise<void>((r) => setTimeout(r, ms)), signal, what);

const numberOf = (v: unknown) => (v === undefined || v === null ? null : Number(v));

export class BigQueryJobs {
  constructor(private readonly bigquery: BigQuery, private readonly options: JobOptions) {}

  /**
   * Runs a job under a deterministic id, `what` naming it in the logs. The ids are tried in order
   * (`base`, `base_r1`, `base_r2`…): an existing job is this batch's own from an earlier attempt;
   * one that succeeded (or still runs, and then succeeds) is taken, not repeated; one that failed
   * is passed over for the next id, at once. A job this call created that fails for a passing
   * reason is followed by the next id after a short backoff; after `maxNewJobs` such failures,
   * or one that retrying cannot fix, the error goes up and the batch is retried later: that retry
   * meets every failed job again, passes over them and creates the next id, so a short incident
   * never wedges the batch on jobs that failed while it lasted.
   */
  async run(
    baseId: string,
    configuration: Record<string, unknown>,
    what: string,
    signal?: AbortSignal,
  ): Promise<JobMetadata> {
    const retries = this.options.retries ?? DEFAULT_JOB_RETRIES;
    let created = 0;
    for (let suffix = 0;; suffix++) {
      const jobId = suffix === 0 ? baseId : `${baseId}_r${suffix}`;
      const started = performance.now();
      const { job, met } = await this.createOrMeet(jobId, configuration, what, signal);
      const metadata = await this.waitDone(job, jobId, what, signal);
      this.done(metadata, jobId, what, performance.now() - started);
      const failure = metadata.status?.errorResult;
      if (!failure) return metadata;
      const error = new JobFailedError(
        jobId,
        failure.reason ?? "unknown",
        failure.message ?? "",
        metadata.status?.errors ?? [],
      );
      if (met) {
        // an earlier attempt's failure is that attempt's outcome, not this one's: try the next id
        log("info", "bigquery_job_passed_over", { job_id: jobId, what, reason: error.reason });
        continue;
      }
      log("warn", "bigquery_job_failed", {
        job_id: jobId,
        what,
        reason: failure.reason,
        message: failure.message,
        errors: metadata.status?.errors?.slice(0, 5),
      });
      created++;
      if (!RETRYABLE_JOB_REASONS.has(error.reason) || created >= retries.maxNewJobs) throw error;
      await sleepUnlessAborted(backoffDelay(created - 1, retries.backoff), signal, what);
    }
  }

  /** Creates the job, or meets the one an earlier attempt created under the same id. */
  private async createOrMeet(
    jobId: string,
    configuration: Record<string, unknown>,
    what: string,
    signal?: AbortSignal,
  ): Promise<{ job: Job; met: boolean }> {
    try {
      const [job] = await unlessAborted(
        this.bigquery.createJob({ jobId, location: this.options.location, configuration }),
        signal,
        what,
      );
      log("info", "bigquery_job_started", { job_id: jobId, what });
      return { job, met: false };
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      log("info", "bigquery_job_exists", {
        job_id: jobId,
        what,
        note: "an earlier attempt's job: taken if it succeeds, passed over if it failed",
      });
      return { job: this.bigquery.job(jobId, { location: this.options.location }), met: true };
    }
  }

  private done(metadata: JobMetadata, jobId: string, what: string, ms: number): void {
    const stats = metadata.statistics;
    const done: JobDone = {
      jobId,
      what,
      ms: Math.round(ms),
      bytesProcessed: numberOf(stats?.query?.totalBytesProcessed),
      bytesBilled: numberOf(stats?.query?.totalBytesBilled),
      rows: numberOf(stats?.query?.numDmlAffectedRows ?? stats?.load?.outputRows),
    };
    log("info", "bigquery_job_done", {
      job_id: jobId,
      what,
      ms: done.ms,
      bytes_processed: done.bytesProcessed,
      bytes_billed: done.bytesBilled,
      rows: done.rows,
      failed: Boolean(metadata.status?.errorResult),
    });
    this.options.onJob?.(done);
  }

  private async waitDone(job: Job, jobId: string, what: string, signal?: AbortSignal): Promise<JobMetadata> {
    const started = Date.now();
    const deadline = started + this.options.jobTimeoutMs;
    const slowAfter = this.options.slowAfterMs ?? 30_000;
    let nextReport = started + slowAfter;
    let pause = FIRST_POLL_MS;
    for (;;) {
      const [metadata] = await unlessAborted(job.getMetadata(), signal, what);
      if (metadata.status?.state === "DONE") return metadata;
      const now = Date.now();
      if (now > deadline) {
        throw new Error(
          `BigQuery job ${jobId} (${what}) still ${metadata.status?.state} after ${this.options.jobTimeoutMs} ms`,
        );
      }
      if (now >= nextReport) {
        log("warn", "bigquery_job_running", {
          job_id: jobId,
          what,
          state: metadata.status?.state ?? null,
          running_ms: now - started,
          gives_up_in_ms: deadline - now,
        });
        nextReport = now + slowAfter;
      }
      await sleepUnlessAborted(pause, signal, what);
      pause = Math.min(this.options.pollIntervalMs, pause * 2);
    }
  }
}
