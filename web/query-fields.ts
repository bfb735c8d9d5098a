/**
 * The fields the web view's query strings share, as valibot schemas of what arrives (text): a
 * day, a site, a page number. Each message says what the field takes, for the 400 that names it.
 * The route families' schemas (deals-query.ts, items-query.ts, item-query.ts) are built from them.
 */
import * as v from "valibot";
import { SITE_CODES } from "../shared/sites.ts";

export const dayParam = v.pipe(v.string(), v.isoDate("must be a day like 2026-06-16"));

export const siteParam = v.picklist(SITE_CODES, `must be one of ${SITE_CODES.join(", ")}`);

/** A page number, 1 to 99,999, as its text; the handlers read it as a number. */
export const pageParam = v.pipe(
  v.string(),
  v.regex(/^[1-9]\d{0,4}$/, "must be a whole number from 1 to 99999"),
  v.transform(Number),
);
