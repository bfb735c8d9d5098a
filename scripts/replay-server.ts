/**
 * Serves saved Mercado Livre pages as if it were the site, for offline runs and tests:
 *   bun run scripts/replay-server.ts <dir> [--port 8090]
 * Point the route at it with OFERTAS_ML_BASE_URL=http://127.0.0.1:8090.
 *
 * Every .html file in <dir> is classified once. `/ofertas?site=MLB&page=N` answers with the
 * N-th page of offers of that site (files sorted by name), and with an empty results page
 * past the last one, so pagination ends the way it does on the real site.
 *
 * Search pages with a canonical URL answer their search's path (`/playstation-5-slim?site=MLB`,
 * as the route asks for `lista.mercadolivre.com.br/playstation-5-slim`); a later page of it
 * (`_Desde_49…`) is an empty results page, so a watch's pagination ends as on the real site.
 *
 * Product pages (in <dir> or <dir>/product) answer any other path that names an item or a
 * catalog product (`/MLB-123…-_JM`, `/…/p/MLB123`): the page of that id when one is saved, else
 * the first saved product page of the id's site (the enricher's details then describe that
 * page's product, `shown_item_id` says which), else 404.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { idsFromLink } from "../edge/scraper/card-fields.ts";
import { parsePage, ScrapeError } from "../edge/scraper/parse-page.ts";
import { parseProductPage } from "../edge/scraper/product/parse-product-page.ts";
import { serve } from "../shared/serve.ts";
import { stopOnSignals } from "../shared/shutdown.ts";

const EMPTY_PAGE =
  `<!doctype html><html><head><title>Ofertas</title></head><body><section id="results"><div class="items-with-smart-groups"></div></section></body></html>`;

export function indexPages(dir: string): Map<string, string[]> {
  const bySite = new Map<string, string[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".html")).sort()) {
    const html = readFileSync(join(dir, file), "utf8");
    try {
      const page = parsePage(html, { url: file });
      if (page.cards.length === 0) continue;
      bySite.set(page.site, [...(bySite.get(page.site) ?? []), html]);
    } catch (error) {
      if (!(error instanceof ScrapeError)) throw error; // block pages are not pages of offers
    }
  }
  return bySite;
}

/**
 * Saved search pages by "<site>:<slug>", the slug as the page's canonical URL writes it
 * (`lista.mercadolivre.com.br/playstation-5-slim` → `MLB:playstation-5-slim`).
 */
export function indexSearchPages(dir: string): Map<string, string> {
  const bySlug = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".html")).sort()) {
    const html = readFileSync(join(dir, file), "utf8");
    const canonical = /<link[^>]*rel="canonical"[^>]*href="(https:\/\/(?:lista|listado)\.[^"]+)"/.exec(html)?.[1];
    if (!canonical) continue;
    try {
      const page = parsePage(html, { url: file });
      if (page.cards.length) bySlug.set(`${page.site}:${slugOf(new URL(canonical).pathname)}`, html);
    } catch (error) {
      if (!(error instanceof ScrapeError)) throw error;
    }
  }
  return bySlug;
}

/** The search slug of a search path, without the site's suffixes (`_Desde_49`, `_PriceRange_…`, `_NoIndex_True`). */
function slugOf(pathname: string): string {
  const last = pathname.split("/").filter(Boolean).pop() ?? "";
  return decodeURIComponent(last.replace(/_(Desde_\d+|PriceRange_[\d-]+|NoIndex_True).*$/, "")).toLowerCase();
}

export interface ProductPages {
  byId: Map<string, string>;
  bySite: Map<string, string>;
}

export function indexProductPages(dir: string): ProductPages {
  const pages: ProductPages = { byId: new Map(), bySite: new Map() };
  for (const folder of [dir, join(dir, "product")].filter(existsSync)) {
    for (const file of readdirSync(folder).filter((f) => f.endsWith(".html")).sort()) {
      const html = readFileSync(join(folder, file), "utf8");
      const page = parseProductPage(html, { url: file });
      if (!page.details || !page.site) continue;
      for (const id of [page.details.shown_item_id, page.details.product_id]) if (id) pages.byId.set(id, html);
      if (!pages.bySite.has(page.site)) pages.bySite.set(page.site, html);
    }
  }
  return pages;
}

const HTML = { "content-type": "text/html; charset=utf-8" };

export function replayHandler(
  bySite: Map<string, string[]>,
  products: ProductPages = { byId: new Map(), bySite: new Map() },
  searches: Map<string, string> = new Map(),
) {
  return (request: Request): Response => {
    const url = new URL(request.url);
    if (url.pathname !== "/ofertas") {
      const ids = idsFromLink(url.pathname);
      const id = ids.itemId ?? ids.productId;
      if (!id) {
        // a search: its first page when saved; later pages (_Desde_) are the end of the results
        const page = searches.get(`${url.searchParams.get("site") ?? "MLB"}:${slugOf(url.pathname)}`);
        if (!page) return new Response("not found", { status: 404 });
        return new Response(/_Desde_\d+/.test(url.pathname) ? EMPTY_PAGE : page, { headers: HTML });
      }
      const page = products.byId.get(id) ?? products.bySite.get(id.slice(0, 3));
      return page ? new Response(page, { headers: HTML }) : new Response("not found", { status: 404 });
    }
    const pages = bySite.get(url.searchParams.get("site") ?? "MLB") ?? [];
    const n = Number(url.searchParams.get("page") ?? "1");
    return new Response(pages[n - 1] ?? EMPTY_PAGE, { headers: { "content-type": "text/html; charset=utf-8" } });
  };
}

if (import.meta.main) {
  const [dir, flag, value] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: scripts/replay-server.ts <dir-with-saved-pages> [--port N]");
    process.exit(2);
  }
  const bySite = indexPages(dir);
  const products = indexProductPages(dir);
  const searches = indexSearchPages(dir);
  const server = serve(replayHandler(bySite, products, searches), {
    port: flag === "--port" ? Number(value) : 8090,
    hostname: "127.0.0.1",
    maxRequestBodySize: 1024,
  });
  const counts = Object.fromEntries([...bySite].map(([site, pages]) => [site, pages.length]));
  console.log(JSON.stringify({
    event: "replay_listening",
    url: `http://127.0.0.1:${server.port}`,
    pages_per_site: counts,
    product_pages_for: [...products.bySite.keys()],
    searches: [...searches.keys()],
  }));
  stopOnSignals(server.stop);
}
