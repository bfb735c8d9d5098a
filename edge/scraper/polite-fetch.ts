/**
 * HTTP GET for Mercado Livre pages, polite by construction: a browser-like User-Agent and
 * the site's Accept-Language, a timeout per request, at most `concurrency` requests at a time,
 * at most one request per `minIntervalMs` per host, and retries with exponential backoff and
 * full jitter on network errors, 429 and 5xx (a Retry-After header is honoured).
 *
 * Time and randomness are injectable so tests can run the schedule on a fake clock.
 */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface PoliteFetchOptions {
  userAgent: string;
  timeoutMs: number;
  /** Attempts after the first one. */
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A Retry-After longer than this is not waited for: the fetch fails instead. */
  retryAfterMaxMs: number;
  minIntervalMs: number;
  concurrency: number;
  fetch: (input: URL, init: RequestInit) => Promise<Response>;
  clock: Clock;
  random: () => number;
}

export const DEFAULT_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export const DEFAULT_FETCH_OPTIONS: Omit<PoliteFetchOptions, "fetch" | "clock" | "random"> = {
  userAgent: DEFAULT_USER_AGENT,
  timeoutMs: 15_000,
  retries: 3,
  backoffBaseMs: 1_000,
  backoffMaxMs: 30_000,
  retryAfterMaxMs: 120_000,
  minIntervalMs: 1_000,
  concurrency: 2,
};

export interface PageResponse {
  url: string;
  status: number;
  body: string;
  attempts: number;
}

/** A request that did not produce a usable response after all retries. */
export class FetchFailure extends Error {
  constructor(
    readonly kind: "network" | "http",
    readonly url: string,
    readonly status: number | null,
    readonly attempts: number,
    detail: string,
  ) {
    super(`${kind}: ${detail} after ${attempts} attempt(s) (${url})`);
    this.name = "FetchFailure";
  }
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export class PoliteFetcher {
  private readonly options: PoliteFetchOptions;
  private readonly nextSlot = new Map<string, number>();
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(options: Partial<PoliteFetchOptions> = {}) {
    this.options = {
      ...DEFAULT_FETCH_OPTIONS,
      fetch: (input, init) => fetch(input, init),
      clock: realClock,
      random: Math.random,
      ...options,
    };
  }

  /** GETs `url` as a visitor speaking `locale` would; the body of the first 2xx wins. */
  async get(url: URL, locale: string): Promise<PageResponse> {
    const { retries } = this.options;
    let lastProblem = "";
    let lastStatus: number | null = null;
    for (let attempt = 0; attempt <= retries; attempt++) {
      let delay: number;
      try {
        const response = await this.withSlot(url.host, () => this.request(url, locale));
        if (response.body !== null) {
          return { url: url.toString(), status: response.status, body: response.body, attempts: attempt + 1 };
        }
        lastStatus = response.status;
        lastProblem = `HTTP ${response.status}`;
        if (!RETRYABLE_STATUS.has(response.status)) {
          throw new FetchFailure("http", url.toString(), response.status, attempt + 1, lastProblem);
        }
        const retryAfter = parseRetryAfter(response.retryAfter, this.options.clock.now());
        if (retryAfter !== null && retryAfter > this.options.retryAfterMaxMs) {
          throw new FetchFailure(
            "http",
            url.toString(),
            response.status,
            attempt + 1,
            `${lastProblem}, Retry-After ${Math.round(retryAfter / 1000)} s is too long`,
          );
        }
        delay = retryAfter ?? this.backoff(attempt);
      } catch (error) {
        if (error instanceof FetchFailure) throw error;
        lastStatus = null;
        lastProblem = error instanceof Error && error.name === "TimeoutError"
          ? `timeout after ${this.options.timeoutMs} ms`
          : `network error: ${String((error as Error)?.message ?? error)}`;
        delay = this.backoff(attempt);
      }
      if (attempt < retries) await this.options.clock.sleep(delay);
    }
    throw new FetchFailure(
      lastStatus === null ? "network" : "http",
      url.toString(),
      lastStatus,
      retries + 1,
      lastProblem,
    );
  }

  /** Full jitter: uniform in [0, min(max, base·2^attempt)]. */
  backoff(attempt: number): number {
    const { backoffBaseMs, backoffMaxMs, random } = this.options;
    return Math.round(random() * Math.min(backoffMaxMs, backoffBaseMs * 2 ** attempt));
  }

  /** One attempt; the body is read inside the slot so concurrency bounds downloads too. */
  private async request(
    url: URL,
    locale: string,
  ): Promise<{ status: number; body: string | null; retryAfter: string | null }> {
    const language = locale.split("-")[0];
    const response = await this.options.fetch(url, {
      headers: {
        "user-agent": this.options.userAgent,
        "accept-language": `${locale},${language};q=0.9`,
        accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
      },
      redirect: "follow",
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    if (response.ok) return { status: response.status, body: await response.text(), retryAfter: null };
    await response.body?.cancel();
    return { status: response.status, body: null, retryAfter: response.headers.get("retry-after") };
  }

  /** Waits for a concurrency slot and for the host's next allowed start time. */
  private async withSlot<T>(host: string, run: () => Promise<T>): Promise<T> {
    if (this.active < this.options.concurrency) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // the slot is handed over
    try {
      const { clock, minIntervalMs } = this.options;
      const now = clock.now();
      const slot = Math.max(now, this.nextSlot.get(host) ?? 0);
      this.nextSlot.set(host, slot + minIntervalMs);
      if (slot > now) await clock.sleep(slot - now);
      return await run();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/** Retry-After as delta-seconds or an HTTP date → milliseconds to wait; null if absent/invalid. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
