/**
 * `POST /offers` bodies: a JSON array, or NDJSON (one offer per line), read with bounds on
 * everything a hostile client controls (offers per request, fields per offer, problems listed),
 * turned into offer messages whose provenance belongs to the server:
 *  - `scrape_id` comes only from the X-Scrape-Id header (a body field is refused);
 *  - `scraped_at` is the server's clock, unless an operator opened a backfill window
 *    (OFERTAS_BACKFILL_DAYS) and the body's value lies inside it;
 *  - `source_url` defaults to the offer's own URL and, like every URL, must be on the site.
 * Validation yields to the event loop between chunks, so health checks stay quick.
 */
import { type OfferMessage, type OfferProblem, SCHEMA_VERSION, validateOfferMessage } from "../shared/offer.ts";
import { isUtcTimestamp } from "../shared/timestamp.ts";

export interface OffersLimits {
  maxOffers: number;
  /** How old a body's scraped_at may be, in days; 0 = the server's clock only. */
  backfillDays: number;
}

/** An offer has about 30 fields; an item with many more is refused before validation. */
export const MAX_FIELDS_PER_OFFER = 40;
/** Rejected offers listed in an answer; the rest are counted. */
export const MAX_REJECTED_LISTED = 100;
/** A body's scraped_at may run this far ahead of the server's clock. */
const CLOCK_SKEW_MS = 5 * 60_000;
const YIELD_EVERY = 200;

/** A macrotask turn (web-standard on Bun and Deno): lets I/O and health checks through. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export type ParsedItems = { items: unknown[]; lineErrors: Map<number, string> } | { tooMany: true } | {
  malformed: string;
};

/** NDJSON lines, counted as they are scanned: more than `max` offers stops the scan. */
export function parseNdjson(text: string, max: number): ParsedItems {
  const items: unknown[] = [];
  const lineErrors = new Map<number, string>();
  let line = 0;
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end);
    line++;
    start = end + 1;
    if (raw.trim() === "") continue;
    if (items.length >= max) return { tooMany: true };
    try {
      items.push(JSON.parse(raw));
    } catch (error) {
      lineErrors.set(items.length, `line ${line}: malformed JSON: ${(error as Error).message}`);
      items.push(undefined);
    }
  }
  return { items, lineErrors };
}

export function parseJsonArray(text: string, max: number): ParsedItems {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { malformed: `malformed JSON: ${(error as Error).message}` };
  }
  if (!Array.isArray(body)) return { malformed: "expected a JSON array of offers" };
  if (body.length > max) return { tooMany: true };
  return { items: body, lineErrors: new Map() };
}

export interface Rejected {
  index: number;
  errors: string[];
}

export interface CheckedOffers {
  valid: OfferMessage[];
  rejected: Rejected[];
  /** Every rejected offer's fields at fault (for the metric). */
  rejectedFields: OfferProblem["field"][];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** One body item → a message with the server's provenance, or its problems. */
export function messageOf(
  item: unknown,
  ctx: { scrapeId: string; now: number; limits: OffersLimits },
): { message: unknown } | { problems: OfferProblem[] } {
  if (!isRecord(item)) return { problems: [{ field: "offer", message: "(offer): must be a JSON object" }] };
  const fields = Object.keys(item).length;
  if (fields > MAX_FIELDS_PER_OFFER) {
    return {
      problems: [{
        field: "offer",
        message: `(offer): has ${fields} fields; an offer has at most ${MAX_FIELDS_PER_OFFER}`,
      }],
    };
  }
  const problems: OfferProblem[] = [];
  const { scrape_id: bodyScrapeId, scraped_at: bodyScrapedAt, ...offer } = item;
  if (bodyScrapeId !== undefined) {
    problems.push({ field: "scrape_id", message: "scrape_id: comes from the X-Scrape-Id header, not the body" });
  }
  let scrapedAt = new Date(ctx.now).toISOString();
  if (bodyScrapedAt !== undefined) {
    const days = ctx.limits.backfillDays;
    const t = typeof bodyScrapedAt === "string" && isUtcTimestamp(bodyScrapedAt) ? Date.parse(bodyScrapedAt) : NaN;
    if (days === 0) {
      problems.push({
        field: "scraped_at",
        message: "scraped_at: set by the server (an operator can open a backfill window with OFERTAS_BACKFILL_DAYS)",
      });
    } else if (!(t >= ctx.now - days * 86_400_000 && t <= ctx.now + CLOCK_SKEW_MS)) {
      problems.push({
        field: "scraped_at",
        message: `scraped_at: must be a UTC timestamp within the backfill window (the last ${days} days)`,
      });
    } else scrapedAt = bodyScrapedAt as string;
  }
  if (problems.length) return { problems };
  return {
    message: {
      schema_version: SCHEMA_VERSION,
      scrape_id: ctx.scrapeId,
      source_url: offer.url,
      ...offer,
      scraped_at: scrapedAt,
    },
  };
}

/** Validates every item, yielding to the event loop now and then. */
export async function checkOffers(
  items: readonly unknown[],
  lineErrors: ReadonlyMap<number, string>,
  ctx: { scrapeId: string; now: number; limits: OffersLimits },
): Promise<CheckedOffers> {
  const out: CheckedOffers = { valid: [], rejected: [], rejectedFields: [] };
  const reject = (index: number, problems: OfferProblem[]) => {
    out.rejectedFields.push(problems[0]?.field ?? "offer");
    if (out.rejected.length < MAX_REJECTED_LISTED) out.rejected.push({ index, errors: problems.map((p) => p.message) });
  };
  for (let index = 0; index < items.length; index++) {
    if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
    const lineError = lineErrors.get(index);
    if (lineError) {
      reject(index, [{ field: "offer", message: lineError }]);
      continue;
    }
    const built = messageOf(items[index], ctx);
    if ("problems" in built) {
      reject(index, built.problems);
      continue;
    }
    const checked = validateOfferMessage(built.message);
    if (checked.ok) out.valid.push(checked.value);
    else reject(index, checked.problems);
  }
  return out;
}
