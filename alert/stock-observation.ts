/**
 * One stock observation as the stock rules judge it: a row of stock_observations (one fetch of an
 * item's page or a catalog product's page, by a watch's run or the enricher), with the observation
 * of the same subject just before it, from any source (sql/<engine>/stock_candidates.sql).
 */
export interface StockObservation {
  site: string;
  subject: "item" | "product";
  item_id: string | null;
  product_id: string | null;
  title: string;
  available: boolean;
  available_quantity: number | null;
  price: string | null;
  seller: string | null;
  /** When the page was fetched (UTC ISO with milliseconds): the time the episodes run on. */
  observed_at: string;
  /** São Paulo day of observed_at. */
  observed_date: string;
  /** Orders observations fetched at the same instant. */
  stock_key: string;
  source: string;
  watch_id: string | null;
  watch_run: number | null;
  page_url: string;
  /** Whether the subject's previous observation (any source) had anything for sale; null: none seen. */
  previous_available: boolean | null;
  previous_at: string | null;
}

/** The subject's id: the item of an item's page, the product of a catalog page. */
export const subjectIdOf = (o: Pick<StockObservation, "subject" | "item_id" | "product_id">): string =>
  (o.subject === "item" ? o.item_id : o.product_id)!;
