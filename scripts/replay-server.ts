/**
 * Serves saved Mercado Livre pages as if it were the site, for offline runs and tests:
 *   bun run scripts/replay-server.ts <dir> [--port 8090]
 * Point the route at it with OFERTAS_ML_BASE_URL=http://127.0.0.1:8090.
 *
 * Every .html file in <dir> is classified once. `/ofertas?site=MLB&page=N` answers with the
 * N-th page of offers of that site (files sorted by name), and with an empty results page
 * past the last one, so pagination ends the way it does on the real site.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { parsePage, ScrapeError } from "../edge/scraper/parse-page.ts";
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

export function replayHandler(bySite: Map<string, string[]>) {
  return (request: Request): Response => {
    const url = new URL(request.url);
    if (url.pathname !== "/ofertas") return new Response("not found", { status: 404 });
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
  const server = serve(replayHandler(bySite), {
    port: flag === "--port" ? Number(value) : 8090,
    hostname: "127.0.0.1",
    maxRequestBodySize: 1024,
  });
  const counts = Object.fromEntries([...bySite].map(([site, pages]) => [site, pages.length]));
  console.log(
    JSON.stringify({ event: "replay_listening", url: `http://127.0.0.1:${server.port}`, pages_per_site: counts }),
  );
  stopOnSignals(server.stop);
}
