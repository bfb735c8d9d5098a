/**
 * Sends every alert of the outbox to each of its channels, never losing one, never doubling one
 * beyond a repeat with the same idempotency key:
 *  - what waits is rebuilt from the alerts topic at start: an alert without a `delivered` record
 *    for a channel is sent (again), with its id as the idempotency key;
 *  - a channel that fails keeps its alerts waiting, retried with exponential backoff (a channel's
 *    own Retry-After is honoured), and says so: `retrying` records (attempts 1, 2, 4, 8, …),
 *    metrics, the alerter's /readyz;
 *  - a channel with a digest (`?digest=hourly|daily`) sends what waited as one message at the end
 *    of each period (hourly: on the hour; daily: 08:00 in São Paulo).
 * One message at a time per channel, oldest alert first.
 */
import { type Alert, type AlertRecord, type Delivery, deliveryKey } from "../shared/alert/alert-record.ts";
import { faultPoint } from "../batch/fault-points.ts";
import { log } from "../shared/log.ts";
import { backoffDelay } from "../shared/retry.ts";
import { hexPrefix, sha256 } from "../shared/sha256.ts";
import type { Channel, ChannelAnswer } from "./channels/channel.ts";
import { type AlertMessage, digestMessage, messageOf } from "./channels/message.ts";
import { HOUR_MS } from "../shared/duration.ts";

export interface DelivererDeps {
  channels: ReadonlyMap<string, Channel>;
  /** Appends a delivery record to the alerts topic. */
  record(delivery: Delivery): Promise<void>;
  retry: { baseMs: number; maxMs: number };
  onDelivered?(alert: Alert, channel: string, attempts: number): void;
  onFailed?(channel: string, detail: string): void;
  now?: () => number;
}

interface Waiting {
  alert: Alert;
  channel: string;
  attempts: number;
  nextAt: number;
  lastError: string | null;
}

export interface ChannelState {
  waiting: number;
  oldest: string | null;
  failing: boolean;
  last_error: string | null;
  attempts: number;
}

/** 08:00 in São Paulo (UTC-3, no daylight saving since 2019) is 11:00 UTC. */
const DAILY_AT_UTC_HOUR = 11;

export function digestDue(period: "hourly" | "daily", firstWaiting: number): number {
  if (period === "hourly") return Math.floor(firstWaiting / HOUR_MS) * HOUR_MS + HOUR_MS;
  const day = new Date(firstWaiting);
  const at = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), DAILY_AT_UTC_HOUR);
  return at > firstWaiting ? at : at + 24 * HOUR_MS;
}

export class Deliverer {
  private readonly waiting = new Map<string, Waiting>();
  private readonly delivered = new Set<string>();
  private readonly busy = new Set<string>();
  private readonly now: () => number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: DelivererDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** A record of the alerts topic, in log order. */
  apply(record: AlertRecord): void {
    if (record.type === "delivery") {
      if (record.state === "delivered") {
        const key = deliveryKey(record.alert_id, record.channel);
        this.delivered.add(key);
        this.waiting.delete(key);
      }
      return;
    }
    for (const channel of record.channels) {
      const key = deliveryKey(record.alert_id, channel);
      if (this.delivered.has(key) || this.waiting.has(key)) continue;
      this.waiting.set(key, { alert: record, channel, attempts: 0, nextAt: 0, lastError: null });
    }
    this.wake();
  }

  /** What waits per channel (the /readyz details, the metrics). */
  state(): Record<string, ChannelState> {
    const out: Record<string, ChannelState> = {};
    for (const name of this.deps.channels.keys()) {
      out[name] = { waiting: 0, oldest: null, failing: false, last_error: null, attempts: 0 };
    }
    for (const w of this.waiting.values()) {
      const s = out[w.channel] ??= {
        waiting: 0,
        oldest: null,
        failing: false,
        last_error: "unknown channel",
        attempts: 0,
      };
      s.waiting++;
      if (!s.oldest || w.alert.decided_at < s.oldest) s.oldest = w.alert.decided_at;
      if (w.lastError) Object.assign(s, { failing: true, last_error: w.lastError });
      s.attempts = Math.max(s.attempts, w.attempts);
    }
    return out;
  }

