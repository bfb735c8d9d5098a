/**
 * The rate limit on the view's warehouse queries. What is cached costs nothing and is never
 * limited; a request that needs a query the cache cannot answer takes one token from its
 * client's bucket and one from the bucket of all clients together (one token per request,
 * however many queries it runs: an item page asks for its history and its alerts). An empty
 * bucket is a 429 with Retry-After (web/web-errors.tsx), and the query is not run.
 */
import { type BucketRule, TokenBuckets } from "./token-buckets.ts";

export interface QueryLimits {
  /** One client's bucket. */
  perClient: BucketRule;
  /** All clients together: what the warehouse may be asked per minute at most. */
  allClients: BucketRule;
  /** Clients whose buckets are kept (the least recently seen is forgotten first). */
  maxClients: number;
}

/** Why a request may not run a query now, and when it may. */
export class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number, readonly scope: "client" | "all") {
    super(
      scope === "client"
        ? `Too many new questions from you: the answers already computed are still served; a new one in ${retryAfterSeconds} s.`
        : `Too many new questions from everyone just now: the answers already computed are still served; a new one in ${retryAfterSeconds} s.`,
    );
    this.name = "RateLimited";
  }
}

const ALL = "*";

export class QueryLimiter {
  private readonly clients: TokenBuckets;
  private readonly everyone: TokenBuckets;

  constructor(readonly limits: QueryLimits, clock: () => number = Date.now) {
    this.clients = new TokenBuckets(limits.perClient, limits.maxClients, clock);
    this.everyone = new TokenBuckets(limits.allClients, 1, clock);
  }

  /** Clients tracked now (at most limits.maxClients). */
  get trackedClients(): number {
    return this.clients.size;
  }

  /** Takes a token for `client` (and from everyone's bucket), or throws RateLimited, taking nothing. */
  take(client: string): void {
    const wait = this.clients.waitSeconds(client);
    if (wait > 0) throw new RateLimited(wait, "client");
    const waitAll = this.everyone.waitSeconds(ALL);
    if (waitAll > 0) throw new RateLimited(waitAll, "all");
    this.clients.take(client);
    this.everyone.take(ALL);
  }

  /** One request's admission: the first query it needs takes the token; the others ride on it. */
  forRequest(client: string): () => void {
    let admitted = false;
    return () => {
      if (admitted) return;
      this.take(client);
      admitted = true;
    };
  }
}
