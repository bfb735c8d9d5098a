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
    // the page shows no seller card: no standing, never a guess
    seller_id: null,
    seller_reputation: null,
    seller_power_status: null,
    seller_sales_text: null,
    seller_sales_min: null,
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

const SELLER_CARD = (type: string) =>
  `<div class="ui-seller-data-footer__container"><a href="https://www.mercadolivre.com.br/pagina/vendedor?item_id=MLB1234567890#origin=vip&amp;component=sellerData&amp;typeSeller=${type}">Ir para a página do vendedor</a></div>`;

test("product page: an ordinary seller's name is a nickname, which its seller links say (typeSeller=classic)", () => {
  const classic = ITEM.replace("FERRAGENS SILVA", "SILVAFERRAGENS2019").replace(
    "</body>",
    `${SELLER_CARD("classic")}</body>`,
  );
  const page = parseProductPage(classic, { url: "https://produto.mercadolivre.com.br/x" });
  assert.equal(page.details?.seller_name, "SILVAFERRAGENS2019");
  assert.equal(page.details?.seller_name_kind, "nickname");
  assert.equal(page.details?.official_store, false);

  const shop = parseProductPage(ITEM.replace("</body>", `${SELLER_CARD("eshop")}</body>`), { url: "https://x.br/x" });
  assert.equal(shop.details?.seller_name_kind, "store_name", "a shop's name is a store name");
  const official = parseProductPage(ITEM.replace("</body>", `${SELLER_CARD("official_store")}</body>`), {
    url: "https://produto.mercadolivre.com.br/x",
  });
  assert.equal(official.details?.seller_name_kind, "official_store_name");
  assert.equal(official.details?.official_store, true);
});

test("product page: the category id from the breadcrumb, else from the page's analytics event, never from a recommendation", () => {
  const url = "https://produto.mercadolivre.com.br/x";
  const crumb = ITEM.replace(
    'href="https://lista.mercadolivre.com.br/ferramentas/eletricas"',
    'href="https://lista.mercadolivre.com.br/ferramentas/eletricas/_CategoryID_MLB2345"',
  );
  assert.equal(parseProductPage(crumb, { url }).details?.category_id, "MLB2345");
  assert.equal(parseProductPage(crumb, { url }).coverage?.fields.category_id?.sources.markup, 1);

  const event =
    `<script>window.dataLayer=[];dataLayer.push({"event":"gtm","pageId":"VIP","categoryId":"MLB2346","itemId":"MLB1234567890"});</script>`;
  // the same event pushed by a wrapper that names the layer, keys unquoted
  const wrapped =
    `<script>(function(w,l,e){w[l]=w[l]||[];w[l].push(e)})(window,'dataLayer',{itemId:'MLB1234567890',categoryId:'MLB2347'});</script>`;
  assert.equal(parseProductPage(ITEM.replace("</body>", `${wrapped}</body>`), { url }).details?.category_id, "MLB2347");
  const analytics = parseProductPage(ITEM.replace("</body>", `${event}</body>`), { url });
  assert.equal(analytics.details?.category_id, "MLB2346");
  assert.deepEqual(analytics.coverage?.fields.category_id, { present: 1, sources: { analytics: 1 } });

  const recommendation =
    `<script>var recos={"items":[{"id":"MLB999","category_id":"MLB1055"}],"categoryId":"MLB1055"};</script>`;
  const none = parseProductPage(ITEM.replace("</body>", `${recommendation}</body>`), { url });
  assert.equal(none.details?.category_id, null, "another item's category is not this page's");
});

test("product page coverage: one per field the page carried, from the markup; none for what it lacks", () => {
  const page = parseProductPage(ITEM, { url: "https://produto.mercadolivre.com.br/x" });
  const fields = page.coverage!.fields;
  assert.equal(page.coverage!.cards, 1);
  assert.equal(page.coverage!.state, null);
  assert.deepEqual(fields.price, { present: 1, sources: { markup: 1 } });
  assert.deepEqual(fields.attributes, { present: 1, sources: { markup: 1 } });
  assert.deepEqual(fields.category_id, { present: 0, sources: {} });
  assert.deepEqual(fields.product_id, { present: 0, sources: {} });
  const missing = Object.entries(fields).filter(([, f]) => f.present === 0).map(([name]) => name).sort();
  assert.deepEqual(missing, [
    "category_id",
    "product_id",
    "seller_id",
    "seller_power_status",
    "seller_reputation",
    "seller_sales_min",
    "seller_sales_text",
    "user_product_id",
  ]);
});

