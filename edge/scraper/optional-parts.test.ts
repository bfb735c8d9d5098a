/**
 * Each optional part of a card, removed on its own from a card that has them all: the card
 * stays valid and exactly that field becomes null/false (or falls back as documented).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { parseHTML } from "linkedom";
import { parsePage } from "./parse-page.ts";

const full = await readFile(new URL("./fixtures/deals-br.html", import.meta.url), "utf8");

function withoutInFirstCard(selector: string): string {
  const { document } = parseHTML(full) as unknown as {
    document: {
      querySelector(s: string): { querySelectorAll(s: string): Array<{ remove(): void }> };
      toString(): string;
    };
  };
  const card = document.querySelector("div.poly-card");
  const found = Array.from(card.querySelectorAll(selector));
  assert.ok(found.length > 0, `fixture has ${selector}`);
  for (const el of found) el.remove();
  return document.toString();
}

const firstOffer = (html: string) => {
  const card = parsePage(html, { url: "fixture" }).cards[0]!;
  assert.ok(card.ok, JSON.stringify(!card.ok && card.errors));
  return card.offer as Record<string, unknown>;
};

const cases: Array<{ part: string; selector: string; changes: Record<string, unknown> }> = [
  { part: "previous price", selector: "s.andes-money-amount--previous", changes: { original_price: null } },
  { part: "discount label", selector: ".andes-money-amount__discount", changes: { discount_pct: null } },
  { part: "installments", selector: ".poly-price__installments", changes: { installments: null } },
  { part: "shipping", selector: ".poly-component__shipping", changes: { free_shipping: false, full: false } },
  { part: "Full icon", selector: 'svg[aria-label="Enviado pelo FULL"]', changes: { full: false } },
  { part: "seller line", selector: ".poly-component__seller", changes: { seller: null, official_store: false } },
  { part: "official-store icon", selector: 'svg[aria-label="Loja oficial"]', changes: { official_store: false } },
  { part: "brand", selector: ".poly-component__brand", changes: { brand: null } },
  { part: "reviews", selector: ".poly-component__reviews", changes: { rating: null, reviews: null } },
  { part: "highlight", selector: ".poly-component__highlight", changes: { label: null } },
  { part: "coupon", selector: ".poly-component__coupons", changes: { coupon: null } },
  { part: "image", selector: "img.poly-component__picture", changes: { image_url: null } },
  { part: "cents", selector: ".poly-price__current .andes-money-amount__cents", changes: {} }, // the aria-label still has them
];

const reference = firstOffer(full);

for (const { part, selector, changes } of cases) {
  test(`optional part absent: ${part}`, () => {
    const offer = firstOffer(withoutInFirstCard(selector));
    assert.deepEqual(offer, { ...reference, ...changes });
  });
}
