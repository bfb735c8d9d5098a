/**
 * The field schemas every message contract shares (offers, product details): well-formed text,
 * bounded integers, UTC timestamps in a sane window, money, site codes and plain https URLs.
 * What each accepts and why is in docs/contract.md.
 */
import * as v from "valibot";
import { isMoney, type Money } from "../money.ts";
import { isSiteCode, SITE_CODES, type SiteCode } from "../sites.ts";
import { isUtcTimestamp, utcMillis } from "../timestamp.ts";

/** Lone UTF-16 surrogates cannot be encoded as UTF-8 (DuckDB and BigQuery refuse them); NUL ends C strings. */
// deno-lint-ignore no-control-regex
const ILL_FORMED = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/;

const nativeWellFormed = typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === "function";

function isWellFormedText(value: string): boolean {
  if (nativeWellFormed) return (value as string & { isWellFormed(): boolean }).isWellFormed() && !value.includes("\0");
  return !ILL_FORMED.test(value);
}

const WELL_FORMED_MESSAGE = "must be well-formed Unicode text (no lone surrogates, no NUL)";

/** A string of well-formed text: the base of every free-text field. */
export const cleanString = (message = "must be a string") =>
  v.pipe(v.string(message), v.check(isWellFormedText, WELL_FORMED_MESSAGE));

/** The earliest instant the contract accepts; nothing was scraped before. */
export const EARLIEST_TIMESTAMP = "2020-01-01T00:00:00Z";
/** scraped_at may be this far ahead of the validating clock (skew between machines). */
const FUTURE_SKEW_MS = 24 * 3_600_000;
/** lightning_end: deals end within days, never after this. */
export const LATEST_DEAL_END = "2100-01-01T00:00:00Z";

export const money = v.custom<Money>(
  isMoney,
  (issue) => `must be a non-negative decimal string with two places like "1299.90", got ${show(issue.input)}`,
);

/** One step per timestamp field (validation runs once per offer on the consumer's hot path). */
function timestampBetween(earliest: () => number, latest: () => number, what: string) {
  return v.custom<string>(
    (value) => {
      const t = utcMillis(value, 6);
      return t !== null && t >= earliest() && t <= latest();
    },
    (issue) =>
      utcMillis(issue.input, 6) === null
        ? `must be an ISO-8601 UTC timestamp like "2026-06-17T03:00:00Z" (at most 6 decimals), got ${show(issue.input)}`
        : what,
  );
}

/** Any UTC instant (the warehouse row's own timestamps, set by the consumer). */
export const utcTimestamp = v.custom<string>(
  isUtcTimestamp,
  (issue) => `must be an ISO-8601 UTC timestamp like "2026-06-17T03:00:00Z", got ${show(issue.input)}`,
);

export const scrapedAtTimestamp = timestampBetween(
  () => Date.parse(EARLIEST_TIMESTAMP),
  () => Date.now() + FUTURE_SKEW_MS,
  `must be between ${EARLIEST_TIMESTAMP} and one day from now`,
);
export const dealEndTimestamp = timestampBetween(
  () => Date.parse(EARLIEST_TIMESTAMP),
  () => Date.parse(LATEST_DEAL_END),
  `must be between ${EARLIEST_TIMESTAMP} and ${LATEST_DEAL_END}`,
);

export const siteCode = v.custom<SiteCode>(
  isSiteCode,
  (issue) => `unknown site code ${show(issue.input)} (known: ${SITE_CODES.join(", ")})`,
);

const MAX_URL_LENGTH = 2048;

/**
 * A plain https URL: `https://` + host + optional port + path/query/fragment, with no user info
 * (the `https://site\@evil.example/` trick), no backslash, space or control character, so a
 * browser and every other parser read the same host. Returns that host (lower case) or null.
 * A scan, not a URL parse: it runs several times per offer on the consumer's hot path.
 */
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?$/;
// deno-lint-ignore no-control-regex
const NOT_IN_URL = /[\\\s\u0000-\u001f\u007f]/;

/** The last URLs checked: each offer's URLs are looked at twice (their field, then the site rule). */
const recentHosts: Array<[string, string | null]> = [];

export function hostOfPlainHttpsUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  for (const [url, host] of recentHosts) if (url === value) return host;
  const host = scanHost(value);
  recentHosts.unshift([value, host]);
  if (recentHosts.length > 4) recentHosts.pop();
  return host;
}

function scanHost(value: string): string | null {
  if (value.length > MAX_URL_LENGTH || !value.startsWith("https://")) return null;
  let end = 8;
  while (end < value.length) {
    const c = value.charCodeAt(end);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) break;
    end++;
  }
  const authority = value.slice(8, end);
  if (!HOST.test(authority) || authority.includes("..") || NOT_IN_URL.test(value) || !isWellFormedText(value)) {
    return null;
  }
  const colon = authority.indexOf(":");
  return (colon < 0 ? authority : authority.slice(0, colon)).toLowerCase();
}

function urlProblem(input: unknown): string {
  if (typeof input !== "string") return "must be a URL string";
  if (input.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  if (!input.startsWith("https://")) return URL.canParse(input) ? "must be an https URL" : "must be an absolute URL";
  return "must be a plain https URL (no user info, backslash, space or control character)";
}

export const httpsUrl = v.custom<string>(
  (value) => hostOfPlainHttpsUrl(value) !== null,
  (issue) => urlProblem(issue.input),
);

/** Product images are served from Mercado Libre's image hosts only. */
const IMAGE_DOMAIN = "mlstatic.com";
const isImageHost = (host: string | null) =>
  host !== null && (host === IMAGE_DOMAIN || host.endsWith(`.${IMAGE_DOMAIN}`));
export const imageUrl = v.custom<string>(
  (value) => isImageHost(hostOfPlainHttpsUrl(value)),
  (issue) =>
    hostOfPlainHttpsUrl(issue.input) === null
      ? urlProblem(issue.input)
      : `must be on ${IMAGE_DOMAIN} (Mercado Libre's image hosts)`,
);

/** Integers a JSON double holds exactly and INT64 (BigQuery) and BIGINT (DuckDB) store. */
export const boundedInt = (what: string, min: number, max: number) =>
  v.pipe(
    v.number(`must be a number (${what})`),
    v.integer(`must be an integer (${what})`),
    v.minValue(min, min === 0 ? `must not be negative (${what})` : `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );

/** Review counts: the largest real ones are in the millions. */
export const MAX_REVIEWS = 1_000_000_000;
/** Positions on one page of a paginated view (real pages hold up to 60 cards). */
export const MAX_POSITION = 10_000;

export const optionalText = (max: number) =>
  v.optional(
    v.nullable(
      v.pipe(cleanString("must be text or null"), v.trim(), v.maxLength(max, `must be at most ${max} characters`)),
    ),
    null,
  );

/** A value as an error message quotes it. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === "number" || typeof value === "boolean" || value === null ? String(value) : typeof value;
}

/** A watch's id: lower-case letters, digits and dashes, as in a URL path (shared/watch/). */
export const WATCH_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
export const watchId = v.pipe(
  v.string("must be a string"),
  v.regex(WATCH_ID_PATTERN, "must be 1-64 lower-case letters, digits and dashes, not starting or ending with a dash"),
);
