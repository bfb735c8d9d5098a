/**
 * StockMessage: what one fetch of a product page said of the stock, on the `ofertas.stock` topic:
 * whether anything was for sale and how many units the page promised. A watch's run of an item or
 * product page (the route) and the enricher's fetch of a listing's page produce one each; the
 * consumer loads them into `stock_observations`, the alerter judges back_in_stock and
 * out_of_stock on them (docs/alerts.md, "Stock"). The subject is what the page was: an item's own
 * page (`item`: item_id is that listing) or a catalog page (`product`: product_id is that product,
 * item_id the listing in its buy box, when any).
 */
import * as v from "valibot";
import { boundedInt, cleanString, httpsUrl, money, scrapedAtTimestamp, siteCode, watchId } from "./fields.ts";
import { validate } from "./issues.ts";

export const STOCK_SCHEMA_VERSION = 1 as const;
export const STOCK_SUBJECTS = ["item", "product"] as const;
export const STOCK_SOURCES = ["route", "enricher"] as const;

const id = (pattern: RegExp, example: string) =>
  v.nullable(v.pipe(v.string("must be a string"), v.regex(pattern, `must look like "${example}"`)));

const StockMessageObject = v.strictObject({
  schema_version: v.literal(STOCK_SCHEMA_VERSION, `must be ${STOCK_SCHEMA_VERSION}`),
  site: siteCode,
  subject: v.picklist(STOCK_SUBJECTS, `must be one of ${STOCK_SUBJECTS.join(", ")}`),
  item_id: id(/^[A-Z]{3}\d{5,15}$/, "MLB5419371492"),
  product_id: id(/^[A-Z]{3}\d{3,15}$/, "MLB22246671"),
  title: v.pipe(
    cleanString(),
    v.trim(),
    v.minLength(1, "must not be empty"),
    v.maxLength(500, "must be at most 500 characters"),
  ),
  available: v.boolean("must be true or false"),
  available_quantity: v.nullable(boundedInt("available_quantity", 0, 1e9)),
  /** The price shown beside the stock, when anything was for sale. */
  price: v.nullable(money),
  seller: v.nullable(v.pipe(cleanString(), v.maxLength(200, "must be at most 200 characters"))),
  observed_at: scrapedAtTimestamp,
  source: v.picklist(STOCK_SOURCES, `must be one of ${STOCK_SOURCES.join(", ")}`),
  watch_id: v.nullable(watchId),
  watch_run: v.nullable(v.pipe(v.number("must be a number"), v.integer("must be a whole number"), v.minValue(1))),
  page_url: httpsUrl,
});

const StockMessageSchema = v.pipe(
  StockMessageObject,
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const m = dataset.value;
    const wrong = (key: keyof typeof m, message: string) =>
      addIssue({ message, path: [{ type: "object", origin: "value", input: m, key, value: m[key] }] });
    if (m.subject === "item" && m.item_id === null) wrong("item_id", "is required when the subject is an item");
    if (m.subject === "product" && m.product_id === null) {
      wrong("product_id", "is required when the subject is a product");
    }
    for (const key of ["item_id", "product_id"] as const) {
      if (m[key] !== null && !m[key]!.startsWith(m.site)) wrong(key, `must start with the site code ${m.site}`);
    }
    if (m.watch_run !== null && m.watch_id === null) wrong("watch_run", "must be null when watch_id is null");
    if (!m.available && (m.price !== null || m.available_quantity !== null)) {
      wrong("available", "a page with nothing for sale shows no price or quantity");
    }
  }),
);
export type StockMessage = v.InferOutput<typeof StockMessageSchema>;

/** The message's key: its subject, so one subject's observations stay ordered in one partition. */
export const stockSubjectKey = (m: Pick<StockMessage, "site" | "subject" | "item_id" | "product_id">) =>
  `${m.site}|${m.subject}|${m.subject === "item" ? m.item_id : m.product_id}`;

const FIELDS = Object.keys(StockMessageObject.entries) as Array<keyof typeof StockMessageObject.entries>;
export const validateStockMessage = (input: unknown) => validate(StockMessageSchema, FIELDS, input);
