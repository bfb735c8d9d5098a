/**
 * A watch's alerts as an Atom feed (the `feed` library writes it): what camelcamelcamel's RSS of
 * one's alerts does, readable in any feed reader, no account. Each entry's id is the alert's.
 */
import { Feed } from "feed";
import type { AlertView } from "./alerts.ts";
import type { WatchView } from "./watch-source.ts";

export function alertsFeed(
  watch: Pick<WatchView, "id" | "name">,
  alerts: readonly AlertView[],
  origin: string,
  path = `/watches/${watch.id}/alerts.atom`,
): string {
  const updated = alerts[0] ? new Date(alerts[0].decided_at) : new Date(0);
  const feed = new Feed({
    id: `${origin}${path}`,
    title: `ofertas: ${watch.name}`,
    description: watch.id === "all"
      ? "Every alert ofertas decided: real deals, target prices, new lows and drops."
      : `Alerts of the watch ${watch.name}: real deals, target prices, new lows and drops.`,
    link: watch.id === "all" ? `${origin}/` : `${origin}/?watch=${encodeURIComponent(watch.id)}`,
    updated,
    generator: "ofertas",
    copyright: "Prices and titles from Mercado Livre / Mercado Libre listings.",
    feedLinks: { atom: `${origin}${path}` },
  });
  for (const a of alerts) {
    const itemPage = a.site && a.item_id ? `${origin}/items/${a.site}/${a.item_id}` : `${origin}/watches`;
    feed.addItem({
      id: `urn:ofertas:alert:${a.alert_id}`,
      title: `${a.title ?? a.kind}${a.price ? ` — ${a.currency ?? ""} ${a.price}` : ""}`.trim(),
      link: itemPage,
      date: new Date(a.decided_at),
      description: a.why ?? a.kind,
      content: `${a.why ?? ""}${a.url ? ` Listing: ${a.url}` : ""}`,
    });
  }
  return feed.atom1();
}
