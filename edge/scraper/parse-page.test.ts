import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { type CardOutcome, type ParsedPage, parsePage, ScrapeError } from "./parse-page.ts";

const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

async function parseFixture(
  name: string,
  options: { site?: "MLB" | "MLA" | "MLM"; page?: number } = {},
): Promise<ParsedPage> {
  return parsePage(await fixture(name), { url: `fixture:${name}`, ...options });
}

function offerOf(card: CardOutcome | undefined) {
  assert.ok(card, "card missing");
  assert.ok(card.ok, `card ${card.position} invalid: ${JSON.stringify(!card.ok && card.errors)}`);
  return card.offer;
}

test("scraper: deals card with every part present", async () => {
  const page = await parseFixture("deals-br.html", { page: 3 });
  assert.equal(page.site, "MLB");
  assert.equal(page.layout, "deals");
  assert.equal(page.cards.length, 3);
  assert.equal(page.nextUrl, "https://www.mercadolivre.com.br/ofertas?page=2");
  assert.deepEqual(offerOf(page.cards[0]), {
    site: "MLB",
    item_id: "MLB6225112300", // from wid= in the fragment: the /p/ link names the catalog product
    product_id: "MLB22246671",
    user_product_id: null,
    title: "Notebook Acer Aspire 5 15,6' Full Hd",
    url: "https://www.mercadolivre.com.br/notebook-acer/p/MLB22246671",
    image_url: "https://http2.mlstatic.com/D_Q_NP_2X_111111-MLU1_062024-AB.webp",
    price: "3149.90", // the Pix price: the card-payment total (3499) is in the installments line
    original_price: "5609.00",
    discount_pct: 43,
    currency: "BRL",
    installments: { count: 10, amount: "349.99", interest_free: true }, // the last amount, not the total
    free_shipping: true,
    full: true,
    seller: "2Eletro",
    official_store: true,
    brand: "ACER",
    rating: 4.9,
    reviews: 3170,
    label: "OFERTA DO DIA",
    lightning_end: null,
    coupon: "Cupom R$ 30 OFF",
    sponsored: false,
    position: 1,
    page: 3,
    // a card never shows the seller's standing (edge/SCRAPER.md, "Sellers and stock")
    seller_reputation: null,
    seller_power_status: null,
  });
});

test("scraper: lightning end comes from the hidden sentence, read as UTC", async () => {
  const offer = offerOf((await parseFixture("deals-br.html")).cards[1]);
  assert.equal(offer.label, "OFERTA RELÂMPAGO");
  assert.equal(offer.lightning_end, "2026-06-17T03:00:00Z");
  assert.equal(offer.item_id, "MLB4340888693");
  assert.equal(offer.url, "https://produto.mercadolivre.com.br/MLB-4340888693-tenis-corrida-_JM");
  assert.deepEqual(offer.installments, { count: 12, amount: "13.77", interest_free: false });
  assert.equal(offer.free_shipping, true);
  assert.equal(offer.full, false);
});

test("scraper: optional parts absent become null/false; whole-real prices; bare 'no Pix'", async () => {
  const offer = offerOf((await parseFixture("deals-br.html")).cards[2]);
  assert.equal(offer.item_id, "MLB5419371492");
  assert.equal(offer.user_product_id, "MLBU3454994034");
  assert.equal(offer.price, "149.00");
  assert.equal(offer.original_price, "199.00");
  assert.equal(offer.discount_pct, null);
  assert.equal(offer.installments, null, "'em outros meios' has no count");
  for (
    const field of ["seller", "brand", "rating", "reviews", "label", "lightning_end", "coupon", "product_id"] as const
  ) {
    assert.equal(offer[field], null, field);
  }
  for (const field of ["free_shipping", "full", "official_store", "sponsored"] as const) {
    assert.equal(offer[field], false, field);
  }
});

test("scraper: ads take their id from the state and keep the click URL", async () => {
  const page = await parseFixture("search-br.html");
  assert.equal(page.layout, "search");
  assert.equal(page.stateSource, "preloaded_state");
  assert.equal(page.nextUrl, "https://lista.mercadolivre.com.br/caneta_Desde_49_NoIndex_True");
  const ad = offerOf(page.cards[0]);
  assert.equal(ad.sponsored, true);
  assert.equal(ad.item_id, "MLB3899251064");
  assert.equal(ad.user_product_id, "MLBU1166628743");
  assert.equal(ad.url, "https://click1.mercadolivre.com.br/mclics/clicks/external/MLB/count?a=abc%2Bdef&b=1");
  assert.equal(ad.brand, "CANETA DE BALCAO");
  assert.equal(ad.seller, null);
  assert.equal(ad.full, true);
  assert.equal(ad.rating, 4.9);
  assert.equal(ad.price, "42.47", "Spanish aria-label on a BR page");
  assert.equal(ad.reviews, null, "a sold count is not a review count");
});

