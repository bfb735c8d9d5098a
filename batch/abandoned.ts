/**
 * A batch's steps (dead letters, the load, the announcement) are retried until they succeed,
 * never skipped, unless the batch is abandoned: the consumer is stopping, or the group moved on
 * since the batch was read (another member reads those records again). Abandoning is the only
 * way out of the loop, and it is never an error of the batch. A stop ends a backoff at once.
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
  /**
   * Aborts when the consumer stops: a backoff under way ends at once (up to OFERTAS_RETRY_MAX_MS
   * otherwise) and the batch is abandoned, uncommitted, to be read again.
   */
  signal?: AbortSignal;
}

/** The part of StepOptions a batch's steps share (when to give up, how long to wait, when to stop). */
export type StepPolicy = Pick<StepOptions, "abandoned" | "backoff" | "signal">;

/** Waits `ms`, or less when the signal aborts first (the caller then sees it is stopping). */
function pauseUnlessStopped(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Runs `work` until it succeeds; outages are retried with backoff, the batch's abandonment ends it. */
export function untilDoneOrAbandoned<T>(work: () => Promise<T>, options: StepOptions): Promise<T> {
  return retry(async () => {
    const reason = options.signal?.aborted ? "shutdown" : options.abandoned();
    if (reason) throw new Abandoned(reason);
    return await work();
  }, {
    attempts: Infinity,
    backoff: options.backoff,
    retryable: (error) => !(error instanceof Abandoned) && (options.outage?.(error) ?? true),
    sleep: (ms) => pauseUnlessStopped(ms, options.signal),
    onRetry: (error, attempt, delayMs) =>
      log("warn", options.event, {
        ...options.fields,
        attempt,
        retry_in_ms: delayMs,
        message: (error as Error).message,
      }),
  });
}
