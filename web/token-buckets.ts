/**
 * Token buckets, one per key (a client), in bounded memory: at most `maxKeys` buckets are kept,
 * the one used least recently dropped first. A dropped key comes back with a full bucket, which
 * only matters to someone who rotates through more addresses than the bound (and the limit of
 * all clients together, web/query-limiter.ts, still holds for them). A bucket is two numbers and
 * its key, about 150 bytes: 10,000 clients cost about 1.5 MB.
 */

export interface BucketRule {
  /** Tokens a full bucket holds: what a client may do at once. */
  capacity: number;
  /** Tokens added per minute, up to the capacity. */
  perMinute: number;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was counted (ms). */
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly rule: BucketRule,
    readonly maxKeys: number,
    private readonly clock: () => number = Date.now,
  ) {
    if (!(rule.capacity >= 1 && rule.perMinute > 0 && maxKeys >= 1)) {
      throw new Error(`token buckets need capacity ≥ 1, a rate > 0 and room for one key (${JSON.stringify(rule)})`);
    }
  }

  /** Buckets held now (never more than maxKeys). */
  get size(): number {
    return this.buckets.size;
  }

  /** Seconds until `key` has a token (0: it has one now). */
  waitSeconds(key: string): number {
    const tokens = this.tokensOf(key, this.clock());
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 60) / this.rule.perMinute);
  }

  /** Takes a token from `key`'s bucket: true, or false when it is empty (nothing taken). */
  take(key: string): boolean {
    const now = this.clock();
    const tokens = this.tokensOf(key, now);
    if (tokens < 1) return false;
    this.buckets.delete(key); // re-inserted last: the least recently used is the first dropped
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    while (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return true;
  }

  /** Gives back a token taken from `key` (up to a full bucket): a reservation that was not used. */
  give(key: string): void {
    const bucket = this.buckets.get(key);
    if (!bucket) return;
    const now = this.clock();
    bucket.tokens = Math.min(this.rule.capacity, this.tokensOf(key, now) + 1);
    bucket.at = now;
  }

  private tokensOf(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.rule.capacity;
    const refilled = (Math.max(0, now - bucket.at) * this.rule.perMinute) / 60_000;
    return Math.min(this.rule.capacity, bucket.tokens + refilled);
  }
}
