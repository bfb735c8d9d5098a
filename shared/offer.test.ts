import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MAX_TITLE_LENGTH,
  offerKey,
  toOfferMessage,
  validateOfferMessage,
  validateScrapedOffer,
  type ScrapedOffer,
} from "./offer.ts";
import { sampleMessage, sampleOffer } from "./testing/sample-offer.ts";

function errorsOf(input: unknown, validate = validateScrapedOffer): string[] {
  const result = validate(input);
  assert.equal(result.ok, false, `expected rejection of ${JSON.stringify(input)}`);
  return result.ok ? [] : result.errors;
}

/** Asserts exactly one error, on `field`, mentioning `words`. */
function assertRejects(input: unknown, field: string, words: RegExp, validate = validateScrapedOffer) {
  const errors = errorsOf(input, validate);
  assert.equal(errors.length, 1, `one error expected, got ${JSON.stringify(errors)}`);
  assert.ok(errors[0]!.startsWith(`${field}: `), `error should name ${field}: ${errors[0]}`);
  assert.match(errors[0]!, words);
}

test("offer: a complete valid offer passes unchanged", () => {
  const result = validateScrapedOffer(sampleOffer());
  assert.ok(result.ok);
  assert.deepEqual(result.value, sampleOffer());
});

test("offer: optional parts may be left out and default to null/false", () => {
  const minimal = {
    site: "MLA",
    item_id: "MLA1234567",
    title: "Zapatillas",
    url: "https://articulo.mercadolibre.com.ar/MLA-1234567-zapatillas-_JM",
    price: "74999.00",
    currency: "ARS",
    position: 3,
    page: 2,
  };
  const result = validateScrapedOffer(minimal);
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.value.original_price, null);
  assert.equal(result.value.installments, null);
  assert.equal(result.value.free_shipping, false);
  assert.equal(result.value.sponsored, false);
});

for (const field of ["item_id", "title", "url", "price"] as const) {
  test(`offer: missing ${field} is rejected by name`, () => {
    const offer = sampleOffer();
    delete offer[field];
    assertRejects(offer, field, /required/);
  });
}

test("offer: negative prices are rejected", () => {
  assertRejects(sampleOffer({ price: "-10.00" }), "price", /non-negative/);
  assertRejects(sampleOffer({ original_price: "-1.00" }), "original_price", /non-negative/);
  assertRejects(sampleOffer({ installments: { count: 3, amount: "-5.00", interest_free: true } }), "installments.amount", /non-negative/);
});

test("offer: non-numeric and float prices are rejected", () => {
  assertRejects(sampleOffer({ price: "abc" }), "price", /decimal/);
  assertRejects(sampleOffer({ price: "1.299,90" }), "price", /decimal/);
  assertRejects(sampleOffer({ price: "12.5" }), "price", /two places/);
  // a JSON number is a binary float: money must arrive as a string
  assertRejects(sampleOffer({ price: 3149 }), "price", /decimal string/);
});

test("offer: discount must be 0-99", () => {
  assert.ok(validateScrapedOffer(sampleOffer({ discount_pct: 0, price: "5609.00" })).ok);
  assert.ok(validateScrapedOffer(sampleOffer({ discount_pct: 99, price: "56.09" })).ok);
  assertRejects(sampleOffer({ discount_pct: 100 }), "discount_pct", /0 and 99/);
  assertRejects(sampleOffer({ discount_pct: -1 }), "discount_pct", /0 and 99/);
  assertRejects(sampleOffer({ discount_pct: 12.5 }), "discount_pct", /integer/);
  assertRejects(sampleOffer({ discount_pct: "43" }), "discount_pct", /number/);
});

test("offer: a price above the original price is rejected when a discount is claimed", () => {
  assertRejects(sampleOffer({ price: "5609.01" }), "price", /above original_price/);
  // equal is fine, and without a claimed discount a higher price is only odd, not invalid
  assert.ok(validateScrapedOffer(sampleOffer({ price: "5609.00" })).ok);
  assert.ok(validateScrapedOffer(sampleOffer({ price: "6000.00", discount_pct: null })).ok);
});

