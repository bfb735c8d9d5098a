/**
 * ProductDetails: what the product-page parser (edge/scraper/product/) reads from an item's own
 * page. Field schemas are the offer contract's (fields.ts): the same text, money, URL and
 * integer rules.
 */
import * as v from "valibot";
import { boundedInt, cleanString, httpsUrl, money, optionalText, siteCode } from "./fields.ts";
import { validate } from "./issues.ts";
import { POWER_SELLER_LEVELS, REPUTATION_LEVELS } from "./seller.ts";

/** Bounds of what one page may carry (real pages: 3,100-character descriptions, 72 specification rows). */
const MAX_DESCRIPTION_LENGTH = 50_000;
const MAX_ATTRIBUTES = 500;
const MAX_CATEGORY_DEPTH = 20;

export const CONDITIONS = ["new", "used", "refurbished"] as const;
/**
 * Whose name seller_name is: an official store's, the store name of another shop, or an ordinary
 * seller's nickname (often generated: its seller links say `typeSeller=classic`), which is no store.
 */
export const SELLER_NAME_KINDS = ["official_store_name", "store_name", "nickname"] as const;
export const PRODUCT_PAGE_KINDS = ["product", "unavailable_product"] as const;

const text = (max: number) =>
  v.pipe(
    cleanString(),
    v.trim(),
    v.minLength(1, "must not be empty"),
    v.maxLength(max, `must be at most ${max} characters`),
  );
const nullableId = (pattern: RegExp, example: string) =>
  v.nullable(v.pipe(v.string("must be a string"), v.regex(pattern, `must look like "${example}"`)));

const AttributeSchema = v.strictObject({ name: text(200), value: text(2_000) });

export const DETAILS_ENTRIES = {
  site: siteCode,
  /** The item the page shows (the buy-box winner of a catalog page); null when none is for sale. */
  shown_item_id: nullableId(/^[A-Z]{3}\d{5,15}$/, "MLB5419371492"),
  product_id: nullableId(/^[A-Z]{3}\d{3,15}$/, "MLB1027172671"),
  user_product_id: nullableId(/^[A-Z]{3}U\d{3,15}$/, "MLBU3454994034"),
  title: text(500),
  canonical_url: v.nullable(httpsUrl),
  price: v.nullable(money),
  original_price: v.nullable(money),
  currency: v.nullable(v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, "must be an ISO-4217 code like BRL"))),
  available: v.boolean("must be true or false"),
  condition: v.nullable(v.picklist(CONDITIONS, `must be one of ${CONDITIONS.join(", ")}`)),
  sold_quantity_text: optionalText(100),
  sold_quantity_min: v.nullable(boundedInt("sold_quantity_min", 0, 1e12)),
  available_quantity: v.nullable(boundedInt("available_quantity", 0, 1e9)),
  available_quantity_text: optionalText(100),
  seller_name: optionalText(200),
  seller_name_kind: v.nullable(v.picklist(SELLER_NAME_KINDS, `must be one of ${SELLER_NAME_KINDS.join(", ")}`)),
  official_store: v.nullable(v.boolean("must be true or false")),
  rating: v.nullable(v.pipe(v.number("must be a number"), v.minValue(0), v.maxValue(5, "must be at most 5"))),
  reviews: v.nullable(boundedInt("reviews", 0, 1e9)),
  category_id: nullableId(/^[A-Z]{3}\d{1,15}$/, "MLB1055"),
  category_path: v.nullable(v.pipe(v.array(text(200)), v.maxLength(MAX_CATEGORY_DEPTH, "too many categories"))),
  description: v.nullable(text(MAX_DESCRIPTION_LENGTH)),
  attributes: v.nullable(v.pipe(v.array(AttributeSchema), v.maxLength(MAX_ATTRIBUTES, "too many attributes"))),
  images: v.nullable(boundedInt("images", 0, 1_000)),
  // the seller's standing (edge/SCRAPER.md, "Sellers"); absent in messages of earlier versions
  seller_id: v.optional(v.nullable(v.pipe(v.string(), v.regex(/^\d{1,20}$/, "must be digits"))), null),
  seller_reputation: v.optional(
    v.nullable(v.picklist(REPUTATION_LEVELS, `must be one of ${REPUTATION_LEVELS.join(", ")}`)),
    null,
  ),
  seller_power_status: v.optional(
    v.nullable(v.picklist(POWER_SELLER_LEVELS, `must be one of ${POWER_SELLER_LEVELS.join(", ")}`)),
    null,
  ),
  seller_sales_text: optionalText(100),
  seller_sales_min: v.optional(v.nullable(boundedInt("seller_sales_min", 0, 1e12)), null),
};

const ProductDetailsSchema = v.strictObject(DETAILS_ENTRIES);
export type ProductDetails = v.InferOutput<typeof ProductDetailsSchema>;

const FIELDS = Object.keys(DETAILS_ENTRIES) as Array<keyof typeof DETAILS_ENTRIES>;
export const validateProductDetails = (input: unknown) => validate(ProductDetailsSchema, FIELDS, input);
