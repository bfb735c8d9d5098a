/**
 * ScrapedOffer: what the scraper extracts from one card of a deals or search page (or an item's
 * own page). Money is a two-place decimal string (money.ts); absent optional parts are null or
 * false.
 */
import * as v from "valibot";
import {
  boundedInt,
  cleanString,
  dealEndTimestamp,
  httpsUrl,
  imageUrl,
  MAX_POSITION,
  MAX_REVIEWS,
  money,
  optionalText,
  siteCode,
} from "./fields.ts";
import { InstallmentsSchema } from "./installments.ts";
import { validate } from "./issues.ts";
import { offerRules } from "./offer-rules.ts";
import { POWER_SELLER_LEVELS, REPUTATION_LEVELS } from "./seller.ts";

export const MAX_TITLE_LENGTH = 500;

/** Fields of one offer as the scraper sees it on a card. Absent optional parts are null/false. */
export const SCRAPED_OFFER_ENTRIES = {
  site: siteCode,
  item_id: v.pipe(v.string("must be a string"), v.regex(/^[A-Z]{3}\d{5,15}$/, 'must look like "MLB5419371492"')),
  product_id: v.optional(
    v.nullable(v.pipe(v.string(), v.regex(/^[A-Z]{3}\d{3,15}$/, 'must look like "MLB22246671"'))),
    null,
  ),
  user_product_id: v.optional(
    v.nullable(v.pipe(v.string(), v.regex(/^[A-Z]{3}U\d{3,15}$/, 'must look like "MLBU3454994034"'))),
    null,
  ),
  title: v.pipe(
    cleanString(),
    v.trim(),
    v.minLength(1, "must not be empty"),
    v.maxLength(MAX_TITLE_LENGTH, `must be at most ${MAX_TITLE_LENGTH} characters`),
  ),
  url: httpsUrl,
  image_url: v.optional(v.nullable(imageUrl), null),
  price: money,
  original_price: v.optional(v.nullable(money), null),
  discount_pct: v.optional(
    v.nullable(
      v.pipe(
        v.number("must be a number"),
        v.integer("must be an integer"),
        v.minValue(0, "must be between 0 and 99"),
        v.maxValue(99, "must be between 0 and 99"),
      ),
    ),
    null,
  ),
  currency: v.pipe(v.string("must be a string"), v.regex(/^[A-Z]{3}$/, "must be an ISO-4217 code like BRL")),
  installments: v.optional(v.nullable(InstallmentsSchema), null),
  free_shipping: v.optional(v.boolean("must be true or false"), false),
  full: v.optional(v.boolean("must be true or false"), false),
  seller: optionalText(200),
  official_store: v.optional(v.boolean("must be true or false"), false),
  brand: optionalText(200),
  rating: v.optional(
    v.nullable(
      v.pipe(
        v.number("must be a number"),
        v.minValue(0, "must be between 0 and 5"),
        v.maxValue(5, "must be between 0 and 5"),
      ),
    ),
    null,
  ),
  reviews: v.optional(v.nullable(boundedInt("reviews", 0, MAX_REVIEWS)), null),
  label: optionalText(100),
  lightning_end: v.optional(v.nullable(dealEndTimestamp), null),
  coupon: optionalText(200),
  sponsored: v.optional(v.boolean("must be true or false"), false),
  /** Where the card was on its page; null for an observation read from the item's own page. */
  position: v.nullable(boundedInt("position", 1, MAX_POSITION)),
  page: v.nullable(v.pipe(
    v.number("must be a number"),
    v.integer("must be an integer"),
    v.minValue(1, "must be at least 1"),
    v.maxValue(1000, "must be at most 1000"),
  )),
  /** The seller's standing, where the page shows it (an item's own page; never a card): edge/SCRAPER.md. */
  seller_reputation: v.optional(
    v.nullable(v.picklist(REPUTATION_LEVELS, `must be one of ${REPUTATION_LEVELS.join(", ")}`)),
    null,
  ),
  seller_power_status: v.optional(
    v.nullable(v.picklist(POWER_SELLER_LEVELS, `must be one of ${POWER_SELLER_LEVELS.join(", ")}`)),
    null,
  ),
};

const ScrapedOfferObject = v.strictObject(SCRAPED_OFFER_ENTRIES);
const ScrapedOfferSchema = v.pipe(ScrapedOfferObject, offerRules<v.InferOutput<typeof ScrapedOfferObject>>());
export type ScrapedOffer = v.InferOutput<typeof ScrapedOfferSchema>;
/** What a producer may send: optional parts may be left out. */
export type ScrapedOfferInput = v.InferInput<typeof ScrapedOfferSchema>;

const FIELDS = Object.keys(SCRAPED_OFFER_ENTRIES) as Array<keyof typeof SCRAPED_OFFER_ENTRIES>;
export const validateScrapedOffer = (input: unknown) => validate(ScrapedOfferSchema, FIELDS, input);