test("scraper: the buy box's alternative offer is never read as the card's", async () => {
  const offer = offerOf((await parseFixture("search-br.html")).cards[1]);
  assert.equal(offer.price, "31.79");
  assert.equal(offer.original_price, null, "the previous price belongs to the alternative offer");
  assert.equal(offer.discount_pct, null);
  assert.deepEqual(offer.installments, { count: 12, amount: "3.13", interest_free: false });
  assert.equal(offer.seller, "Fox Shop");
  assert.equal(offer.brand, "CIS");
  assert.equal(offer.official_store, true);
  assert.equal(
    offer.image_url,
    "https://http2.mlstatic.com/D_Q_NP_2X_555555-MLA5_102025-E.webp",
    "data-src beats a data: placeholder",
  );
});

test("scraper: without the state an ad card has no id and is reported invalid, by field", async () => {
  const html = (await fixture("search-br.html")).replace('id="__PRELOADED_STATE__"', 'id="gone"');
  const page = parsePage(html, { url: "fixture" });
  const ad = page.cards[0]!;
  assert.equal(ad.ok, false);
  assert.ok(!ad.ok && ad.errors.some((e) => e.startsWith("item_id: ")), JSON.stringify(ad));
  assert.equal(page.cards[1]!.ok, true);
});

test("scraper: MX prices, Spanish labels, list layout", async () => {
  const page = await parseFixture("search-mx.html");
  assert.equal(page.site, "MLM");
  const offer = offerOf(page.cards[0]);
  assert.equal(offer.price, "7399.00");
  assert.equal(offer.original_price, "8173.50");
  assert.equal(offer.currency, "MXN");
  assert.deepEqual(offer.installments, { count: 24, amount: "308.29", interest_free: true });
  assert.equal(offer.free_shipping, true);
  assert.equal(offer.full, true);
  assert.equal(offer.seller, "ELECTRONICS MEXICO");
  assert.equal(offer.official_store, true);
  assert.equal(offer.reviews, 23249);
  assert.equal(offer.label, "MÁS VENDIDO");
  assert.equal(offer.title, "Consola Nintendo Switch Oled  Blanco", "inner spacing kept as published");
});

test("scraper: AR prices from visible digits only ('74.999' + ',50'), 'Mismo precio' is interest-free", async () => {
  const offer = offerOf((await parseFixture("deals-ar.html")).cards[0]);
  assert.equal(offer.site, "MLA");
  assert.equal(offer.price, "74999.50");
  assert.equal(offer.original_price, "99999.00");
  assert.equal(offer.currency, "ARS");
  assert.deepEqual(offer.installments, { count: 6, amount: "12499.92", interest_free: true });
  assert.equal(offer.url, "https://articulo.mercadolibre.com.ar/MLA-1402346789-zapatillas-running-_JM");
});

test("scraper: block pages and unknown layouts are typed errors with the URL", async () => {
  const cases = [
    ["blocked-login-wall.html", "blocked"],
    ["challenge-micro-landing.html", "challenge"],
    ["unknown-layout.html", "unknown_layout"],
    ["legacy-promotion-item.html", "unknown_layout"],
  ] as const;
  for (const [name, kind] of cases) {
    await assert.rejects(parseFixture(name), (error: unknown) => {
      assert.ok(error instanceof ScrapeError, name);
      assert.equal(error.kind, kind, name);
      assert.equal(error.url, `fixture:${name}`);
      return true;
    });
  }
});

test("scraper: a compressed (binary) body is not mistaken for a page", () => {
  const gzipHeader = String.fromCharCode(0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03) +
    "\u0001\u0002garbage";
  assert.throws(
    () => parsePage(gzipHeader, { url: "u" }),
    (e: unknown) => e instanceof ScrapeError && e.kind === "unknown_layout" && /not HTML/.test(e.message),
  );
});

test("scraper: a results page past the end is empty, not an error", async () => {
  const page = await parseFixture("empty-results.html");
  assert.equal(page.layout, "empty");
  assert.equal(page.cards.length, 0);
});

test("scraper: a page of another site than requested is refused", async () => {
  await assert.rejects(parseFixture("search-mx.html", { site: "MLB" }), /belongs to site MLM/);
});

test("coverage: what each field's cards carried, and the state's share (ids behind /up/ links)", async () => {
  const page = await parseFixture("search-br.html");
  assert.equal(page.coverage.kind, "listing");
  assert.equal(page.coverage.cards, 2);
  assert.equal(page.coverage.state, "preloaded_state");
  assert.deepEqual(page.coverage.fields.item_id, { present: 2, sources: { state: 1, markup: 1 } });
  assert.deepEqual(page.coverage.fields.user_product_id, { present: 2, sources: { state: 2 } });
  assert.deepEqual(page.coverage.fields.price, { present: 2, sources: { markup: 2 } });
  assert.deepEqual(page.coverage.fields.reviews, { present: 0, sources: {} }, "a sold count is not reviews");
});
