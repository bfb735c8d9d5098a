/**
 * One observation of a catalog product: an offer row of daily_offers whose listing belongs to a
 * product a product watch follows, with the product's board at that moment: every listing of the
 * product as its latest row of the day at or before the observation showed it, each with its
 * seller's standing and the verdict its price gets at product level. A rule picks its best price
 * from the board (the lowest among the sellers it counts: product-evaluator.ts); the lows and the
 * previous day are the product's, across every seller, from its earlier days only
 * (sql/<engine>/product_candidates.sql, docs/alerts.md "Products").
 */
export interface Listing {
  item_id: string;
  title: string | null;
  currency: string | null;
  url: string | null;
  price: string;
  original_price: string | null;
  displayed_discount_pct: number | null;
  seller: string | null;
  official_store: boolean | null;
  seller_reputation: string | null;
  seller_power_status: string | null;
  /** fake_discounts.sql's verdict of this price at product level (null: no discount claimed). */
  verdict: string | null;
  real_discount_pct: string | null;
  min_price_30d: string | null;
  history_days: number | null;
}

export interface ProductObservation {
  site: string;
  product_id: string;
  /** The observed row: its key and time order the episodes, as an item's observation does. */
  offer_key: string;
  scraped_at: string;
  offer_date: string;
  /** The listing the observed row was (a product page's buy-box winner, a card). */
  observed_item_id: string;
  watch_id: string | null;
  watch_run: number | null;
  /** Every listing of the product as it stood at the observation, the observed one included. */
  board: Listing[];
  /** The product's best price at the end of its previous day seen, and that day. */
  previous_price: string | null;
  previous_day: string | null;
  /** The lowest price of any listing of the product over the prior N days. */
  lows: Record<number, string | null>;
}
