/**
 * A watch's alerts as an Atom feed (RFC 4287): what camelcamelcamel's RSS of one's alerts does,
 * readable in any feed reader, no account. Each entry's id is the alert's.
 *
 * Written here, element by element, through shared/escape/xml.ts, and not with the `feed`
 * library: that library writes titles and summaries as `type="html"` CDATA, and its XML writer
 * (xml-js) escapes only the first `]]>` of a CDATA section and lets XML-invalid control
 * characters through, so a seller's title could end the CDATA, add a `<link>` of its own or
 * make the whole feed unreadable. Here every text is `type="text"` and XML-escaped.
 */
import { xmlElement, xmlText } from "../shared/escape/xml.ts";
import type { AlertView } from "./alerts.ts";
import type { WatchView } from "./watch-source.ts";

const text = (name: string, value: string) => xmlElement(name, { type: "text" }, value);

function entryOf(a: AlertView, origin: string): string {
  const itemPage = a.site && a.item_id ? `${origin}/items/${a.site}/${a.item_id}` : `${origin}/watches`;
  const title = `${a.title ?? a.kind}${a.price ? ` — ${a.currency ?? ""} ${a.price}` : ""}`.trim();
  const updated = new Date(a.decided_at).toISOString();
  return [
    "  <entry>",
    `    ${xmlElement("id", {}, `urn:ofertas:alert:${a.alert_id}`)}`,
    `    ${text("title", title)}`,
    `    ${xmlElement("link", { rel: "alternate", type: "text/html", href: itemPage })}`,
    `    ${xmlElement("updated", {}, updated)}`,
    `    ${text("summary", a.why ?? a.kind)}`,
    `    ${text("content", `${a.why ?? ""}${a.url ? ` Listing: ${a.url}` : ""}`)}`,
    "  </entry>",
  ].join("\n");
}

export function alertsFeed(
  watch: Pick<WatchView, "id" | "name">,
  alerts: readonly AlertView[],
  origin: string,
  path = `/watches/${watch.id}/alerts.atom`,
): string {
  const updated = alerts[0] ? new Date(alerts[0].decided_at) : new Date(0);
  const self = `${origin}${path}`;
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlText(self)}</id>`,
    `  ${text("title", `ofertas: ${watch.name}`)}`,
    `  ${
      text(
        "subtitle",
        watch.id === "all"
          ? "Every alert ofertas decided: real deals, target prices, new lows and drops."
          : `Alerts of the watch ${watch.name}: real deals, target prices, new lows and drops.`,
      )
    }`,
    `  ${xmlElement("updated", {}, updated.toISOString())}`,
    `  ${
      xmlElement("link", {
        rel: "alternate",
        type: "text/html",
        href: watch.id === "all" ? `${origin}/` : `${origin}/?watch=${encodeURIComponent(watch.id)}`,
      })
    }`,
    `  ${xmlElement("link", { rel: "self", type: "application/atom+xml", href: self })}`,
    "  <author><name>ofertas</name></author>",
    `  ${xmlElement("generator", {}, "ofertas")}`,
    `  ${text("rights", "Prices and titles from Mercado Livre / Mercado Libre listings.")}`,
    ...alerts.map((a) => entryOf(a, origin)),
    "</feed>",
    "",
  ].join("\n");
}
