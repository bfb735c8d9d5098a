/**
 * A batch's steps (dead letters, the load, the announcement) are retried until they succeed,
 * never skipped, unless the batch is abandoned: the consumer is stopping, or the group moved on
 * since the batch was read (another member reads those records again). Abandoning is the only
 * way out of the loop, and it is never an error of the batch.
 */
import { log } from "../shared/log.ts";
import { type Backoff, retry } from "../shared/retry.ts";

export class Abandoned extends Error {
  constructor(reason: string) {
    super(`batch abandoned: ${reason}`);
    this.name = "Abandoned";
  }
}

export interface StepOptions {
  /** Why the batch no longer matters ("shutdown", "rebalance"), or null while it does. */
  abandoned: () => string | null;
  backoff: Backoff;
  /** Names the log line of each failed attempt. */
  event: string;
  /** Fields of that line. */
  fields?: Record<string, unknown>;
  /** False: the error is not an outage (it is thrown at once). Default: every error is one. */
  outage?: (error: unknown) => boolean;
}

/** Runs `work` until it succeeds; outages are retried with backoff, the batch's abandonment ends it. */
export function untilDoneOrAbandoned<T>(work: () => Promise<T>, options: StepOptions): Promise<T> {
  return retry(async () => {
    const reason = options.abandoned();
    if (reason) throw new Abandoned(reason);
    return await work();
  }, {
    attempts: Infinity,
    backoff: options.backoff,
    retryable: (error) => !(error instanceof Abandoned) && (options.outage?.(error) ?? true),
    onRetry: (error, attempt, delayMs) =>
      log("warn", options.event, {
        ...options.fields,
        attempt,
        retry_in_ms: delayMs,
        message: (error as Error).message,
      }),
  });
}