const CATALOG = fixture("product/catalog-mx-gtm.html");

test("product page shaped differently: the category from a tag manager's push, the seller's standing from its card, wherever they sit", () => {
  const page = parseProductPage(CATALOG, { url: "https://www.mercadolibre.com.mx/x/p/MLM9876543" });
  assert.equal(page.kind, "product", page.reason);
  const d = page.details!;
  assert.equal(d.product_id, "MLM9876543");
  assert.equal(d.shown_item_id, "MLM5550001111");
  assert.equal(d.price, "899.00");
  // the wrapper's object names the page (pageId, its item); the recommendations' push names another item
  assert.equal(d.category_id, "MLM3697");
  assert.deepEqual(page.coverage?.fields.category_id, { present: 1, sources: { analytics: 1 } });
  assert.deepEqual(
    [d.seller_name, d.seller_name_kind, d.seller_id, d.seller_reputation, d.seller_power_status],
    ["SONIDO TOTAL MX", "store_name", "777001", "4_light_green", "gold"],
  );
  assert.deepEqual([d.seller_sales_text, d.seller_sales_min], ["+500 ventas", 500]);
  assert.equal(d.available_quantity, null, "a bucket is not a quantity");
});

test("product page: without analytics, the category the page's own seller links carry (never a recommendation's link)", () => {
  const url = "https://www.mercadolibre.com.mx/x/p/MLM9876543";
  const noAnalytics = CATALOG.replace(/<script>[^]*?<\/script>/g, "");
  const page = parseProductPage(noAnalytics, { url });
  assert.equal(page.details?.category_id, "MLM3697");
  assert.deepEqual(page.coverage?.fields.category_id, { present: 1, sources: { markup: 1 } });
  // the seller's link gone, only the recommendation's link names a category: it is another item's
  const onlyRecommendation = noAnalytics.replace(/item_id=MLM5550001111&amp;category_id=MLM3697&amp;/, "");
  assert.equal(parseProductPage(onlyRecommendation, { url }).details?.category_id, null);
  // nor does a recommendation's analytics object count without the page's wrapper
  const onlyRecoAnalytics = CATALOG.replace(/\(function\(w,d,l,e\)[^]*?\);\n/, "");
  assert.equal(
    parseProductPage(onlyRecoAnalytics.replace(/category_id=MLM3697/, ""), { url }).details?.category_id,
    null,
  );
});

test("product page: the seller's standing from the state's tracking data when the card shows none; none on a page selling nothing", () => {
  const noCard = CATALOG.replace(/<section class="ui-seller-data">[^]*?<\/section>/, "");
  const state = `<script id="__PRELOADED_STATE__" type="application/json">${
    JSON.stringify({
      pageState: {
        initialState: {
          id: "MLM9876543",
          components: {
            track: {
              melidata_event: {
                event_data: { reputation_level: "3_yellow", power_seller_status: null, seller_id: 42 },
              },
            },
          },
        },
      },
    })
  }</script>`;
  const page = parseProductPage(noCard.replace("</body>", `${state}</body>`), { url: "https://x.com.mx/p/MLM9876543" });
  assert.deepEqual(
    [page.details?.seller_reputation, page.details?.seller_power_status, page.details?.seller_id],
    ["3_yellow", null, "42"],
  );
  assert.deepEqual(page.coverage?.fields.seller_reputation, { present: 1, sources: { state: 1 } });
  const unavailable = CATALOG.replace(/<div class="ui-pdp-price">[^]*?<\/div>\s*<\/div>/, "");
  const gone = parseProductPage(unavailable, { url: "https://x.com.mx/p/MLM9876543" });
  assert.equal(gone.kind, "unavailable_product");
  assert.equal(gone.details?.seller_reputation, null);
});
