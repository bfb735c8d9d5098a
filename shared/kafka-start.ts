/**
 * How every daemon meets Kafka when it starts: a broker down (one of three), a cluster still
 * electing leaders, a topic not created yet. All of these pass, so the start keeps trying, quietly
 * (info lines marked transient), with the shared retry helper, until Kafka answers or the daemon
 * is stopped. Only what no retry fixes ends the start: bad credentials, and errors of the daemon's
 * own setup (settings, the warehouse), which the caller raises outside this loop.
 */
import { log } from "./log.ts";
import { type Backoff, retry } from "./retry.ts";

/** Errors a retry cannot fix: the credentials were refused. */
export function isPermanentKafkaError(error: unknown): boolean {
  const name = (error as Error)?.name ?? "";
  return name === "KafkaJSSASLAuthenticationError" || /authentication|authoriz/i.test((error as Error)?.message ?? "");
}

export interface KafkaStartOptions {
  /** Names the step in the log line (`<daemon>_kafka_unavailable`). */
  daemon: string;
  what: string;
  /** True once the daemon is stopping: the start gives up. */
  stopped?: () => boolean;
  /** Undo what a failed attempt left half done (a half-connected client) before the next. */
  cleanup?: () => Promise<unknown>;
  /** Default: 0.5 s doubling to 10 s. */
  backoff?: Backoff;
}

export function untilKafkaAnswers<T>(work: () => Promise<T>, options: KafkaStartOptions): Promise<T> {
  return retry(async () => {
    try {
      return await work();
    } catch (error) {
      await options.cleanup?.().catch(() => {});
      throw error;
    }
  }, {
    attempts: Infinity,
    backoff: options.backoff ?? { baseMs: 500, maxMs: 10_000, jitter: "equal" },
    retryable: (error) => !(options.stopped?.() ?? false) && !isPermanentKafkaError(error),
    onRetry: (error, attempt, delayMs) =>
      log("info", `${options.daemon}_kafka_unavailable`, {
        step: options.what,
        attempt,
        retry_in_ms: delayMs,
        message: (error as Error).message,
        transient: true,
      }),
  });
}
