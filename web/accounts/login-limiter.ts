/**
 * Sign-in attempts, limited per login and per client in bounded memory (web/token-buckets.ts:
 * the least recently seen forgotten first), and the password hashes bounded in how many run at
 * once (each scrypt takes about 128 MiB and 0.4 s): a flood of wrong passwords costs at most
 * `concurrent` hashes at a time and a short queue, and is then answered 429 at once, without a
 * hash, so it cannot take the memory or the cores the deals page needs.
 *
 * A login's allowance counts failures only, whether the account exists or not (the same answer
 * either way: no enumeration); a client's counts every attempt. Both refill over the window, so
 * the right password works again once the flood stops.
 */
import { TokenBuckets } from "../token-buckets.ts";

export interface LoginLimits {
  perLogin: number;
  perClient: number;
  windowMs: number;
  tracked: number;
  /** Hashes computed at once (the rest wait in a queue of `queue`). */
  concurrent?: number;
  queue?: number;
}

export type Admission = { ok: true; release: (failed: boolean) => void } | { ok: false; retryAfterSeconds: number };

export class LoginLimiter {
  private readonly logins: TokenBuckets;
  private readonly clients: TokenBuckets;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly concurrent: number;
  private readonly queue: number;

  constructor(private readonly limits: LoginLimits, clock: () => number = Date.now) {
    const rule = (n: number) => ({ capacity: n, perMinute: (n * 60_000) / limits.windowMs });
    this.logins = new TokenBuckets(rule(limits.perLogin), limits.tracked, clock);
    this.clients = new TokenBuckets(rule(limits.perClient), limits.tracked, clock);
    this.concurrent = limits.concurrent ?? 2;
    this.queue = limits.queue ?? 16;
  }

  /** Buckets held now (each bounded by `tracked`). */
  get size(): { logins: number; clients: number; waiting: number } {
    return { logins: this.logins.size, clients: this.clients.size, waiting: this.waiting.length };
  }

  /**
   * May this client try this login now? When it may, a hash slot is held until `release`
   * (with whether the password was wrong).
   */
  async admit(login: string, client: string): Promise<Admission> {
    const wait = Math.max(this.logins.waitSeconds(login), this.clients.waitSeconds(client));
    if (wait > 0) return { ok: false, retryAfterSeconds: wait };
    this.clients.take(client);
    // the login's token is reserved now (so attempts under way count) and given back on success
    this.logins.take(login);
    if (this.running >= this.concurrent) {
      if (this.waiting.length >= this.queue) return { ok: false, retryAfterSeconds: 1 };
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    let released = false;
    return {
      ok: true,
      release: (failed) => {
        if (released) return;
        released = true;
        if (!failed) this.logins.give(login);
        const next = this.waiting.shift();
        if (next) next(); // the slot passes on
        else this.running--;
      },
    };
  }
}