  start(): void {
    this.stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Sends everything due now; resolves when those sends are done (tests call it directly). */
  runOnce(): Promise<void> {
    this.running = this.running.then(() => this.sendDue());
    return this.running;
  }

  private wake(delayMs = 0): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce().then(() => this.wake(this.nextDelay()));
    }, delayMs);
  }

  private nextDelay(): number {
    let next = Infinity;
    const now = this.now();
    for (const w of this.waiting.values()) next = Math.min(next, this.dueAt(w));
    return next === Infinity ? 60_000 : Math.min(60_000, Math.max(50, next - now));
  }

  private dueAt(w: Waiting): number {
    const channel = this.deps.channels.get(w.channel);
    if (channel?.digest && w.attempts === 0) {
      return Math.max(w.nextAt, digestDue(channel.digest, Date.parse(w.alert.decided_at)));
    }
    return w.nextAt;
  }

  private async sendDue(): Promise<void> {
    const now = this.now();
    const byChannel = new Map<string, Waiting[]>();
    for (const w of this.waiting.values()) {
      if (this.dueAt(w) > now || this.busy.has(w.channel)) continue;
      byChannel.set(w.channel, [...(byChannel.get(w.channel) ?? []), w]);
    }
    await Promise.all([...byChannel].map(async ([name, due]) => {
      const channel = this.deps.channels.get(name);
      if (!channel) {
        for (const w of due) {
          Object.assign(w, { lastError: "unknown channel (not in OFERTAS_ALERT_CHANNELS)", nextAt: now + HOUR_MS });
        }
        return;
      }
      this.busy.add(name);
      try {
        due.sort((a, b) => (a.alert.decided_at < b.alert.decided_at ? -1 : 1));
        if (channel.digest) await this.send(channel, due, digestMessage(due.map((w) => w.alert), channel.digest));
        else for (const w of due) await this.send(channel, [w], messageOf(w.alert));
      } finally {
        this.busy.delete(name);
      }
    }));
  }

  private async send(channel: Channel, items: Waiting[], message: AlertMessage): Promise<void> {
    const key = items.length === 1
      ? items[0]!.alert.alert_id
      : hexPrefix(await sha256(`${channel.name}|${items.map((w) => w.alert.alert_id).sort().join(",")}`), 12);
    let answer: ChannelAnswer;
    try {
      answer = await channel.send(message, key);
    } catch (error) {
      answer = { ok: false, detail: (error as Error).message.slice(0, 300) };
    }
    const at = new Date(this.now()).toISOString();
    for (const w of items) {
      w.attempts++;
      if (answer.ok) {
        faultPoint("after_send");
        // recorded before it leaves the waiting list: a crash now means one resend with the same key
        await this.deps.record({
          type: "delivery",
          schema_version: 1,
          alert_id: w.alert.alert_id,
          channel: channel.name,
          state: "delivered",
          attempts: w.attempts,
          detail: answer.detail,
          at,
        });
        this.waiting.delete(deliveryKey(w.alert.alert_id, channel.name));
        this.delivered.add(deliveryKey(w.alert.alert_id, channel.name));
        this.deps.onDelivered?.(w.alert, channel.name, w.attempts);
        continue;
      }
      const wait = Math.max(
        answer.retryAfterMs ?? 0,
        backoffDelay(w.attempts - 1, { ...this.deps.retry, jitter: "equal" }),
      );
      Object.assign(w, { lastError: answer.detail, nextAt: this.now() + wait });
      this.deps.onFailed?.(channel.name, answer.detail);
      if ((w.attempts & (w.attempts - 1)) === 0) {
        log("warn", "alert_delivery_failed", {
          channel: channel.name,
          alert_id: w.alert.alert_id,
          attempts: w.attempts,
          detail: answer.detail,
          retry_in_ms: wait,
        });
        await this.deps.record({
          type: "delivery",
          schema_version: 1,
          alert_id: w.alert.alert_id,
          channel: channel.name,
          state: "retrying",
          attempts: w.attempts,
          detail: answer.detail,
          at,
        }).catch(() => {});
      }
    }
  }
}
