/**
 * URL recognition: the pages saved from the real sites (their own URLs and every card's link,
 * from ../shared/ml-pages when present), then each kind of page on each of the 7 sites, then
 * URLs that are not pages to follow, each refused with its reason.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { SITE_CODES, SITES } from "../../shared/sites.ts";
import { viewRequestProblem } from "../scraper/views.ts";
import { expectedFiles, ML_EXPECTED_DIR, ML_PAGES_DIR, mlPagesSkip } from "../../test/ml-pages.ts";
import { recognise } from "./page-url.ts";

/** A recognised target must also be one the scraper builds a URL for (the same check a save makes). */
function expectScrapable(pasted: string) {
  const r = recognise(pasted, "MLB");
  if (!r.ok) throw new Error(`${pasted}: ${r.reason}`);
  expect(viewRequestProblem(r.target)).toBeNull();
  return r;
}

describe("the saved pages' URLs", () => {
  test.skipIf(mlPagesSkip !== false)("each page's own URL (SOURCES.md) is recognised with its site and kind", () => {
    const sources = readFileSync(`${ML_PAGES_DIR}/SOURCES.md`, "utf8");
    const urls = [
      ...sources.matchAll(
        /\| (?:Search results |)(https:\/\/(?:www|lista|listado)\.mercadoli[bv]re\.[a-z.]+\/[^\s()|]*)/g,
      ),
    ]
      .map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const url of urls) {
      const r = expectScrapable(url);
      expect(url).toContain(SITES[r.site].domain);
      expect(r.kind).toBe(url.includes("/ofertas") ? "deals" : "search");
    }
  });

  test.skipIf(mlPagesSkip !== false)("every card's link is an item or product to follow, or an ad link refused", () => {
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
          expect(r.ok ? "" : r.reason).toMatch(/ad's tracking link|seller's product page/);
          refused++;
          continue;
        }
        if (!r.ok) throw new Error(`${card.url}: ${r.reason}`);
        expect(["item", "product"]).toContain(r.kind);
        expect(card.item_id ?? card.product_id ?? "").toContain(r.site);
        expect(viewRequestProblem(r.target)).toBeNull();
        followed++;
      }
    }
    expect(followed).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(0);
  });
});

describe("every kind of page on each of the 7 sites", () => {
  for (const code of SITE_CODES) {
    const s = SITES[code];
    test(`${code}: search, category, deals, product and item pages`, () => {
      const search = expectScrapable(`https://${s.searchHost}/cafeteira-eletrica_PriceRange_100-500_NoIndex_True`);
      expect(search).toMatchObject({ kind: "search", site: code });
      expect(search.ok && search.target).toMatchObject({ view: "search", query: "cafeteira eletrica", price_max: 500 });
      const filtered = expectScrapable(`https://${s.searchHost}/games/consoles/playstation-5-slim_NoIndex_True#x`);
      expect(filtered.ok && filtered.target.query).toBe("playstation 5 slim");
      expect(filtered.ok && filtered.notes.join(" ")).toContain("filters");

      const category = expectScrapable(`https://${s.dealsHost}/ofertas?category=${code}1051&page=2`);
      expect(category).toMatchObject({ kind: "category", target: { view: "category", category: `${code}1051` } });
      const listingCategory = expectScrapable(`https://${s.searchHost}/_CategoryID_${code}1055`);
      expect(listingCategory).toMatchObject({ kind: "category", target: { category: `${code}1055` } });

      expect(expectScrapable(`https://${s.dealsHost}/ofertas`)).toMatchObject({
        kind: "deals",
        target: { view: "all" },
      });
      expect(expectScrapable(`https://${s.dealsHost}/ofertas?promotion_type=lightning#deal`)).toMatchObject({
        target: { view: "lightning" },
      });
      expect(expectScrapable(`${s.dealsHost}/ofertas?promotion_type=deal_of_the_day`)).toMatchObject({
        target: { view: "deal_of_the_day" },
      });

      const product = expectScrapable(`https://${s.dealsHost}/console-x-1-tb/p/${code}31067313?pdp_filters=x#reco`);
      expect(product).toMatchObject({ kind: "product", site: code });
      expect(product.ok && product.target.item).toBe(`https://${s.dealsHost}/console-x-1-tb/p/${code}31067313`);

      const item = expectScrapable(`https://${s.itemHost}/${code}-5387688522-caneta-bic-_JM?searchVariation=1`);
      expect(item).toMatchObject({ kind: "item", target: { view: "item", item: `${code}5387688522` } });
      // a product page with the chosen offer in its hash is that item
      expect(expectScrapable(`https://${s.dealsHost}/x/up/${code}U3326177553#wid=${code}1234567`)).toMatchObject({
        target: { item: `${code}1234567` },
      });
      // http is read as the https page it redirects to
      expect(expectScrapable(`http://${s.itemHost}/${code}-5387688522-x-_JM`).site).toBe(code);
    });
  }

  test("plain words search the chosen site", () => {
    expect(recognise("cafeteira elétrica", "MCO")).toMatchObject({
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
      expect(r.ok).toBe(false);
      expect(r.ok ? "" : r.reason).toMatch(reason);
    });
  }
});
