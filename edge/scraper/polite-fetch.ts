/**
 * HTTP GET for Mercado Livre pages, polite by construction: a browser-like User-Agent and
 * the site's Accept-Language, a timeout per request, at most `concurrency` requests at a time,
 * at most one request per `minIntervalMs` per host, and retries with exponential backoff and
 * full jitter on network errors, 429 and 5xx (a Retry-After header is honoured).
 *
 * And bounded against a hostile upstream: a body is read up to `maxBytes` and no further
 * (`too_large`), and redirects are followed by hand, only where the caller's policy allows
 * (the same site over https); any other redirect is an error of its own kind (`redirect`).
 *
 * Time and randomness are injectable so tests can run the schedule on a fake clock.
 */
import { backoffDelay } from "../../shared/retry.ts";

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
  /** Largest body read; a bigger one is a `too_large` failure (never retried). */
  maxBytes: number;
  maxRedirects: number;
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
  maxBytes: 4 * 1024 * 1024,
  maxRedirects: 5,
};

/** Whether a redirect from `from` to `to` may be followed. */
export type RedirectPolicy = (from: URL, to: URL) => boolean;

/** Redirects stay on the same origin unless the caller says more. */
export const sameOrigin: RedirectPolicy = (from, to) => from.origin === to.origin;

export interface PageResponse {
  url: string;
  status: number;
  body: string;
  attempts: number;
}

/** A request that did not produce a usable response after all retries. */
export type FetchFailureKind = "network" | "http" | "redirect" | "too_large";

export class FetchFailure extends Error {
  constructor(
    readonly kind: FetchFailureKind,
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
  async get(url: URL, locale: string, redirects: RedirectPolicy = sameOrigin): Promise<PageResponse> {
    const { retries } = this.options;
    let lastProblem = "";
    let lastStatus: number | null = null;
    for (let attempt = 0; attempt <= retries; attempt++) {
      let delay: number;
      try {
        const response = await this.withSlot(url.host, () => this.follow(url, locale, redirects));
        if (response.body !== null) {
          return { url: response.url, status: response.status, body: response.body, attempts: attempt + 1 };
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
        if (error instanceof FetchFailure) throw error; // refused redirects and oversized bodies are not retried
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
    return backoffDelay(attempt, { baseMs: backoffBaseMs, maxMs: backoffMaxMs, jitter: "full" }, random);
  }

  /** One attempt, following redirects by hand; the body is read inside the slot so concurrency bounds downloads too. */
  private async follow(
    start: URL,
    locale: string,
    redirects: RedirectPolicy,
  ): Promise<{ url: string; status: number; body: string | null; retryAfter: string | null }> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    let url = start;
    for (let hop = 0;; hop++) {
      const response = await this.options.fetch(url, {
        headers: {
          "user-agent": this.options.userAgent,
          "accept-language": `${locale},${locale.split("-")[0]};q=0.9`,
          accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        },
        redirect: "manual",
        signal,
      });
      if (response.status >= 300 && response.status < 400 && response.headers.has("location")) {
        await response.body?.cancel();
        const location = response.headers.get("location")!;
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          throw new FetchFailure(
            "redirect",
            start.toString(),
            response.status,
            1,
            `unreadable redirect to ${show(location)}`,
          );
        }
        if (!redirects(url, next)) {
          throw new FetchFailure(
            "redirect",
            start.toString(),
            response.status,
            1,
            `redirect to ${show(next.toString())} refused`,
          );
        }
        if (hop >= this.options.maxRedirects) {
          throw new FetchFailure(
            "redirect",
            start.toString(),
            response.status,
            1,
            `more than ${this.options.maxRedirects} redirects`,
          );
        }
        url = next;
        continue;
      }
      if (response.ok) {
        return {
          url: url.toString(),
          status: response.status,
          body: await this.readBody(response, start),
          retryAfter: null,
        };
      }
      await response.body?.cancel();
      return {
        url: url.toString(),
        status: response.status,
        body: null,
        retryAfter: response.headers.get("retry-after"),
      };
    }
  }

  /** The body as text, read up to maxBytes and no further. */
  private async readBody(response: Response, url: URL): Promise<string> {
    const max = this.options.maxBytes;
    const declared = Number(response.headers.get("content-length") ?? NaN);
    const tooLarge = (seen: string) =>
      new FetchFailure("too_large", url.toString(), response.status, 1, `body ${seen} exceeds ${max} bytes`);
    if (declared > max) {
      await response.body?.cancel();
      throw tooLarge(`of ${declared} bytes`);
    }
    const charset = /charset=([\w-]+)/i.exec(response.headers.get("content-type") ?? "")?.[1] ?? "utf-8";
    let decoder: TextDecoder;
    try {
      decoder = new TextDecoder(charset);
    } catch {
      decoder = new TextDecoder("utf-8");
    }
    if (!response.body) return "";
    const reader = response.body.getReader();
    const parts: string[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel();
        throw tooLarge("read so far");
      }
      parts.push(decoder.decode(value, { stream: true }));
    }
    parts.push(decoder.decode());
    return parts.join("");
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

function show(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
}

/** Retry-After as delta-seconds or an HTTP date → milliseconds to wait; null if absent/invalid. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
