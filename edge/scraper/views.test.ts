import { test } from "node:test";
import assert from "node:assert/strict";
import { fetchUrl, viewUrl } from "./views.ts";

test("views: deal views per site, 1-based pages", () => {
  assert.equal(viewUrl({ site: "MLB", view: "all" }, 1).toString(), "https://www.mercadolivre.com.br/ofertas");
  assert.equal(viewUrl({ site: "MLB", view: "all" }, 3).toString(), "https://www.mercadolivre.com.br/ofertas?page=3");
  assert.equal(
    viewUrl({ site: "MLA", view: "lightning" }, 2).toString(),
    "https://www.mercadolibre.com.ar/ofertas?promotion_type=lightning&page=2",
  );
  assert.equal(
    viewUrl({ site: "MLM", view: "deal_of_the_day" }, 1).toString(),
    "https://www.mercadolibre.com.mx/ofertas?promotion_type=deal_of_the_day",
  );
  assert.equal(
    viewUrl({ site: "MLB", view: "category", category: "MLB1051" }, 1).toString(),
    "https://www.mercadolivre.com.br/ofertas?category=MLB1051",
  );
});

test("views: nothing but a category id of the same site can be chosen", () => {
  assert.throws(() => viewUrl({ site: "MLB", view: "category", category: "MLA1051" }, 1), /MLB category id/);
  assert.throws(() => viewUrl({ site: "MLB", view: "category", category: "MLB1/../../x" }, 1), /category id/);
  assert.throws(() => viewUrl({ site: "MLB", view: "category" }, 1), /category id/);
  assert.throws(() => viewUrl({ site: "MLB", view: "all" }, 0), /page/);
  assert.throws(() => viewUrl({ site: "MLB", view: "all" }, 21), /page/);
});

test("views: a base URL replaces scheme and host only", () => {
  const url = fetchUrl(viewUrl({ site: "MLB", view: "lightning" }, 2), "http://127.0.0.1:8080/pages");
  assert.equal(url.toString(), "http://127.0.0.1:8080/pages/ofertas?promotion_type=lightning&page=2&site=MLB");
  assert.equal(
    fetchUrl(new URL("https://www.mercadolivre.com.br/ofertas"), null).toString(),
    "https://www.mercadolivre.com.br/ofertas",
  );
});
