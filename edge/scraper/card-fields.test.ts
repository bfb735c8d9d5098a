import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalUrl, idsFromLink, parseDiscount, parseInstallments, splitSeller } from "./card-fields.ts";
import { parseLightningSentence } from "./lightning.ts";

test("links: item, catalog, user-product and fragment ids", () => {
  assert.deepEqual(idsFromLink("https://produto.mercadolivre.com.br/MLB-5419371492-cafeteira-_JM"), {
    itemId: "MLB5419371492",
    productId: null,
    userProductId: null,
  });
  assert.deepEqual(
    idsFromLink(
      "https://www.mercadolivre.com.br/x/p/MLB22246671?pdp_filters=deal#polycard_client=offers&wid=MLB6225112300&sid=offers",
    ),
    {
      itemId: "MLB6225112300",
      productId: "MLB22246671",
      userProductId: null,
    },
  );
  assert.deepEqual(idsFromLink("https://www.mercadolivre.com.br/x/up/MLBU3454994034"), {
    itemId: null,
    productId: null,
    userProductId: "MLBU3454994034",
  });
  assert.equal(idsFromLink("https://click1.mercadolivre.com.br/mclics/clicks/external/MLB/count?a=x").itemId, null);
  assert.equal(idsFromLink(null).itemId, null);
});

test("links: canonical URL drops tracking, ads keep their query", () => {
  assert.equal(
    canonicalUrl(
      "https://www.mercadolivre.com.br/x/p/MLB1?pdp_filters=deal%3AMLB779362-1#polycard_client=offers",
      false,
    ),
    "https://www.mercadolivre.com.br/x/p/MLB1",
  );
  assert.equal(
    canonicalUrl("https://click1.mercadolivre.com.br/mclics/count?a=b#frag", true),
    "https://click1.mercadolivre.com.br/mclics/count?a=b",
  );
  assert.equal(canonicalUrl("not a url", false), null);
});

test("discount labels", () => {
  assert.equal(parseDiscount("43% OFF"), 43);
  assert.equal(parseDiscount("43% OFF no Pix"), 43);
  assert.equal(parseDiscount("12%\u202fOFF no Pix ou Saldo no Mercado Pago"), 12);
  assert.equal(parseDiscount("no Pix"), null);
  assert.equal(parseDiscount(null), null);
});

test("installments: count, per-installment amount, interest-free wording per language", () => {
  const amount = { cents: 34999, currency: "BRL", disagreement: false };
  assert.deepEqual(
    parseInstallments({ installmentsText: "ou R$ 3.499 em 10x R$ 349,99 sem juros", installmentAmount: amount }),
    {
      count: 10,
      amount: "349.99",
      interest_free: true,
    },
  );
  assert.equal(
    parseInstallments({ installmentsText: "12x R$ 349,99", installmentAmount: amount })?.interest_free,
    false,
  );
  assert.equal(
    parseInstallments({ installmentsText: "en 24 meses sin intereses de $349.99", installmentAmount: amount })?.count,
    24,
  );
  assert.equal(
    parseInstallments({ installmentsText: "Mismo precio en 6 cuotas de $349,99", installmentAmount: amount })
      ?.interest_free,
    true,
  );
  assert.equal(
    parseInstallments({ installmentsText: "ou R$ 349,99 em outros meios", installmentAmount: amount }),
    null,
  );
  assert.equal(parseInstallments({ installmentsText: null, installmentAmount: null }), null);
});

test("seller line: 'Por X', bare store, 'brand por store', brand alone", () => {
  assert.deepEqual(splitSeller("Por 2Eletro", null), { seller: "2Eletro", brand: null });
  assert.deepEqual(splitSeller("PlayStation", null), { seller: "PlayStation", brand: null });
  assert.deepEqual(splitSeller("Vendido por ELECTRONICS MEXICO", null), { seller: "ELECTRONICS MEXICO", brand: null });
  assert.deepEqual(splitSeller("CIS por Fox Shop", "CIS"), { seller: "Fox Shop", brand: "CIS" });
  assert.deepEqual(splitSeller("BIC", "BIC"), { seller: null, brand: "BIC" });
  assert.deepEqual(splitSeller(null, null), { seller: null, brand: null });
});

test("lightning sentence: Portuguese and Spanish, year with a thousands dot, read as UTC", () => {
  assert.equal(
    parseLightningSentence("Oferta Relâmpago termina em 17 de junho de 2.026 às 3 horas e 0 minutos"),
    "2026-06-17T03:00:00Z",
  );
  assert.equal(
    parseLightningSentence("Oferta Relâmpago termina em 16 de junho de 2026 às 21 horas e 30 minutos"),
    "2026-06-16T21:30:00Z",
  );
  assert.equal(
    parseLightningSentence("Oferta relámpago termina el 1 de marzo de 2026 a las 9 horas y 5 minutos"),
    "2026-03-01T09:05:00Z",
  );
  assert.equal(parseLightningSentence("Oferta Relâmpago encerrada"), null);
});
