import { test } from "node:test";
import assert from "node:assert/strict";
import type { ValidationResult } from "./contract/issues.ts";
import { offerKey } from "./contract/offer-key.ts";
import { MAX_TITLE_LENGTH, type ScrapedOffer, validateScrapedOffer } from "./contract/scraped-offer.ts";
import { toOfferMessage, validateOfferMessage } from "./offer.ts";
import { sampleMessage, sampleOffer } from "../test/sample-offer.ts";

type Validator = (input: unknown) => ValidationResult<unknown>;

function errorsOf(input: unknown, validate: Validator = validateScrapedOffer): string[] {
  const result = validate(input);
  assert.equal(result.ok, false, `expected rejection of ${JSON.stringify(input)}`);
  return result.ok ? [] : result.errors;
}

/** Asserts exactly one error, on `field`, mentioning `words`. */
function assertRejects(input: unknown, field: string, words: RegExp, validate: Validator = validateScrapedOffer) {
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
  assertRejects(
    sampleOffer({ installments: { count: 3, amount: "-5.00", interest_free: true } }),
    "installments.amount",
    /non-negative/,
  );
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
  assertRejects(
    sampleOffer({ installments: { count: 0, amount: "1.00", interest_free: true } }),
    "installments.count",
    /at least 1/,
  );
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
  for (
    const bad of [
      "2026-06-16T11:05:00-03:00",
      "2026-06-16 14:05:00",
      "yesterday",
      "2026-02-30T10:00:00Z",
      "2026-06-16T24:00:00Z",
      1750000000,
    ]
  ) {
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

test("message: watch_run is a whole number from 1, and only beside a watch_id", () => {
  // old messages (no watch_id, no watch_run) stay valid; both default to null
  const old = validateOfferMessage(sampleMessage());
  assert.ok(old.ok);
  assert.deepEqual([old.value.watch_id, old.value.watch_run], [null, null]);
  const ran = validateOfferMessage(sampleMessage({ watch_id: "iphone", watch_run: 3 }));
  assert.ok(ran.ok, JSON.stringify(ran));
  assert.equal(ran.value.watch_run, 3);
  assert.ok(validateOfferMessage(sampleMessage({ watch_id: "iphone" })).ok, "a watch's offer from before watch_run");
  assertRejects(
    sampleMessage({ watch_id: null, watch_run: 1 }),
    "watch_run",
    /null when watch_id is null/,
    validateOfferMessage,
  );
  assertRejects(sampleMessage({ watch_run: 2 }), "watch_run", /null when watch_id is null/, validateOfferMessage);
  for (const bad of [0, -1, 1.5, "1"]) {
    assertRejects(sampleMessage({ watch_id: "iphone", watch_run: bad }), "watch_run", /must be/, validateOfferMessage);
  }
  // toOfferMessage never numbers a run without a watch
  const parsed = validateScrapedOffer(sampleOffer());
  assert.ok(parsed.ok);
  const context = {
    scrape_id: "abcdefgh",
    scraped_at: "2026-06-16T14:05:00Z",
    source_url: "https://www.mercadolivre.com.br/ofertas",
  };
  assert.equal(toOfferMessage(parsed.value, { ...context, watch_id: null, watch_run: 4 }).watch_run, null);
  const watched = toOfferMessage(parsed.value, { ...context, watch_id: "w", watch_run: 4 });
  assert.deepEqual([watched.watch_id, watched.watch_run], ["w", 4]);
  assert.ok(validateOfferMessage(watched).ok);
});

test("offerKey: deterministic, 32 hex chars, different per observation", async () => {
  const base = { site: "MLB", item_id: "MLB1", scrape_id: "s1", page: 1, position: 1 } as const;
  const k1 = await offerKey(base);
  assert.match(k1, /^[0-9a-f]{32}$/);
  assert.equal(await offerKey({ ...base }), k1);
  assert.notEqual(await offerKey({ ...base, scrape_id: "s2" }), k1);
  assert.notEqual(await offerKey({ ...base, position: 2 }), k1);
});

// ------------------------------------------- the contract is what every warehouse loads

test("contract: text must be well-formed Unicode without NUL (lone surrogates stop warehouse loads)", () => {
  assertRejects(sampleOffer({ title: "a\ud800b" }), "title", /well-formed Unicode/);
  assertRejects(sampleOffer({ title: "a\udc00" }), "title", /well-formed Unicode/);
  assertRejects(sampleOffer({ seller: "x\u0000y" }), "seller", /NUL/);
  assertRejects(sampleOffer({ label: "\ud83d" }), "label", /well-formed/);
  // a proper surrogate pair (an emoji) is fine
  assert.ok(validateScrapedOffer(sampleOffer({ title: "Fone 🎧 Bluetooth" })).ok);
});

test("contract: integers stay inside INT64 and a JSON double (position 1e20, reviews 1e30 are refused)", () => {
  assertRejects(sampleOffer({ position: 1e20 }), "position", /at most 10000/);
  assertRejects(sampleOffer({ position: 2 ** 63 }), "position", /at most/);
  assertRejects(sampleOffer({ reviews: 1e30 }), "reviews", /at most 1000000000/);
  assertRejects(sampleOffer({ reviews: 1e23 }), "reviews", /at most/);
  assert.ok(validateScrapedOffer(sampleOffer({ reviews: 611_464, position: 60 })).ok);
});

test("contract: timestamps inside a sane window, at most microseconds", () => {
  for (const bad of ["0100-06-16T14:05:00Z", "2001-06-16T14:05:00Z", "9999-12-31T23:59:59Z"]) {
    assertRejects(
      sampleMessage({ scraped_at: bad }),
      "scraped_at",
      /between 2020-01-01T00:00:00Z and one day from now/,
      validateOfferMessage,
    );
  }
  assertRejects(
    sampleMessage({ scraped_at: "2026-06-16T14:05:00.123456789Z" }),
    "scraped_at",
    /at most 6 decimals/,
    validateOfferMessage,
  );
  assert.ok(validateOfferMessage(sampleMessage({ scraped_at: "2026-06-16T14:05:00.123456Z" })).ok);
  assertRejects(sampleOffer({ lightning_end: "2999-01-01T00:00:00Z" }), "lightning_end", /between/);
});

test("contract: a price that makes the recomputed discount absurd is refused (9999999999999.99 against 0.01)", () => {
  assertRejects(
    sampleOffer({ price: "9999999999999.99", original_price: "0.01", discount_pct: null }),
    "price",
    /more than 10× original_price/,
  );
  assertRejects(sampleOffer({ original_price: "0.00", discount_pct: null }), "original_price", /above 0.00/);
});

test("contract: URLs are plain https URLs; source_url and url on the site's domain; images on mlstatic.com", () => {
  assertRejects(sampleOffer({ url: "https://www.mercadolivre.com.br\\@evil.example/x" }), "url", /plain https URL/);
  assertRejects(sampleOffer({ url: "https://user:pw@www.mercadolivre.com.br/x" }), "url", /plain https URL/);
  assertRejects(sampleOffer({ url: "https://www.mercadolivre.com.br/a b" }), "url", /plain https URL/);
  assertRejects(sampleOffer({ image_url: "https://evil.example/x.png" }), "image_url", /mlstatic\.com/);
  assertRejects(
    sampleMessage({ source_url: "https://evil.example/ofertas" }),
    "source_url",
    /site's own domain/,
    validateOfferMessage,
  );
});

test("contract: a hostile field name is not echoed whole, and problems are capped per offer", () => {
  const errors = errorsOf(sampleOffer({ ["k".repeat(100_000) as keyof ScrapedOffer]: 1 }));
  assert.ok(errors[0]!.length < 100, errors[0]!.slice(0, 200));
  // every field of the wrong type: 25 problems, 10 described
  const allWrong = Object.fromEntries(Object.keys(sampleOffer()).map((k) => [k, { wrong: true }]));
  const capped = errorsOf(allWrong);
  assert.equal(capped.length, 11);
  assert.match(capped[10]!, /\d+ more problem\(s\) not shown/);
});

test("contract: invalid offers name their field from a closed set (safe metric labels)", () => {
  const result = validateScrapedOffer({ ...sampleOffer({ price: "x" }), __proto__x: 1 });
  assert.ok(!result.ok);
  assert.deepEqual(result.problems.map((p) => p.field).sort(), ["price", "unknown_field"]);
});
