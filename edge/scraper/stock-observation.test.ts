/**
 * What product pages say of the stock: an item's own page speaks for the listing, a catalog page
 * for the product; a page with nothing for sale is an observation of "sold out", a page that is no
 * product page is no observation at all. And the message contract's rules.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseProductPage } from "./product/parse-product-page.ts";
import { stockOf } from "./stock-observation.ts";
import { validateStockMessage } from "../../shared/contract/stock-message.ts";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const ITEM_URL = "https://produto.mercadolivre.com.br/MLB-1234567890-furadeira-_JM";
const CATALOG_URL = "https://www.mercadolibre.com.mx/audifonos/p/MLM9876543";

test("stock: an item's own page speaks for its listing: for sale, the units and price it shows", () => {
  const page = parseProductPage(fixture("product/item-br.html"), { url: ITEM_URL });
  assert.deepEqual(stockOf(page, ITEM_URL, "MLB", "MLB1234567890"), {
    site: "MLB",
    subject: "item",
    item_id: "MLB1234567890",
    product_id: null,
    title: "Furadeira de Impacto 650W",
    available: true,
    available_quantity: 2,
    price: "249.90",
    seller: "FERRAGENS SILVA",
  });
});

test("stock: a catalog page speaks for its product, the buy box's listing beside it; nothing for sale is sold out", () => {
  const html = fixture("product/catalog-mx-gtm.html");
  const page = parseProductPage(html, { url: CATALOG_URL });
  const seen = stockOf(page, CATALOG_URL, "MLM", null)!;
  assert.deepEqual([seen.subject, seen.product_id, seen.item_id, seen.available], [
    "product",
    "MLM9876543",
    "MLM5550001111",
    true,
  ]);
  const gone = parseProductPage(html.replace(/<div class="ui-pdp-price">[^]*?<\/div>\s*<\/div>/, ""), {
    url: CATALOG_URL,
  });
  assert.deepEqual(stockOf(gone, CATALOG_URL, "MLM", null), {
    site: "MLM",
    subject: "product",
    item_id: null,
    product_id: "MLM9876543",
    title: "Audífonos Inalámbricos X200",
    available: false,
    available_quantity: null,
    price: null,
    seller: null,
  });
});

test("stock: a challenge or a page of another layout says nothing of the stock", () => {
  const challenge = parseProductPage(fixture("challenge-micro-landing.html"), { url: CATALOG_URL });
  assert.equal(stockOf(challenge, CATALOG_URL, "MLM", null), null);
  const listing = parseProductPage(fixture("deals-br.html"), { url: ITEM_URL });
  assert.equal(stockOf(listing, ITEM_URL, "MLB", "MLB1234567890"), null);
});

test("stock message: the subject's id is required, ids are the site's, a run belongs to a watch, nothing for sale has no price", () => {
  const base = {
    schema_version: 1,
    site: "MLB",
    subject: "product",
    item_id: null,
    product_id: "MLB22246671",
    title: "Console PlayStation 5 Slim 1 TB",
    available: false,
    available_quantity: null,
    price: null,
    seller: null,
    observed_at: "2026-06-16T14:05:00.000Z",
    source: "route",
    watch_id: "ps5",
    watch_run: 3,
    page_url: "https://www.mercadolivre.com.br/p/MLB22246671",
  };
  assert.ok(validateStockMessage(base).ok);
  const problems = (m: Record<string, unknown>) => {
    const r = validateStockMessage(m);
    return r.ok ? [] : r.problems.map((p) => p.field);
  };
  assert.deepEqual(problems({ ...base, product_id: null }), ["product_id"]);
  assert.deepEqual(problems({ ...base, subject: "item" }), ["item_id"]);
  assert.deepEqual(problems({ ...base, product_id: "MLA22246671" }), ["product_id"]);
  assert.deepEqual(problems({ ...base, watch_id: null }), ["watch_run"]);
  assert.deepEqual(problems({ ...base, price: "10.00" }), ["available"]);
  assert.deepEqual(problems({ ...base, source: "guess" }), ["source"]);
});
