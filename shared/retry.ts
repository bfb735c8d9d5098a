/**
 * The one retry loop of the project: exponential backoff with jitter, a bound on attempts (or
 * none), a predicate that tells a passing fault from one retrying cannot fix, and a hook to log.
 * The loops that retry (the consumer's batch steps, commits and warehouse set-up, every daemon's
 * start against Kafka, the reports' open of a busy DuckDB file, the BigQuery jobs) use it; the
 * polite fetcher has a loop of its own (it honours Retry-After) and borrows only backoffDelay.
 */

export interface Backoff {
  /** Delay before the second attempt. */
  baseMs: number;
  /** No delay is longer than this. */
  maxMs: number;
  /**
   * full: uniform in [0, d] (spreads a crowd of clients; the fetcher); equal: uniform in
   * [d/2, d] (a lone daemon that should still wait); none: exactly d.
   */
  jitter: "full" | "equal" | "none";
}

/** The delay after failed attempt `attempt` (0-based): min(max, base·2^attempt), jittered. */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const d = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt, 52));
  if (backoff.jitter === "full") return Math.round(random() * d);
  if (backoff.jitter === "equal") return Math.round(d / 2 + (random() * d) / 2);
  return d;
}

export interface RetryOptions {
  backoff: Backoff;
  /** Attempts in all, the first included; Infinity retries until `retryable` says no. */
  attempts: number;
  /** False: rethrow at once (a bad setup, a data error, a stop). Default: every error is retried. */
  retryable?: (error: unknown, attempt: number) => boolean;
  /** Called before each wait, e.g. to log. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` until it succeeds, the attempts run out or the error is not retryable; the last error is thrown. */
export async function retry<T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const wait = options.sleep ?? sleep;
  for (let attempt = 0;; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      const last = attempt + 1 >= options.attempts;
      if (last || (options.retryable && !options.retryable(error, attempt))) throw error;
      const delay = backoffDelay(attempt, options.backoff, options.random);
      options.onRetry?.(error, attempt, delay);
      await wait(delay);
    }
  }
}
