/**
 * BigQuery jobs under deterministic ids: a retry of the same batch meets "already exists" and
 * takes that job's outcome instead of running it twice; after a job that finished with an error
 * a reason can get past, the next attempt runs as `…_r<n>`, again deterministically.
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
import { retry } from "../../shared/retry.ts";

const MAX_JOB_ATTEMPTS = 5;
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
   * Runs a job under a deterministic id, `what` naming it in the logs. An existing job of that id
   * is this batch's own job from an earlier attempt: its outcome is taken, not repeated.
   */
  async run(
    baseId: string,
    configuration: Record<string, unknown>,
    what: string,
    signal?: AbortSignal,
  ): Promise<JobMetadata> {
    return retry(async (attempt) => {
      const jobId = attempt === 0 ? baseId : `${baseId}_r${attempt}`;
      const started = performance.now();
      let job: Job;
      try {
        [job] = await unlessAborted(
          this.bigquery.createJob({ jobId, location: this.options.location, configuration }),
          signal,
          what,
        );
        log("info", "bigquery_job_started", { job_id: jobId, what });
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
        job = this.bigquery.job(jobId, { location: this.options.location });
        log("info", "bigquery_job_exists", {
          job_id: jobId,
          what,
          note: "an earlier attempt's job: its outcome is taken",
        });
      }
      const metadata = await this.waitDone(job, jobId, what, signal);
      this.done(metadata, jobId, what, performance.now() - started);
      const failure = metadata.status?.errorResult;
      if (!failure) return metadata;
      log("warn", "bigquery_job_failed", {
        job_id: jobId,
        what,
        reason: failure.reason,
        message: failure.message,
        errors: metadata.status?.errors?.slice(0, 5),
      });
      throw new JobFailedError(
        jobId,
        failure.reason ?? "unknown",
        failure.message ?? "",
        metadata.status?.errors ?? [],
      );
    }, {
      attempts: MAX_JOB_ATTEMPTS,
      // the next attempt runs under a new id at once; BigQuery itself paces the job
      backoff: { baseMs: 0, maxMs: 0, jitter: "none" },
      retryable: (error) => error instanceof JobFailedError && RETRYABLE_JOB_REASONS.has(error.reason),
    });
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
