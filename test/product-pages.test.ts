/** The scripted pages read as the parser reads Mercado Livre's: the buy box, the price, nothing for sale. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseProductPage } from "../edge/scraper/product/parse-product-page.ts";
import { catalogPage, itemPage } from "./product-pages.ts";

test("scripted pages: a catalog page's buy box and price, an item page's price, and nothing for sale", () => {
  const url = "https://www.mercadolivre.com.br/p/MLB7770099";
  const box = parseProductPage(
    catalogPage("MLB7770099", "Console X", { itemId: "MLB3100000002", seller: "LOJA B", price: "145.50" }),
    { url },
  );
  assert.deepEqual(
    [box.kind, box.details?.product_id, box.details?.shown_item_id, box.details?.seller_name, box.details?.price],
    ["product", "MLB7770099", "MLB3100000002", "LOJA B", "145.50"],
  );
  assert.equal(parseProductPage(catalogPage("MLB7770099", "Console X", null), { url }).kind, "unavailable_product");
  const item = parseProductPage(itemPage("MLB3100000003", "99.00"), {
    url: "https://produto.mercadolivre.com.br/MLB-3100000003-x-_JM",
  });
  assert.deepEqual([item.details?.shown_item_id, item.details?.price], ["MLB3100000003", "99.00"]);
  assert.equal(parseProductPage(itemPage("MLB3100000003", null), { url: "https://x.br/x" }).details?.available, false);
});
