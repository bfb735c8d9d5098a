/**
 * A scripted 31-day history of two catalog products and the product-level verdict of its last
 * day, computed by hand (the numbers are in the comments): the oracle of the product verdict's
 * tests (reports/product-verdict.test.ts on DuckDB, its emulator twin) and of the alert tests.
 *
 *   MLB7770001 "relisted": listing A at 200.00 every day; B at 180.00 on the first 20 days, then
 *   gone; C at 190.00 on the last 5 days before the report day. On the report day A shows 200.00
 *   then 195.00, and B's seller relists as a new item D at 171.00 "43% OFF" from 300.00. D has no
 *   history of its own (item verdict: insufficient_history); the product's 30-day low is B's
 *   180.00, its high 200.00: 171.00 is 5.00% under the low, and 300.00 is over 200.00 × 1.05, so
 *   the product verdict is inflated (original_above_30d_high).
 *
 *   MLB7770002 "real": listing E at 100.00 every day; on the report day F offers 80.00 "20% OFF"
 *   from 100.00: 20.00% under the product's low of 100.00, the original never above its high: real.
 */
import { sampleMessage } from "./sample-offer.ts";
import { addDays } from "../shared/sql-templates.ts";

/** A São Paulo day and hour as the UTC instant the route stamps. */
const at = (day: string, hour: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + (hour + 3) * 3_600_000).toISOString();

function offer(
  day: string,
  hour: number,
  item: string,
  product: string,
  price: string,
  extra: Record<string, unknown>,
) {
  return sampleMessage({
    item_id: item,
    product_id: product,
    price,
    original_price: null,
    discount_pct: null,
    scraped_at: at(day, hour),
    scrape_id: `verdict-${day}-${hour}-${item}`,
    url: `https://www.mercadolivre.com.br/x/p/${product}`,
    official_store: false,
    ...extra,
  });
}

/** Every offer of the 30 prior days and the report day. */
export function productVerdictHistory(reportDay: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (let n = 30; n >= 1; n--) {
    const day = addDays(reportDay, -n);
    out.push(offer(day, 10, "MLB3000000001", "MLB7770001", "200.00", { seller: "LOJA A" }));
    if (n > 10) out.push(offer(day, 11, "MLB3000000002", "MLB7770001", "180.00", { seller: "LOJA B" }));
    if (n <= 5) out.push(offer(day, 12, "MLB3000000003", "MLB7770001", "190.00", { seller: "LOJA C" }));
    out.push(offer(day, 10, "MLB3000000005", "MLB7770002", "100.00", { seller: "LOJA E" }));
  }
  out.push(
    offer(reportDay, 10, "MLB3000000001", "MLB7770001", "200.00", { seller: "LOJA A" }),
    offer(reportDay, 12, "MLB3000000004", "MLB7770001", "171.00", {
      seller: "LOJA B",
      original_price: "300.00",
      discount_pct: 43,
    }),
    offer(reportDay, 20, "MLB3000000001", "MLB7770001", "195.00", { seller: "LOJA A" }),
    offer(reportDay, 10, "MLB3000000005", "MLB7770002", "100.00", { seller: "LOJA E" }),
    offer(reportDay, 11, "MLB3000000006", "MLB7770002", "80.00", {
      seller: "LOJA F",
      official_store: true,
      original_price: "100.00",
      discount_pct: 20,
    }),
  );
  return out;
}

/** The product verdicts of the report day, by hand (money and percentages with two places). */
export const HAND_VERDICTS = [
  {
    product_id: "MLB7770001",
    price: "171.00",
    original_price: "300.00",
    displayed_discount_pct: 43,
    history_days: 30,
    min_price_30d: "180.00",
    max_price_30d: "200.00",
    real_discount_pct: "5.00",
    verdict: "inflated",
    reason: "original_above_30d_high",
    best_item_id: "MLB3000000004",
    best_seller: "LOJA B",
    best_official_store: false,
    listings: 2,
    sellers: 2,
  },
  {
    product_id: "MLB7770002",
    price: "80.00",
    original_price: "100.00",
    displayed_discount_pct: 20,
    history_days: 30,
    min_price_30d: "100.00",
    max_price_30d: "100.00",
    real_discount_pct: "20.00",
    verdict: "real",
    reason: null,
    best_item_id: "MLB3000000006",
    best_seller: "LOJA F",
    best_official_store: true,
    listings: 2,
    sellers: 2,
  },
];

/** A product_discounts row as an engine returns it, in HAND_VERDICTS' form. */
export function plainVerdict(row: Record<string, unknown>): Record<string, unknown> {
  const money = (v: unknown) => (v === null || v === undefined ? null : Number(v).toFixed(2));
  return {
    product_id: row.product_id,
    price: money(row.price),
    original_price: money(row.original_price),
    displayed_discount_pct: Number(row.displayed_discount_pct),
    history_days: Number(row.history_days),
    min_price_30d: money(row.min_price_30d),
    max_price_30d: money(row.max_price_30d),
    real_discount_pct: money(row.real_discount_pct),
    verdict: row.verdict,
    reason: row.reason ?? null,
    best_item_id: row.best_item_id,
    best_seller: row.best_seller ?? null,
    best_official_store: Boolean(row.best_official_store),
    listings: Number(row.listings),
    sellers: Number(row.sellers),
  };
}
