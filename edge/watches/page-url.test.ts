/**
 * URL recognition: the pages saved from the real sites (their own URLs and every card's link,
 * from ../shared/ml-pages when present), then each kind of page on each of the 7 sites, then
 * URLs that are not pages to follow, each refused with its reason.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { like } from "../../test/like.ts";
import { readFileSync } from "node:fs";
import { SITE_CODES, SITES } from "../../shared/sites.ts";
import { viewRequestProblem } from "../scraper/views.ts";
import { expectedFiles, ML_EXPECTED_DIR, ML_PAGES_DIR, mlPagesSkip } from "../../test/ml-pages.ts";
import { recognise } from "./page-url.ts";

/** A recognised target must also be one the scraper builds a URL for (the same check a save makes). */
function expectScrapable(pasted: string) {
  const r = recognise(pasted, "MLB");
  if (!r.ok) throw new Error(`${pasted}: ${r.reason}`);
  assert.equal(viewRequestProblem(r.target), null);
  return r;
}

describe("the saved pages' URLs", () => {
  test("each page's own URL (SOURCES.md) is recognised with its site and kind", { skip: mlPagesSkip }, () => {
    const sources = readFileSync(`${ML_PAGES_DIR}/SOURCES.md`, "utf8");
    const urls = [
      ...sources.matchAll(
        /\| (?:Search results |)(https:\/\/(?:www|lista|listado)\.mercadoli[bv]re\.[a-z.]+\/[^\s()|]*)/g,
      ),
    ]
      .map((m) => m[1]!);
    assert.ok((urls.length) >= (4));
    for (const url of urls) {
      const r = expectScrapable(url);
      assert.ok(url.includes(SITES[r.site].domain));
      assert.equal(r.kind, url.includes("/ofertas") ? "deals" : "search");
    }
  });

  test("every card's link is an item or product to follow, or an ad link refused", { skip: mlPagesSkip }, () => {
    let followed = 0;
    let refused = 0;
    for (const file of expectedFiles(ML_EXPECTED_DIR)) {
      const page = JSON.parse(readFileSync(`${ML_EXPECTED_DIR}/${file}`, "utf8")) as {
        cards: Array<{ url: string; item_id: string | null; product_id: string | null }>;
      };
      for (const card of page.cards) {
        const r = recognise(card.url, "MLA");
        // an ad's tracking link, or a seller's /up/ page: refused, saying what to paste instead
        if (card.url.includes("click1.") || card.url.includes("/up/")) {
          assert.match(r.ok ? "" : r.reason, /ad's tracking link|seller's product page/);
          refused++;
          continue;
        }
        if (!r.ok) throw new Error(`${card.url}: ${r.reason}`);
        assert.ok(["item", "product"].includes(r.kind));
        assert.ok((card.item_id ?? card.product_id ?? "").includes(r.site));
        assert.equal(viewRequestProblem(r.target), null);
        followed++;
      }
    }
    assert.ok(followed > (100));
    assert.ok(refused > (0));
  });
});

describe("every kind of page on each of the 7 sites", () => {
  for (const code of SITE_CODES) {
    const s = SITES[code];
    test(`${code}: search, category, deals, product and item pages`, () => {
      const search = expectScrapable(`https://${s.searchHost}/cafeteira-eletrica_PriceRange_100-500_NoIndex_True`);
      like(search, { kind: "search", site: code });
      like(search.ok && search.target, { view: "search", query: "cafeteira eletrica", price_max: 500 });
      const filtered = expectScrapable(`https://${s.searchHost}/games/consoles/playstation-5-slim_NoIndex_True#x`);
      assert.equal(filtered.ok && filtered.target.query, "playstation 5 slim");
      assert.ok((filtered.ok && filtered.notes.join(" ")).includes("filters"));

      const category = expectScrapable(`https://${s.dealsHost}/ofertas?category=${code}1051&page=2`);
      like(category, { kind: "category", target: { view: "category", category: `${code}1051` } });
      const listingCategory = expectScrapable(`https://${s.searchHost}/_CategoryID_${code}1055`);
      like(listingCategory, { kind: "category", target: { category: `${code}1055` } });

      like(expectScrapable(`https://${s.dealsHost}/ofertas`), {
        kind: "deals",
        target: { view: "all" },
      });
      like(expectScrapable(`https://${s.dealsHost}/ofertas?promotion_type=lightning#deal`), {
        target: { view: "lightning" },
      });
      like(expectScrapable(`${s.dealsHost}/ofertas?promotion_type=deal_of_the_day`), {
        target: { view: "deal_of_the_day" },
      });

      const product = expectScrapable(`https://${s.dealsHost}/console-x-1-tb/p/${code}31067313?pdp_filters=x#reco`);
      like(product, { kind: "product", site: code });
      assert.equal(product.ok && product.target.item, `https://${s.dealsHost}/console-x-1-tb/p/${code}31067313`);

      const item = expectScrapable(`https://${s.itemHost}/${code}-5387688522-caneta-bic-_JM?searchVariation=1`);
      like(item, { kind: "item", target: { view: "item", item: `${code}5387688522` } });
      // a product page with the chosen offer in its hash is that item
      like(expectScrapable(`https://${s.dealsHost}/x/up/${code}U3326177553#wid=${code}1234567`), {
        target: { item: `${code}1234567` },
      });
      // http is read as the https page it redirects to
      assert.equal(expectScrapable(`http://${s.itemHost}/${code}-5387688522-x-_JM`).site, code);
    });
  }

  test("plain words search the chosen site", () => {
    like(recognise("cafeteira elétrica", "MCO"), {
      ok: true,
      kind: "words",
      target: { site: "MCO", view: "search", query: "cafeteira elétrica" },
    });
  });
});

describe("refused, with a reason", () => {
  const cases: Array<[string, RegExp]> = [
    ["https://www.amazon.com.br/dp/B0CHX1W1XY", /not Mercado Livre or Mercado Libre/],
    ["https://www.mercadolibre.com.ve/ofertas", /does not follow/],
    ["https://mercadolivre.com.br.evil.example/ofertas", /not Mercado Livre/],
    ["https://user@www.mercadolivre.com.br/ofertas", /user or a port/],
    ["ftp://www.mercadolivre.com.br/ofertas", /not a web page/],
    ["https://click1.mercadolivre.com.br/mclics/clicks/external/MLB/count?a=x", /ad's tracking link/],
    ["https://myaccount.mercadolivre.com.br/purchases", /not a page of offers/],
    ["https://www.mercadolivre.com.br/ajuda", /lists no offers/],
    ["https://www.mercadolivre.com.br/x/up/MLBU774023525", /seller's product page/],
    ["https://produto.mercadolivre.com.br/MLA-5387688522-x", /another site/],
    ["https://www.mercadolivre.com.br/ofertas?category=MLA1051", /not one of mercadolivre/],
    ["<script>alert(1)</script>", /the words may hold only/],
    ["", /paste a Mercado Livre link/],
    ["x".repeat(3_000), /at most/],
  ];
  for (const [pasted, reason] of cases) {
    test(pasted.slice(0, 60) || "(empty)", () => {
      const r = recognise(pasted, "MLB");
      assert.equal(r.ok, false);
      assert.match(r.ok ? "" : r.reason, reason);
    });
  }
});
