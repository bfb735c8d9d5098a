/**
 * The rules that relate an offer's fields (the scraped offer and the message alike): the item
 * and the URL belong to the site, the currency is the site's, a struck price makes sense. Each
 * problem names the field that is wrong, at its path.
 */
import * as v from "valibot";
import { type Money, moneyToCents } from "../money.ts";
import { currenciesOf, isHostOfSite, SITE_CODES, type SiteCode } from "../sites.ts";
import { hostOfPlainHttpsUrl } from "./fields.ts";

type OfferCore = {
  site: SiteCode;
  item_id: string;
  url: string;
  price: Money;
  original_price: Money | null;
  discount_pct: number | null;
  currency: string;
  source_url?: string;
};

/** Without a claimed discount a price above the struck one is only odd; this far above it is a misread. */
const MAX_PRICE_OVER_ORIGINAL = 10;

const CURRENCIES = Object.fromEntries(SITE_CODES.map((s) => [s, new Set(currenciesOf(s))])) as Record<
  SiteCode,
  Set<string>
>;

/** Rules that relate fields. Each names the field that is wrong. */
function crossFieldProblems(o: OfferCore): Array<{ field: keyof OfferCore; message: string }> {
  const problems: Array<{ field: keyof OfferCore; message: string }> = [];
  if (!o.item_id.startsWith(o.site)) {
    problems.push({ field: "item_id", message: `must start with the site code ${o.site}` });
  }
  if (!CURRENCIES[o.site].has(o.currency)) {
    problems.push({ field: "currency", message: `${o.currency} is not a currency of site ${o.site}` });
  }
  if (!isHostOfSite(hostOfPlainHttpsUrl(o.url) ?? "", o.site)) {
    problems.push({ field: "url", message: `must be on the ${o.site} site's own domain` });
  }
  if (o.source_url !== undefined && !isHostOfSite(hostOfPlainHttpsUrl(o.source_url) ?? "", o.site)) {
    problems.push({ field: "source_url", message: `must be on the ${o.site} site's own domain` });
  }
  if (o.original_price !== null) {
    const price = moneyToCents(o.price);
    const original = moneyToCents(o.original_price);
    if (original === 0) {
      problems.push({ field: "original_price", message: "must be above 0.00 (a struck-through price of nothing)" });
    } else if (o.discount_pct !== null && price > original) {
      problems.push({
        field: "price",
        message:
          `${o.price} is above original_price ${o.original_price} although a ${o.discount_pct}% discount is claimed`,
      });
    } else if (price > original * MAX_PRICE_OVER_ORIGINAL) {
      problems.push({
        field: "price",
        message: `${o.price} is more than ${MAX_PRICE_OVER_ORIGINAL}× original_price ${o.original_price}`,
      });
    }
  }
  return problems;
}

/** A pipe step that reports crossFieldProblems at the offending field's path. */
export function offerRules<T extends OfferCore>() {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const offer = dataset.value;
    for (const { field, message } of crossFieldProblems(offer)) {
      addIssue({
        message,
        path: [{
          type: "object",
          origin: "value",
          input: offer as Record<string, unknown>,
          key: field,
          value: offer[field],
        }],
      });
    }
  });
}
