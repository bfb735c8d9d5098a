/**
 * Sends every alert of the outbox to each of its channels, never losing one, never doubling one
 * beyond a repeat with the same idempotency key:
 *  - what waits is rebuilt from the alerts topic at start: an alert without a `delivered` record
 *    for a channel is sent (again), with its id as the idempotency key;
 *  - each channel is one circuit (channel-circuit.ts): while it fails, one probe at a time on its
 *    own back-off (a bounded Retry-After wins), one line when it starts failing and one when it
 *    recovers; `retrying` records (failures 1, 2, 4, 8, …) say so in the alerts table;
 *  - an alert counts as delivered only once the message carrying it was accepted; a digest
 *    (`?digest=hourly|daily`) is split into messages within the channel's limit (digest.ts);
 *  - a delivery record that fails to write is retried until it is written, never a reason to
 *    send again;
 *  - fully delivered alerts are tombstoned a day later: a start reads what still matters only.
 * One message at a time per channel, oldest alert first.
 */
import { type Alert, type AlertRecord, type Delivery, deliveryKey } from "../shared/alert/alert-record.ts";
import { faultPoint } from "../shared/fault-points.ts";
import { DAY_MS, HOUR_MS } from "../shared/duration.ts";
import { log } from "../shared/log.ts";
import { backoffDelay, sleep } from "../shared/retry.ts";
import { hexPrefix, sha256 } from "../shared/sha256.ts";
import { ChannelCircuit } from "./channel-circuit.ts";
import type { Channel, ChannelAnswer } from "./channels/channel.ts";
import { type AlertMessage, messageOf } from "./channels/message.ts";
import { digestMessages } from "./digest.ts";

export interface DelivererDeps {
  channels: ReadonlyMap<string, Channel>;
  /** Appends a delivery record to the alerts topic. */
  record(delivery: Delivery): Promise<void>;
  /** Appends tombstones for these keys of the alerts topic (delivered alerts past their retention). */
  forget?(keys: string[]): Promise<void>;
  retry: { baseMs: number; maxMs: number };
  onDelivered?(alert: Alert, channel: string): void;
  onFailed?(channel: string, detail: string): void;
  /** A last touch to a message before it is sent (a person's mute link: alert/mute-links.ts). */
  decorate?(message: AlertMessage): Promise<AlertMessage>;
  now?: () => number;
}

export interface ChannelState {
  waiting: number;
  oldest: string | null;
  failing: boolean;
  last_error: string | null;
  attempts: number;
}

/** How long a fully delivered alert stays on the topic (a repeat decided meanwhile is recognised). */
export const DELIVERED_RETENTION_MS = DAY_MS;
/** 08:00 in São Paulo (UTC-3, no daylight saving since 2019) is 11:00 UTC. */
const DAILY_AT_UTC_HOUR = 11;

export function digestDue(period: "hourly" | "daily", firstWaiting: number): number {
  if (period === "hourly") return Math.floor(firstWaiting / HOUR_MS) * HOUR_MS + HOUR_MS;
  const day = new Date(firstWaiting);
  const at = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), DAILY_AT_UTC_HOUR);
  return at > firstWaiting ? at : at + 24 * HOUR_MS;
}

export class Deliverer {
  /** Alerts waiting, per channel, by alert id (insertion order = log order). */
  private readonly waiting = new Map<string, Map<string, Alert>>();
  private readonly delivered = new Set<string>();
  /** Alerts known, with their channels, and when each was fully delivered (for the tombstones). */
  private readonly alerts = new Map<string, { channels: string[]; doneAt: number | null }>();
  private readonly circuits = new Map<string, ChannelCircuit>();
  private readonly busy = new Set<string>();
  private readonly now: () => number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  /** stop() was called: a record still failing then ends the wait instead of retrying. */
  private halted = false;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: DelivererDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** A record of the alerts topic, in log order; a tombstone forgets the alert. */
  apply(record: AlertRecord): void {
    if (record.type === "delivery") {
      if (record.state !== "delivered") return;
      this.markDelivered(record.alert_id, record.channel, Date.parse(record.at));
      return;
    }
    if (!this.alerts.has(record.alert_id)) {
      this.alerts.set(record.alert_id, { channels: record.channels, doneAt: null });
    }
    for (const channel of record.channels) {
      if (this.delivered.has(deliveryKey(record.alert_id, channel))) continue;
      const queue = this.waiting.get(channel) ?? new Map<string, Alert>();
      if (!queue.has(record.alert_id)) queue.set(record.alert_id, record);
      this.waiting.set(channel, queue);
    }
    this.settle(record.alert_id, this.now());
    this.wake();
  }

