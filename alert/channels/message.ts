/**
 * What an alert says, once for every channel: a title, a few lines of text, the link, and the
 * alert itself as JSON (the webhook's body). A digest is several alerts in one message.
 */
import { formatMoney } from "../../shared/money.ts";
import type { Alert } from "../../shared/alert/alert-record.ts";

export interface AlertMessage {
  /** One line: what happened to which item. */
  title: string;
  /** A few lines: why, the price, the link. */
  text: string;
  url: string | null;
  /** The alerts behind the message (one, or a digest's). */
  alerts: Alert[];
  /** True for `alerts test`. */
  test?: boolean;
}

export function formatPrice(price: string | null, currency: string | null): string {
  return price === null ? "" : formatMoney(price, currency);
}

const HEADLINE: Record<string, string> = {
  real_deal: "Real deal",
  below: "Below your price",
  new_low: "New low",
  drop: "Price drop",
  out_of_stock: "Out of stock",
  back_in_stock: "Back in stock",
  consumer_lag: "ofertas: the consumer is behind",
  dead_letters: "ofertas: dead letters are growing",
  watch_backoff: "ofertas: a watch is backing off",
  scraper_drift: "ofertas: the scraper is drifting",
};

export function messageOf(alert: Alert): AlertMessage {
  const headline = HEADLINE[alert.kind] ?? alert.kind;
  const price = formatPrice(alert.price, alert.currency);
  const title = alert.title ? `${headline}: ${alert.title}${price ? ` at ${price}` : ""}` : headline;
  const lines = [alert.why, ...(alert.url ? [alert.url] : [])];
  return { title: title.slice(0, 250), text: lines.join("\n"), url: alert.url, alerts: [alert] };
}

export function testMessage(): AlertMessage {
  return {
    title: "ofertas: a test message",
    text: "If you read this, ofertas can reach you on this channel.",
    url: null,
    alerts: [],
    test: true,
  };
}
