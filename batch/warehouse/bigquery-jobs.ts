/**
 * BigQuery jobs under deterministic ids: a retry of the same batch meets "already exists" and
 * takes that job's outcome instead of running it twice; after a job that finished with an error
 * a reason can get past, the next attempt runs as `…_r<n>`, again deterministically. A job is
 * polled until it is done, within a time limit (the consumer then retries the batch).
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

/** 409 from BigQuery; the emulator answers 400 "job … is already created" instead. */
export function isAlreadyExists(error: unknown): boolean {
  const e = error as { code?: number; message?: string };
  return e?.code === 409 || (e?.code === 400 && /already (created|exists)/i.test(e.message ?? ""));
}

export interface JobOptions {
  location: string;
  /** Time between polls of a running job. */
  pollIntervalMs: number;
  /** Longest wait for one job before the batch is retried. */
  jobTimeoutMs: number;
}

export class BigQueryJobs {
  constructor(private readonly bigquery: BigQuery, private readonly options: JobOptions) {}

  /**
   * Runs a job under a deterministic id. An existing job of that id is this batch's own job
   * from an earlier attempt: its outcome is taken, not repeated.
   */
  async run(baseId: string, configuration: Record<string, unknown>): Promise<JobMetadata> {
    return retry(async (attempt) => {
      const jobId = attempt === 0 ? baseId : `${baseId}_r${attempt}`;
      let job: Job;
      try {
        [job] = await this.bigquery.createJob({ jobId, location: this.options.location, configuration });
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
        job = this.bigquery.job(jobId, { location: this.options.location });
        log("info", "bigquery_job_exists", { job_id: jobId });
      }
      const metadata = await this.waitDone(job, jobId);
      const failure = metadata.status?.errorResult;
      if (!failure) return metadata;
      log("warn", "bigquery_job_failed", {
        job_id: jobId,
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

  private async waitDone(job: Job, jobId: string): Promise<JobMetadata> {
    const deadline = Date.now() + this.options.jobTimeoutMs;
    for (;;) {
      const [metadata] = await job.getMetadata();
      if (metadata.status?.state === "DONE") return metadata;
      if (Date.now() > deadline) {
        throw new Error(`BigQuery job ${jobId} still ${metadata.status?.state} after ${this.options.jobTimeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, this.options.pollIntervalMs));
    }
  }
}
