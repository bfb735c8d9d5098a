/**
 * DetailsMessage: one product's details as they travel on the `product-details` topic, keyed by
 * the item id of the offer that asked for them (a catalog page may show another item winning the
 * buy box: that one is `shown_item_id`).
 */
import * as v from "valibot";
import { isHostOfSite } from "../sites.ts";
import { hostOfPlainHttpsUrl, httpsUrl, scrapedAtTimestamp } from "./fields.ts";
import { validate } from "./issues.ts";
import { DETAILS_ENTRIES, PRODUCT_PAGE_KINDS } from "./product-details.ts";

export const DETAILS_SCHEMA_VERSION = 1 as const;

const DetailsMessageObject = v.strictObject({
  schema_version: v.literal(DETAILS_SCHEMA_VERSION, `must be ${DETAILS_SCHEMA_VERSION}`),
  /** The offer's item: the message key and the join with daily_offers. */
  item_id: v.pipe(v.string("must be a string"), v.regex(/^[A-Z]{3}\d{5,15}$/, 'must look like "MLB5419371492"')),
  page_url: httpsUrl,
  page_kind: v.picklist(PRODUCT_PAGE_KINDS, `must be one of ${PRODUCT_PAGE_KINDS.join(", ")}`),
  fetched_at: scrapedAtTimestamp,
  ...DETAILS_ENTRIES,
});

const DetailsMessageSchema = v.pipe(
  DetailsMessageObject,
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const m = dataset.value;
    const wrong = (key: string, message: string) =>
      addIssue({ message, path: [{ type: "object", origin: "value", input: m, key, value: (m as never)[key] }] });
    if (!m.item_id.startsWith(m.site)) wrong("item_id", `must start with the site code ${m.site}`);
    if (!isHostOfSite(hostOfPlainHttpsUrl(m.page_url) ?? "", m.site)) {
      wrong("page_url", `must be on the ${m.site} site's own domain`);
    }
  }),
);
export type DetailsMessage = v.InferOutput<typeof DetailsMessageSchema>;

const FIELDS = Object.keys(DetailsMessageObject.entries) as Array<keyof typeof DetailsMessageObject.entries>;
export const validateDetailsMessage = (input: unknown) => validate(DetailsMessageSchema, FIELDS, input);
