/**
 * One observation: an offer row of daily_offers (one item seen on one page at one time), with
 * what the alert rules compare it with, all from the item's days before the observation's day:
 * the lowest prices of the prior N days, the last price of the item's previous day seen, and the
 * verdict the scheduled queries' SQL gives this price against the prior 30 days. Nothing about
 * the observation's own day comes from item_days, so later loads of that day never change what
 * an observation is judged against (a late or repeated evaluation decides the same).
 */
export interface Observation {
  site: string;
  item_id: string;
  /** The offer's key (daily_offers.offer_key): the opening observation's names its episode. */
  offer_key: string;
  /** Where the route produced it: one item's observations scraped at the same instant are judged in this order. */
  kafka_partition: number;
  kafka_offset: number;
  /** When it was scraped (UTC ISO): the time every rule runs on. */
  scraped_at: string;
  /** São Paulo day of scraped_at. */
  offer_date: string;
  title: string | null;
  currency: string | null;
  url: string | null;
  price: string;
  original_price: string | null;
  displayed_discount_pct: number | null;
  /** The watch whose run found it, and that run's number (1: the watch's first run). */
  watch_id: string | null;
  watch_run: number | null;
  previous_price: string | null;
  previous_day: string | null;
  /** Lowest price of the prior N days, per N the rules ask for (null: no such days). */
  lows: Record<number, string | null>;
  verdict: string | null;
  real_discount_pct: string | null;
  min_price_30d: string | null;
  history_days: number | null;
  /** The catalog product the listing belongs to, when it is one's. */
  product_id?: string | null;
  /** The seller behind the price (rules' seller filters): absent or null where no page said it. */
  seller?: string | null;
  official_store?: boolean | null;
  seller_reputation?: string | null;
  seller_power_status?: string | null;
}

/** Epoch ms of an observation (the scrape time), the unit the episodes count in. */
export const observedAt = (o: Pick<Observation, "scraped_at">) => Date.parse(o.scraped_at);

/** The order products' and stock observations are judged in: scrape time, then key. */
export function byScrapeOrder(
  a: Pick<Observation, "scraped_at" | "offer_key">,
  b: Pick<Observation, "scraped_at" | "offer_key">,
): number {
  const d = observedAt(a) - observedAt(b);
  return d !== 0 ? d : a.offer_key < b.offer_key ? -1 : a.offer_key > b.offer_key ? 1 : 0;
}

/**
 * The order an item's observations are judged in: scrape time, then the order the route produced
 * them (one item's observations are on one partition; two scraped at the same instant are one scrape's).
 */
export function byProductionOrder(
  a: Pick<Observation, "scraped_at" | "kafka_partition" | "kafka_offset">,
  b: Pick<Observation, "scraped_at" | "kafka_partition" | "kafka_offset">,
): number {
  return observedAt(a) - observedAt(b) || a.kafka_partition - b.kafka_partition || a.kafka_offset - b.kafka_offset;
}
