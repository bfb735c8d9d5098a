/**
 * The product-page parser on the project's own small pages: every field from the markup alone,
 * the recommendation-card trap, pages that are not products, and the bounds.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseProductPage } from "./parse-product-page.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
const ITEM = fixture("product/item-br.html");

test("product page: every field from the markup when there is no embedded state", () => {
  const page = parseProductPage(ITEM, { url: "https://produto.mercadolivre.com.br/MLB-1234567890-x-_JM" });
  assert.equal(page.kind, "product");
  assert.deepEqual(page.details, {
    site: "MLB",
    shown_item_id: "MLB1234567890",
    product_id: null,
    user_product_id: null,
    title: "Furadeira de Impacto 650W",
    canonical_url: "https://produto.mercadolivre.com.br/MLB-1234567890-furadeira-de-impacto-650w-_JM",
    price: "249.90",
    original_price: "299.90",
    currency: "BRL",
    available: true,
    condition: "used",
    sold_quantity_text: "1 vendido",
    sold_quantity_min: 1,
    available_quantity: 2,
    available_quantity_text: "2 disponíveis",
    seller_name: "FERRAGENS SILVA",
    seller_name_kind: "store_name",
    official_store: false,
    rating: 4.6,
    reviews: 1203,
    category_id: null,
    category_path: ["Ferramentas", "Ferramentas Elétricas"],
    // <br> are line breaks; blank lines and line-end spaces go; JSON-LD's "description" is not used
    description: "Furadeira usada, em ótimo estado.\nAcompanha maleta.\nGarantia de 30 dias.",
    attributes: [
      { name: "Marca", value: "Bosch" },
      { name: "Potência", value: "650 W" },
      { name: "Voltagem", value: "220V" },
    ],
    images: 2,
  });
});

test("product page: a recommendation card's struck price is never the product's", () => {
  const withoutOriginal = ITEM.replace(/<s class="andes-money-amount ui-pdp-price__original-value[^]*?<\/s>/, "");
  const page = parseProductPage(withoutOriginal, { url: "https://produto.mercadolivre.com.br/x" });
  assert.equal(page.details?.price, "249.90");
  assert.equal(page.details?.original_price, null, "the card's R$ 999 stays the card's");
});

test("product page: no price and an unavailability message make an unavailable product without seller or stock", () => {
  const html = ITEM.replace(/<div class="ui-pdp-price">[^]*?<\/div>\s*<\/div>\s*<\/div>/, "")
    .replace("<form>", '<div class="ui-pdp-message">Este produto está indisponível.</div><form>');
  const page = parseProductPage(html, { url: "https://produto.mercadolivre.com.br/x" });
  assert.equal(page.kind, "unavailable_product");
  assert.equal(page.details?.available, false);
  assert.equal(page.details?.price, null);
  assert.equal(page.details?.currency, null);
  assert.equal(page.details?.seller_name, null);
  assert.equal(page.details?.available_quantity_text, null);
  assert.equal(page.details?.title, "Furadeira de Impacto 650W");
});

test("product page: a challenge is a challenge, even with the product's title in its head", () => {
  const page = parseProductPage(fixture("challenge-micro-landing.html"), {
    url: "https://www.mercadolivre.com.br/p/MLB1",
  });
  assert.equal(page.kind, "challenge");
  assert.equal(page.details, null);
});

test("product page: a listing page, a login wall and an empty body are not products", () => {
  assert.equal(
    parseProductPage(fixture("deals-br.html"), { url: "https://www.mercadolivre.com.br/ofertas" }).kind,
    "unknown_layout",
  );
  assert.equal(
    parseProductPage(fixture("blocked-login-wall.html"), { url: "https://www.mercadolivre.com.br/x" }).kind,
    "blocked",
  );
  assert.equal(parseProductPage("", { url: "https://www.mercadolivre.com.br/x" }).kind, "unknown_layout");
});

test("product page: a page of too many elements is refused before a DOM is built", () => {
  const huge = ITEM.replace("</body>", `${"<i></i>".repeat(30_000)}</body>`);
  const started = performance.now();
  const page = parseProductPage(huge, { url: "https://produto.mercadolivre.com.br/x" });
  assert.equal(page.kind, "unknown_layout");
  assert.match(page.reason, /elements/);
  assert.ok(performance.now() - started < 5_000);
});

test("product page: values the contract refuses make an invalid page with the reason, not a wrong row", () => {
  const html = ITEM.replace(
    '<h1 class="ui-pdp-title">  Furadeira de Impacto 650W  </h1>',
    `<h1 class="ui-pdp-title">${"x".repeat(600)}</h1>`,
  );
  const page = parseProductPage(html, { url: "https://produto.mercadolivre.com.br/x" });
  assert.equal(page.kind, "invalid");
  assert.match(page.reason, /title/);
});