test("offer: unknown site codes are rejected", () => {
  assertRejects(sampleOffer({ site: "MLX" }), "site", /unknown site code "MLX"/);
  assertRejects(sampleOffer({ site: "mlb" }), "site", /unknown site code/);
});

test("offer: item id, currency and url must belong to the site", () => {
  assertRejects(sampleOffer({ item_id: "MLA6225112300" }), "item_id", /site code MLB/);
  assertRejects(sampleOffer({ currency: "MXN" }), "currency", /not a currency of site MLB/);
  assertRejects(sampleOffer({ url: "https://evil.example.com/MLB-1" }), "url", /domain/);
  assertRejects(sampleOffer({ url: "http://www.mercadolivre.com.br/x" }), "url", /https/);
});

test("offer: titles over 500 characters are rejected, 500 pass", () => {
  assert.ok(validateScrapedOffer(sampleOffer({ title: "x".repeat(MAX_TITLE_LENGTH) })).ok);
  assertRejects(sampleOffer({ title: "x".repeat(MAX_TITLE_LENGTH + 1) }), "title", /at most 500/);
  assertRejects(sampleOffer({ title: "   " }), "title", /empty/);
});

test("offer: unknown fields are named, not silently dropped", () => {
  assertRejects(sampleOffer({ ["orignal_price" as keyof ScrapedOffer]: "1.00" }), "orignal_price", /unknown field/);
});

test("offer: nested and range checks name the nested field", () => {
  assertRejects(sampleOffer({ installments: { count: 0, amount: "1.00", interest_free: true } }), "installments.count", /at least 1/);
  assertRejects(sampleOffer({ rating: 5.5 }), "rating", /between 0 and 5/);
  assertRejects(sampleOffer({ reviews: -3 }), "reviews", /negative/);
  assertRejects(sampleOffer({ position: 0 }), "position", /at least 1/);
});

test("offer: several problems are all reported", () => {
  const errors = errorsOf(sampleOffer({ price: "x", title: "", site: "ZZZ" }));
  assert.deepEqual(errors.map((e) => e.split(":")[0]).sort(), ["price", "site", "title"]);
});

test("message: a valid message passes", () => {
  const result = validateOfferMessage(sampleMessage());
  assert.ok(result.ok, JSON.stringify(result));
});

test("message: non-UTC and unparsable timestamps are rejected", () => {
  for (const bad of ["2026-06-16T11:05:00-03:00", "2026-06-16 14:05:00", "yesterday", "2026-02-30T10:00:00Z", "2026-06-16T24:00:00Z", 1750000000]) {
    assertRejects(sampleMessage({ scraped_at: bad }), "scraped_at", /UTC timestamp/, validateOfferMessage);
  }
  assertRejects(sampleOffer({ lightning_end: "2026-06-17T03:00:00+00:00" }), "lightning_end", /UTC/);
  assert.ok(validateOfferMessage(sampleMessage({ scraped_at: "2026-06-16T14:05:00Z" })).ok);
});

test("message: unknown schema version and bad scrape id are rejected", () => {
  assertRejects(sampleMessage({ schema_version: 2 }), "schema_version", /must be 1/, validateOfferMessage);
  assertRejects(sampleMessage({ scrape_id: "a b" }), "scrape_id", /A-Za-z0-9/, validateOfferMessage);
});

test("message: toOfferMessage builds a valid message from a valid offer", () => {
  const parsed = validateScrapedOffer(sampleOffer());
  assert.ok(parsed.ok);
  const message = toOfferMessage(parsed.value, {
    scrape_id: "abcdefgh",
    scraped_at: "2026-06-16T14:05:00Z",
    source_url: "https://www.mercadolivre.com.br/ofertas",
  });
  assert.ok(validateOfferMessage(message).ok);
});

test("offerKey: deterministic, 32 hex chars, different per observation", async () => {
  const base = { site: "MLB", item_id: "MLB1", scrape_id: "s1", page: 1, position: 1 } as const;
  const k1 = await offerKey(base);
  assert.match(k1, /^[0-9a-f]{32}$/);
  assert.equal(await offerKey({ ...base }), k1);
  assert.notEqual(await offerKey({ ...base, scrape_id: "s2" }), k1);
  assert.notEqual(await offerKey({ ...base, position: 2 }), k1);
});
