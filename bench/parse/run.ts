/**
 * Benchmark (not a test): parses the real 2026 deals page repeatedly and reports pages/s,
 * ms/page (median, p95) and MB/s. On Bun it also runs the same extraction on Bun's streaming
 * HTMLRewriter and reports the ratio and whether both produced the same offers. Then each
 * real product page (ml-pages/product/) through the product parser: the enricher's cost per item.
 * And the part of a page's parse that counts its field coverage (edge/scraper/coverage.ts), alone.
 *
 *   bun run bench/parse/run.ts [iterations]
 *   deno run --allow-read --allow-env bench/parse/run.ts [iterations]
 *   npm run bench:parse            (both runtimes)
 *
 * Needs ../shared/ml-pages (or OFERTAS_ML_PAGES).
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { readdirSync } from "node:fs";
import { listingCoverage } from "../../edge/scraper/coverage.ts";
import { parsePage } from "../../edge/scraper/parse-page.ts";
import { parseProductPage } from "../../edge/scraper/product/parse-product-page.ts";

const PAGES = process.env.OFERTAS_ML_PAGES ?? new URL("../../../shared/ml-pages", import.meta.url).pathname;
const PAGE = `${PAGES}/ofertas-br-2026-06-polycard.html`;
const iterations = Number(process.argv[2] ?? 200);
const runtime = "Bun" in globalThis
  ? `bun ${(globalThis as { Bun?: { version: string } }).Bun!.version}`
  : "Deno" in globalThis
  ? `deno ${(globalThis as { Deno?: { version: { deno: string } } }).Deno!.version.deno}`
  : "unknown";

const html = readFileSync(PAGE, "utf8");

async function measure(name: string, run: () => unknown | Promise<unknown>, page = html) {
  const megabytes = new TextEncoder().encode(page).length / 1e6;
  for (let i = 0; i < Math.min(20, iterations); i++) await run(); // warm-up (JIT)
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  const total = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const result = {
    runtime,
    parser: name,
    iterations,
    page_mb: Number(megabytes.toFixed(3)),
    pages_per_s: Number((iterations / total).toFixed(1)),
    ms_median: Number(times[Math.floor(times.length / 2)]!.toFixed(2)),
    ms_p95: Number(times[Math.floor(times.length * 0.95)]!.toFixed(2)),
    mb_per_s: Number(((iterations * megabytes) / total).toFixed(1)),
  };
  console.log(JSON.stringify(result));
  return result;
}

const reference = parsePage(html, { url: PAGE, site: "MLB" });
const dom = await measure("linkedom", () => parsePage(html, { url: PAGE, site: "MLB" }));

if (runtime.startsWith("bun")) {
  const { extractWithHtmlRewriter } = await import("./htmlrewriter-cards.ts");
  const streamed = await extractWithHtmlRewriter(html, "MLB");
  const expected = reference.cards.flatMap((c) => (c.ok ? [c.offer] : []));
  const identical = streamed.length === expected.length &&
    streamed.every((o, i) => JSON.stringify(o) === JSON.stringify(expected[i]));
  const stream = await measure("HTMLRewriter", () => extractWithHtmlRewriter(html, "MLB"));
  console.log(
    JSON.stringify({
      comparison: "HTMLRewriter vs linkedom",
      speedup_median: Number((dom.ms_median / stream.ms_median).toFixed(2)),
      same_offers: identical,
      offers: { linkedom: expected.length, htmlrewriter: streamed.length },
    }),
  );
}

for (const file of readdirSync(`${PAGES}/product`).filter((f) => f.endsWith(".html")).sort()) {
  const page = readFileSync(`${PAGES}/product/${file}`, "utf8");
  const kind = parseProductPage(page, { url: file }).kind;
  await measure(`product page (${kind}): ${file}`, () => parseProductPage(page, { url: file }), page);
}

// the coverage count on its own, from the deals page's 48 cards: what coverage adds to each parse
const cards = reference.cards.flatMap((c) => (c.ok ? [{ offer: c.offer, sources: c.sources ?? {} }] : []));
await measure("coverage count (48 cards, 21 fields)", () => listingCoverage(cards, reference.stateSource), "");
