/**
 * The worst inputs the route accepts, and worse ones it must refuse, for the limits test and
 * bench/hostile: bodies for POST /offers, and pages an upstream might send.
 */
import { readFileSync } from "node:fs";
import { sampleOffer } from "./sample-offer.ts";

/** 5 MB of NDJSON lines that are not offers: the body that once answered 211 MB. */
export const lineFlood = (bytes = 5 * 1024 * 1024 - 1024) => "1\n".repeat(Math.floor(bytes / 2));

/** As many offers as a request may carry, every field at its largest: the worst accepted body. */
export function worstAcceptedOffers(count = 1_000, maxBytes = 5 * 1024 * 1024 - 4096): string {
  const perOffer = Math.floor(maxBytes / count);
  const offers = Array.from({ length: count }, (_, i) => {
    const base = sampleOffer({ item_id: `MLB${4_100_000_000 + i}`, position: (i % 48) + 1 });
    const room = Math.max(0, perOffer - JSON.stringify(base).length - 600);
    return {
      ...base,
      title: "Título ".repeat(70).slice(0, 500),
      seller: "s".repeat(200),
      brand: "b".repeat(200),
      coupon: "c".repeat(200),
      url: `https://www.mercadolivre.com.br/${"p".repeat(Math.min(1_900, room))}`,
    };
  });
  return JSON.stringify(offers);
}

/** A real page of deals padded to just under the byte and element caps (what still gets parsed). */
export function worstAcceptedPage(realPage: string, bytes = 4 * 1024 * 1024 - 64 * 1024, elements = 24_000): string {
  const have = (realPage.match(/<[a-zA-Z]/g) ?? []).length;
  const filler = "<i>x</i>".repeat(Math.max(0, elements - have));
  const padding = `<script type="application/json">${
    JSON.stringify({ pad: "z".repeat(Math.max(0, bytes - realPage.length - filler.length - 64)) })
  }</script>`;
  return realPage.replace("</body>", `${filler}${padding}</body>`);
}

/** A page with far more cards than any real one. */
export const cardFlood = (cards = 100_000) =>
  `<html><body><div class="items-with-smart-groups">${
    '<div class="andes-card poly-card"><div class="poly-card__content"><a class="poly-component__title" href="https://www.mercadolivre.com.br/MLB-1-x">x</a></div></div>'
      .repeat(cards)
  }</div></body></html>`;

export function readPage(path: string): string {
  return readFileSync(path, "utf8");
}
