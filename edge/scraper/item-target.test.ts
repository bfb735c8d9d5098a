import { test } from "node:test";
import assert from "node:assert/strict";
import { itemTarget } from "./item-target.ts";

test("item: an item id becomes the site's own item page", () => {
  const t = itemTarget("MLB", "MLB1234567890");
  assert.equal(t.url.toString(), "https://produto.mercadolivre.com.br/MLB-1234567890-_JM");
  assert.equal(t.itemId, "MLB1234567890");
  assert.equal(
    itemTarget("MLM", "MLM555666777").url.toString(),
    "https://articulo.mercadolibre.com.mx/MLM-555666777-_JM",
  );
});

test("item: a product URL of the site is kept without query and fragment", () => {
  const t = itemTarget(
    "MLB",
    "https://produto.mercadolivre.com.br/MLB-5419371492-tenis-adidas-_JM?searchVariation=1#polycard_client=offers",
  );
  assert.equal(t.url.toString(), "https://produto.mercadolivre.com.br/MLB-5419371492-tenis-adidas-_JM");
  assert.equal(t.itemId, "MLB5419371492");
  const catalog = itemTarget("MLB", "https://www.mercadolivre.com.br/apple-iphone-15/p/MLB1027172671#wid=MLB1");
  assert.equal(catalog.url.toString(), "https://www.mercadolivre.com.br/apple-iphone-15/p/MLB1027172671");
  assert.equal(catalog.productId, "MLB1027172671");
  assert.equal(catalog.itemId, null);
});

test("item: nothing off the site, nothing of another site, nothing without an id", () => {
  assert.throws(() => itemTarget("MLB", "MLA1234567890"), /item id of site MLB/);
  assert.throws(() => itemTarget("MLB", "https://evil.example/MLB-1234567890-_JM"), /https URL on mercadolivre/);
  assert.throws(() => itemTarget("MLB", "http://produto.mercadolivre.com.br/MLB-1234567890-_JM"), /https URL/);
  assert.throws(() => itemTarget("MLB", "https://u:p@produto.mercadolivre.com.br/MLB-1234567890-_JM"), /https URL/);
  assert.throws(() => itemTarget("MLB", "https://produto.mercadolivre.com.br:8443/MLB-1234567890-_JM"), /https URL/);
  assert.throws(() => itemTarget("MLB", "https://www.mercadolivre.com.br/ofertas"), /must name an item/);
  assert.throws(() => itemTarget("MLB", "https://www.mercadolibre.com.mx/MLM-1234567890-_JM"), /https URL on/);
  assert.throws(() => itemTarget("MLB", "iphone"), /item id like MLB1234567890/);
  assert.throws(() => itemTarget("MLB", `https://produto.mercadolivre.com.br/${"x".repeat(600)}`), /at most 500/);
});
