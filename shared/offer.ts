/**
 * OfferMessage: one offer as it travels on the `deal-of-the-day` topic, the scraped offer
 * (shared/contract/scraped-offer.ts) plus its provenance (scrape id, time, page, the watch and
 * its run). What the route produces and the batch consumer validates; docs/contract.md says it
 * field by field.
 */
import * as v from "valibot";
import { httpsUrl, scrapedAtTimestamp, watchId } from "./contract/fields.ts";
import { type Problem, validate } from "./contract/issues.ts";
import { offerRules } from "./contract/offer-rules.ts";
import { SCRAPED_OFFER_ENTRIES, type ScrapedOffer } from "./contract/scraped-offer.ts";

export const SCHEMA_VERSION = 1 as const;
export const SCRAPE_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

const OfferMessageObject = v.strictObject({
  schema_version: v.literal(SCHEMA_VERSION, `must be ${SCHEMA_VERSION}`),
  scrape_id: v.pipe(
    v.string("must be a string"),
    v.regex(SCRAPE_ID_PATTERN, "must be 8-64 characters of [A-Za-z0-9_-]"),
  ),
  scraped_at: scrapedAtTimestamp,
  source_url: httpsUrl,
  /** The watch whose run found the offer (shared/watch/); null for an ad-hoc scrape or ingest. */
  watch_id: v.optional(v.nullable(watchId), null),
  /** Which run of that watch found it (1: its first); null for an ad-hoc scrape or ingest. */
  watch_run: v.optional(
    v.nullable(
      v.pipe(
        v.number("must be a number"),
        v.integer("must be a whole number"),
        v.minValue(1, "must be at least 1"),
      ),
    ),
    null,
  ),
  ...SCRAPED_OFFER_ENTRIES,
});
/** Every field a message may have: the closed set of metric labels for invalid offers. */
export const FIELD_NAMES = Object.keys(OfferMessageObject.entries) as Array<keyof typeof OfferMessageObject.entries>;
export type FieldName = (typeof FIELD_NAMES)[number];

type OfferMessageFields = v.InferOutput<typeof OfferMessageObject>;

/** A run number belongs to a watch: without a watch there is no run to count. */
const watchRunRule = v.rawCheck<OfferMessageFields>(({ dataset, addIssue }) => {
  if (!dataset.typed || dataset.value.watch_run === null || dataset.value.watch_id !== null) return;
  const message = dataset.value;
  addIssue({
    message: "must be null when watch_id is null (only a watch's run has a number)",
    path: [{ type: "object", origin: "value", input: message, key: "watch_run", value: message.watch_run }],
  });
});

export const OfferMessageSchema = v.pipe(OfferMessageObject, offerRules<OfferMessageFields>(), watchRunRule);
export type OfferMessage = v.InferOutput<typeof OfferMessageSchema>;

interface ScrapeContext {
  scrape_id: string;
  scraped_at: string;
  source_url: string;
  watch_id?: string | null;
  watch_run?: number | null;
}

export function toOfferMessage(offer: ScrapedOffer, ctx: ScrapeContext): OfferMessage {
  const watchId = ctx.watch_id ?? null;
  return {
    schema_version: SCHEMA_VERSION,
    ...ctx,
    watch_id: watchId,
    watch_run: watchId === null ? null : ctx.watch_run ?? null,
    ...offer,
  };
}

/** A problem of an offer: its field is one of the message's (a closed set of metric labels). */
export type OfferProblem = Problem<FieldName>;

export const validateOfferMessage = (input: unknown) => validate(OfferMessageSchema, FIELD_NAMES, input);