  /** The alert's tombstone was read: nothing of it is kept. */
  forget(alertId: string): void {
    const known = this.alerts.get(alertId);
    for (const channel of known?.channels ?? []) {
      this.delivered.delete(deliveryKey(alertId, channel));
      this.waiting.get(channel)?.delete(alertId);
    }
    this.alerts.delete(alertId);
  }

  /** What waits per channel (the /readyz details, the metrics). */
  state(): Record<string, ChannelState> {
    const out: Record<string, ChannelState> = {};
    const names = new Set([...this.deps.channels.keys(), ...this.waiting.keys()]);
    for (const name of names) {
      const queue = [...(this.waiting.get(name)?.values() ?? [])];
      const circuit = this.circuits.get(name);
      const unknown = !this.deps.channels.has(name);
      if (unknown && queue.length === 0) continue;
      out[name] = {
        waiting: queue.length,
        oldest: queue.reduce<string | null>((o, a) => (!o || a.decided_at < o ? a.decided_at : o), null),
        failing: unknown || (circuit?.failing ?? false),
        last_error: unknown ? "unknown channel (not in OFERTAS_ALERT_CHANNELS)" : circuit?.lastError ?? null,
        attempts: circuit?.failures ?? 0,
      };
    }
    return out;
  }

  start(): void {
    this.stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.halted = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Sends everything due now; resolves when those sends are done (tests call it directly). */
  runOnce(): Promise<void> {
    this.running = this.running.then(() => this.sendDue()).then(() => this.forgetOld());
    return this.running;
  }

  private circuit(name: string): ChannelCircuit {
    let circuit = this.circuits.get(name);
    if (!circuit) this.circuits.set(name, circuit = new ChannelCircuit(name, this.deps.retry));
    return circuit;
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
    for (const name of this.waiting.keys()) next = Math.min(next, this.dueAt(name) ?? Infinity);
    const now = this.now();
    return next === Infinity ? 60_000 : Math.min(60_000, Math.max(50, next - now));
  }

  /** When the channel's waiting alerts may go next: its circuit, and a digest's period. */
  private dueAt(name: string): number | null {
    const queue = this.waiting.get(name);
    if (!queue?.size) return null;
    const channel = this.deps.channels.get(name);
    if (!channel) return this.now() + HOUR_MS;
    const circuitAt = this.circuit(name).nextAt;
    if (!channel.digest || this.circuit(name).failing) return circuitAt;
    const first = Math.min(...[...queue.values()].map((a) => Date.parse(a.decided_at)));
    return Math.max(circuitAt, digestDue(channel.digest, first));
  }

  private async sendDue(): Promise<void> {
    const now = this.now();
    await Promise.all([...this.waiting.keys()].map(async (name) => {
      const channel = this.deps.channels.get(name);
      const due = this.dueAt(name);
      if (!channel || due === null || due > now || this.busy.has(name)) return;
      this.busy.add(name);
      try {
        const oldestFirst = () =>
          [...(this.waiting.get(name)?.values() ?? [])].sort((a, b) => (a.decided_at < b.decided_at ? -1 : 1));
        // a failing channel gets one probe (the oldest alert) per attempt, not every waiting alert
        if (this.circuit(name).failing && !await this.send(channel, messageOf(oldestFirst()[0]!))) return;
        const queue = oldestFirst();
        const messages = channel.digest ? digestMessages(queue, channel.digest, channel) : queue.map(messageOf);
        for (const message of messages) {
          if (!await this.send(channel, message)) break;
        }
      } finally {
        this.busy.delete(name);
      }
    }));
  }

  /** One message; true when the channel accepted it. */
  private async send(channel: Channel, plain: AlertMessage): Promise<boolean> {
    const message = this.deps.decorate ? await this.deps.decorate(plain).catch(() => plain) : plain;
    const ids = message.alerts.map((a) => a.alert_id);
    const key = ids.length === 1
      ? ids[0]!
      : hexPrefix(await sha256(`${channel.name}|${[...ids].sort().join(",")}`), 12);
    let answer: ChannelAnswer;
    try {
      answer = await channel.send(message, key);
    } catch (error) {
      answer = { ok: false, detail: (error as Error).message.slice(0, 300) };
    }
    const circuit = this.circuit(channel.name);
    const at = new Date(this.now()).toISOString();
    if (answer.ok) {
      circuit.succeeded();
      for (const alert of message.alerts) {
        faultPoint("after_send");
        // gone from the waiting list at once (never sent twice by this process), recorded until written
        this.markDelivered(alert.alert_id, channel.name, this.now());
        this.deps.onDelivered?.(alert, channel.name);
        await this.recordUntilWritten({
          type: "delivery",
          schema_version: 1,
          alert_id: alert.alert_id,
          channel: channel.name,
          state: "delivered",
          attempts: circuit.lastAttempts,
          detail: answer.detail,
          at,
        });
      }
      return true;
    }
    const failures = circuit.failed(answer, this.now());
    this.deps.onFailed?.(channel.name, answer.detail);
    if ((failures & (failures - 1)) === 0) {
      // a record per waiting alert at failures 1, 2, 4, 8, …: the alerts table shows what waits and why
      for (const alert of this.waiting.get(channel.name)?.values() ?? []) {
        await this.deps.record({
          type: "delivery",
          schema_version: 1,
          alert_id: alert.alert_id,
          channel: channel.name,
          state: "retrying",
          attempts: failures,
          detail: answer.detail,
          at,
        }).catch(() => {});
      }
    }
    return false;
  }

  private markDelivered(alertId: string, channel: string, at: number): void {
    this.delivered.add(deliveryKey(alertId, channel));
    const queue = this.waiting.get(channel);
    queue?.delete(alertId);
    if (queue && queue.size === 0) this.waiting.delete(channel);
    this.settle(alertId, at);
  }

  /** Notes when an alert has been delivered on every one of its channels. */
  private settle(alertId: string, at: number): void {
    const known = this.alerts.get(alertId);
    if (!known || known.doneAt !== null) return;
    if (known.channels.every((c) => this.delivered.has(deliveryKey(alertId, c)))) known.doneAt = at;
  }

  private async recordUntilWritten(delivery: Delivery): Promise<void> {
    for (let attempt = 0;; attempt++) {
      try {
        await this.deps.record(delivery);
        return;
      } catch (error) {
        if (this.halted) throw error;
        log(attempt === 0 ? "warn" : "info", "alert_delivery_record_failed", {
          alert_id: delivery.alert_id,
          channel: delivery.channel,
          attempt: attempt + 1,
          message: (error as Error).message,
          note: "retried; the message is not sent again",
        });
        await sleep(backoffDelay(attempt, { ...this.deps.retry, jitter: "equal" }));
      }
    }
  }

  /** Tombstones for alerts delivered everywhere more than the retention ago. */
  private async forgetOld(): Promise<void> {
    if (!this.deps.forget) return;
    const cutoff = this.now() - DELIVERED_RETENTION_MS;
    const old = [...this.alerts].filter(([, a]) => a.doneAt !== null && a.doneAt <= cutoff);
    if (old.length === 0) return;
    const keys = old.flatMap(([id, a]) => [id, ...a.channels.map((c) => deliveryKey(id, c))]);
    await this.deps.forget(keys).then(
      () => old.forEach(([id]) => this.forget(id)),
      (error) => log("info", "alert_tombstones_failed", { message: (error as Error).message, transient: true }),
    );
  }
}
