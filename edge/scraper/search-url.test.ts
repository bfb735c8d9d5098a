import { test } from "node:test";
import assert from "node:assert/strict";
import { SITE_CODES, SITES } from "../../shared/sites.ts";
import { MAX_QUERY_LENGTH, queryProblem, searchSlug, searchUrl } from "./search-url.ts";

test("search: Brazil's lista host, the others' listado hosts, the query as a path slug", () => {
  assert.equal(
    searchUrl({ site: "MLB", query: "iphone 15" }, 1).toString(),
    "https://lista.mercadolivre.com.br/iphone-15",
  );
  assert.equal(
    searchUrl({ site: "MLM", query: "Nintendo  Switch" }, 1).toString(),
    "https://listado.mercadolibre.com.mx/nintendo-switch",
  );
  for (const site of SITE_CODES) {
    const url = searchUrl({ site, query: "playstation 5 slim" }, 1);
    assert.equal(url.hostname, SITES[site].searchHost);
    assert.equal(url.hostname.startsWith(site === "MLB" ? "lista." : "listado."), true, site);
    assert.equal(url.pathname, "/playstation-5-slim");
  }
});

test("search: accents kept and percent-encoded as the site writes them", () => {
  // the saved page's own canonical URL: lista.mercadolivre.com.br/caneta-esferogr%C3%A1fica-azul
  assert.equal(
    searchUrl({ site: "MLB", query: " Caneta Esferográfica   Azul " }, 1).toString(),
    "https://lista.mercadolivre.com.br/caneta-esferogr%C3%A1fica-azul",
  );
  assert.equal(searchSlug("e\u0301"), encodeURIComponent("é")); // NFC first
  assert.equal(searchSlug("tv - 50 polegadas"), "tv-50-polegadas");
});

test("search: page N starts at the site's _Desde_ offset (48 a page in Brazil, 50 elsewhere)", () => {
  assert.equal(
    searchUrl({ site: "MLB", query: "playstation 5 slim" }, 2).toString(),
    "https://lista.mercadolivre.com.br/playstation-5-slim_Desde_49_NoIndex_True",
  );
  assert.equal(
    searchUrl({ site: "MLB", query: "playstation 5 slim" }, 3).pathname,
    "/playstation-5-slim_Desde_97_NoIndex_True",
  );
  assert.equal(
    searchUrl({ site: "MLM", query: "nintendo switch" }, 2).pathname,
    "/nintendo-switch_Desde_51_NoIndex_True",
  );
  for (const site of SITE_CODES) {
    const size = SITES[site].searchPageSize;
    assert.equal(searchUrl({ site, query: "x1" }, 20).pathname, `/x1_Desde_${19 * size + 1}_NoIndex_True`);
  }
});

test("search: an optional price range, checked", () => {
  assert.equal(
    searchUrl({ site: "MLB", query: "iphone 15", priceMin: 100, priceMax: 5000 }, 1).pathname,
    "/iphone-15_PriceRange_100-5000_NoIndex_True",
  );
  assert.equal(
    searchUrl({ site: "MLA", query: "iphone 15", priceMax: 900000 }, 2).pathname,
    "/iphone-15_Desde_51_PriceRange_0-900000_NoIndex_True",
  );
  assert.throws(() => searchUrl({ site: "MLB", query: "x", priceMin: 10 }, 1), /needs price_max/);
  assert.throws(() => searchUrl({ site: "MLB", query: "x", priceMin: 10, priceMax: 5 }, 1), /not be above/);
  assert.throws(() => searchUrl({ site: "MLB", query: "x", priceMin: -1, priceMax: 5 }, 1), /whole number/);
  assert.throws(() => searchUrl({ site: "MLB", query: "x", priceMax: 1.5 }, 1), /whole number/);
  assert.throws(() => searchUrl({ site: "MLB", query: "x", priceMax: 0 }, 1), /above 0/);
});

test("search: bounded length, words and charset; nothing that changes the path", () => {
  assert.equal(queryProblem("iphone 15"), null);
  assert.equal(queryProblem("D'Ávila 1.5"), null);
  assert.match(queryProblem("")!, /at least one/);
  assert.match(queryProblem("  - . ")!, /at least one/);
  assert.match(queryProblem("a".repeat(MAX_QUERY_LENGTH + 1))!, /at most 100 characters/);
  assert.match(queryProblem(Array(13).fill("w").join(" "))!, /at most 12 words/);
  for (const hostile of ["../admin", "a/b", "x?y=1", "x#y", "a%2Fb", "x_Desde_1", "<script>", "a\nb", "x&y"]) {
    assert.match(queryProblem(hostile) ?? "", /only letters, digits/, hostile);
    assert.throws(() => searchUrl({ site: "MLB", query: hostile }, 1), RangeError);
  }
});
