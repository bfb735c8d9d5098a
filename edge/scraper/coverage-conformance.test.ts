/**
 * Coverage on the real saved pages (../shared/ml-pages, outside the repo): for every field, the
 * number of cards (or the product page) the parser says carried it equals what the page's
 * expected/ file implies, the count of cards whose expected value is set (a flag when true).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { expectedFiles, ML_EXPECTED_DIR, ML_PAGES_DIR, ML_PRODUCT_DIR, mlPagesSkip } from "../../test/ml-pages.ts";
import { CARD_FIELDS, carries, PRODUCT_FIELDS } from "./coverage.ts";
import { parsePage } from "./parse-page.ts";
import { parseProductPage } from "./product/parse-product-page.ts";

const skip = mlPagesSkip;
const listed = expectedFiles;
const read = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
/** "nordic_ctx:appProps.pageProps.data" → "nordic_ctx": coverage names where the state was, not the path in it. */
const stateKind = (path: unknown) => (typeof path === "string" ? path.split(":")[0] : null);

for (const file of listed(ML_EXPECTED_DIR)) {
  const expected = read(`${ML_EXPECTED_DIR}/${file}`);
  if (expected.kind !== "deals" && expected.kind !== "search") continue;
  const name = file.replace(/\.json$/, "");
  test(`coverage: ${name}, field by field, as its expected cards imply`, { skip }, () => {
    const page = parsePage(readFileSync(`${ML_PAGES_DIR}/${name}.html`, "utf8"), { url: name });
    const cards = expected.cards as Array<Record<string, unknown>>;
    assert.equal(page.coverage.cards, cards.length);
    assert.equal(page.coverage.state, stateKind(expected.state));
    const compared = CARD_FIELDS.filter((field) => field in cards[0]!);
    assert.ok(compared.length >= 19, `the expected cards name ${compared.length} of the fields`);
    const got = Object.fromEntries(compared.map((f) => [f, page.coverage.fields[f]!.present]));
    const want = Object.fromEntries(compared.map((f) => [f, cards.filter((card) => carries(card[f])).length]));
    assert.deepEqual(got, want);
  });
}

const PRODUCT_DIR = ML_PRODUCT_DIR;
for (const file of listed(`${PRODUCT_DIR}/expected`)) {
  const expected = read(`${PRODUCT_DIR}/expected/${file}`);
  if (expected.page_kind !== "product" && expected.page_kind !== "unavailable_product") continue;
  const name = file.replace(/\.json$/, "");
  test(`coverage: product page ${name}, field by field, as its expected values imply`, { skip }, () => {
    const page = parseProductPage(readFileSync(`${PRODUCT_DIR}/${name}.html`, "utf8"), { url: name });
    assert.ok(page.coverage, page.reason);
    assert.equal(page.coverage.state, stateKind(expected.state));
    const expectedName = (field: string) => (field === "shown_item_id" ? "item_id" : field);
    // the seller's standing is not in the expected files (product-conformance.test.ts checks it)
    const named = PRODUCT_FIELDS.filter((f) => expectedName(f) in expected);
    assert.ok(named.length >= 24, `the expected values name ${named.length} of the fields`);
    const got = Object.fromEntries(named.map((f) => [f, page.coverage!.fields[f]!.present]));
    const want = Object.fromEntries(named.map((f) => {
      const value = expected[expectedName(f)];
      return [f, value === null || value === undefined || (Array.isArray(value) && !value.length) ? 0 : 1];
    }));
    assert.deepEqual(got, want);
  });
}
