/**
 * A channel is one circuit: while it fails, its alerts wait and one probe goes out per attempt,
 * on the channel's own back-off (exponential, at most `maxMs`; a Retry-After the channel asked
 * for wins, bounded by `maxMs` too, so a 1e308-second answer cannot park it forever). One warn line
 * when it starts failing, one info line when it recovers, never one per alert.
 */
import { log } from "../shared/log.ts";
import { backoffDelay } from "../shared/retry.ts";
import type { ChannelAnswer } from "./channels/channel.ts";

export class ChannelCircuit {
  /** Failed attempts in a row (0: the channel is healthy). */
  failures = 0;
  lastError: string | null = null;
  /** When the next attempt may go (epoch ms). */
  nextAt = 0;
  /** Attempts it took the last delivered message (1: at once). */
  lastAttempts = 1;

  constructor(private readonly name: string, private readonly retry: { baseMs: number; maxMs: number }) {}

  get failing(): boolean {
    return this.failures > 0;
  }

  succeeded(): void {
    if (this.failing) {
      log("info", "alert_channel_recovered", { channel: this.name, failed_attempts: this.failures });
    }
    this.lastAttempts = this.failures + 1;
    this.failures = 0;
    this.lastError = null;
    this.nextAt = 0;
  }

  /** Counts a failed attempt and sets the next one; the failures so far. */
  failed(answer: ChannelAnswer, now: number): number {
    this.failures++;
    this.lastError = answer.detail;
    const asked = Number.isFinite(answer.retryAfterMs) && answer.retryAfterMs! > 0 ? answer.retryAfterMs! : 0;
    const wait = Math.min(
      this.retry.maxMs,
      Math.max(asked, backoffDelay(this.failures - 1, { ...this.retry, jitter: "equal" })),
    );
    this.nextAt = now + wait;
    if (this.failures === 1) {
      log("warn", "alert_channel_failing", {
        channel: this.name,
        detail: answer.detail,
        retry_in_ms: wait,
        note: "alerts wait; one probe per attempt until it answers",
      });
    }
    return this.failures;
  }
}
