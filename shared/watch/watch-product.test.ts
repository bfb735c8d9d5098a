import { test } from "node:test";
import assert from "node:assert/strict";
import { itemOfTarget, productOfTarget, productPageUrl } from "./watch-product.ts";

const item = (value: string) => ({ site: "MLB" as const, view: "item" as const, item: value });

test("watch target: a /p/ URL names a product (a product watch), an item id or an item's page a listing", () => {
  const cases: Array<[string, string | null, string | null]> = [
    ["https://www.mercadolivre.com.br/console-playstation-5-slim/p/MLB22246671", "MLB22246671", null],
    ["https://www.mercadolivre.com.br/p/MLB22246671#wid=MLB6225112300", "MLB22246671", null],
    ["https://produto.mercadolivre.com.br/MLB-1234567890-furadeira-_JM", null, "MLB1234567890"],
    ["MLB1234567890", null, "MLB1234567890"],
    // another site's product is not this watch's
    ["https://www.mercadolibre.com.mx/x/p/MLM22246671", null, null],
    ["not a url", null, null],
  ];
  for (const [value, product, listing] of cases) {
    assert.equal(productOfTarget(item(value)), product, value);
    assert.equal(itemOfTarget(item(value)), listing, value);
  }
  assert.equal(productOfTarget({ site: "MLB", view: "search", item: cases[0]![0] }), null);
});

test("watch target: a product id's page on its site, and nothing else", () => {
  assert.equal(productPageUrl("MLB", "MLB22246671"), "https://www.mercadolivre.com.br/p/MLB22246671");
  assert.throws(() => productPageUrl("MLB", "MLA22246671"), /product id of site MLB/);
  assert.throws(() => productPageUrl("XXX", "MLB22246671"), /not a site/);
});
