import { test } from "node:test";
import assert from "node:assert/strict";
import { normalizeDescription, readStock, readSubtitle, soldLowerBound } from "./product-text.ts";

test("subtitle: condition and sold count in both languages", () => {
  assert.deepEqual(readSubtitle("Novo  |  +5mil vendidos"), { condition: "new", sold: "+5mil vendidos" });
  assert.deepEqual(readSubtitle("Reacondicionado | +50 vendidos"), { condition: "refurbished", sold: "+50 vendidos" });
  assert.deepEqual(readSubtitle("Usado"), { condition: "used", sold: null });
  assert.deepEqual(readSubtitle(null), { condition: null, sold: null });
});

test("sold count: the least each bucket promises", () => {
  const cases: Array<[string, number | null]> = [
    ["+5mil vendidos", 5_000],
    ["+500 vendidos", 500],
    ["1 vendido", 1],
    ["+10 mil vendidos", 10_000],
    ["+1,5mil vendidos", 1_500],
    ["+1 millón vendidos", 1_000_000],
    ["+1.000 vendidos", 1_000],
    ["vendidos", null],
  ];
  for (const [text, min] of cases) assert.equal(soldLowerBound(text), min, text);
});

test("stock: a bucket is text only; an exact count is a quantity", () => {
  assert.deepEqual(readStock("(+25 disponibles)"), { text: "+25 disponibles", quantity: null });
  assert.deepEqual(readStock("(2 disponíveis)"), { text: "2 disponíveis", quantity: 2 });
  assert.deepEqual(readStock("(1 disponível)"), { text: "1 disponível", quantity: 1 });
  assert.deepEqual(readStock("¡Último disponible!"), { text: "¡Último disponible!", quantity: 1 });
  assert.deepEqual(readStock(null), { text: null, quantity: null });
});

test("description: CRLF and LF, blank lines and line-end spaces removed, lines kept", () => {
  assert.equal(
    normalizeDescription("Título:\r\n\r\nLinha um.  \r\nLinha  dois\n\n\n"),
    "Título:\nLinha um.\nLinha dois",
  );
  assert.equal(normalizeDescription("   \n "), null);
});
