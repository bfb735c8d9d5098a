import { test } from "node:test";
import assert from "node:assert/strict";
import { currencyFromSymbol, parseAmountLabel, parseVisibleAmount } from "./money-text.ts";

test("price aria-labels: Portuguese, Spanish, with and without cents, every currency word", () => {
  const cases: Array<[string, number, string]> = [
    ["Agora: 3149 reais", 314900, "BRL"],
    ["Antes: 199 reais com 90 centavos", 19990, "BRL"],
    ["349 reais com 99 centavos", 34999, "BRL"],
    ["1 real com 5 centavos", 105, "BRL"],
    ["Ahora: 74 reales con 90 centavos", 7490, "BRL"],
    ["7399 pesos mexicanos", 739900, "MXN"],
    ["218 pesos mexicanos con 71 centavos", 21871, "MXN"],
    ["Antes: 99999 pesos argentinos", 9999900, "ARS"],
    ["74999 pesos con 50 centavos", 7499950, "PESO"],
    ["120 dólares", 12000, "USD"],
    ["Antes: 88480 pesos colombianos", 8848000, "COP"],
    ["12990 pesos chilenos", 1299000, "CLP"],
    ["1299 pesos uruguayos con 50 centavos", 129950, "UYU"],
    ["Ahora: 89 soles con 90 centavos", 8990, "PEN"],
  ];
  for (const [label, cents, currency] of cases) {
    assert.deepEqual(parseAmountLabel(label), { cents, currency }, label);
  }
});

test("price aria-labels: non-amounts are not amounts", () => {
  for (const label of ["", "Patrocinado", "Valor", "3149", "Agora: reais", "Loja oficial"]) {
    assert.equal(parseAmountLabel(label), null, label);
  }
});

test("visible prices: BRL/ARS/COP/CLP dot thousands, MXN comma thousands, separate cents", () => {
  assert.equal(parseVisibleAmount("71.492", null), 7149200, "COP has no cents: the dot is a thousands separator");
  assert.equal(parseVisibleAmount("1.299", "90"), 129990);
  assert.equal(parseVisibleAmount("5.609", null), 560900);
  assert.equal(parseVisibleAmount("7,399", "00"), 739900);
  assert.equal(parseVisibleAmount("1.234.567", "5"), 123456750);
  assert.equal(parseVisibleAmount("3", "13"), 313);
  assert.equal(parseVisibleAmount("", "10"), null);
  assert.equal(parseVisibleAmount("12", "123"), null);
});

test("currency symbols", () => {
  assert.equal(currencyFromSymbol("R$"), "BRL");
  assert.equal(currencyFromSymbol("US$"), "USD");
  assert.equal(currencyFromSymbol(" $ "), "PESO");
  assert.equal(currencyFromSymbol("S/"), "PEN");
  assert.equal(currencyFromSymbol("€"), null);
});
