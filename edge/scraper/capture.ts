/**
 * Page capture: a page as the site serves it today, kept with what it was (site, kind, when,
 * URL, size, hash) and what the parser found on it (its coverage). Captures live in
 * edge/scraper/fixtures/captured/ by default; captured-conformance.test.ts reads them back, so
 * a drifted page becomes a test the moment it is saved (edge/SCRAPER.md, "When the site changes").
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { hexPrefix, sha256 } from "../../shared/sha256.ts";
import type { SiteCode } from "../../shared/sites.ts";
import { compactCoverage, type PageCoverage } from "./coverage.ts";
import { parsePage, ScrapeError } from "./parse-page.ts";
import { parseProductPage } from "./product/parse-product-page.ts";

export const CAPTURE_DIR = new URL("./fixtures/captured/", import.meta.url).pathname;

/** A product page's own markers: listing pages carry neither (they may mention ui-pdp-description). */
export function looksLikeProductPage(html: string): boolean {
  return /ui-pdp-title/.test(html) || /"layout":"(?:pdp|vip)"/.test(html);
}

export interface PageReading {
  /** deals, search, fragments, empty; product, unavailable_product; blocked, challenge, unknown_layout, invalid… */
  kind: string;
  site: SiteCode | null;
  coverage: PageCoverage | null;
  /** Why, when the page is not one of offers or of a product. */
  reason: string | null;
}

/** What a saved page is and what its fields are, the way the route would read it. */
export function readSavedPage(html: string, url: string, site?: SiteCode): PageReading {
  if (looksLikeProductPage(html)) {
    const page = parseProductPage(html, { url, site });
    return { kind: page.kind, site: page.site, coverage: page.coverage, reason: page.details ? null : page.reason };
  }
  try {
    const page = parsePage(html, { url, site });
    return { kind: page.layout, site: page.site, coverage: page.coverage, reason: null };
  } catch (error) {
    if (!(error instanceof ScrapeError)) throw error;
    return { kind: error.kind, site: site ?? null, coverage: null, reason: error.message };
  }
}

export interface CaptureMeta {
  /** The page's file, next to this one. */
  file: string;
  site: SiteCode | null;
  kind: string;
  captured_at: string;
  /** Where it came from: the URL fetched, or the file read. */
  url: string;
  bytes: number;
  sha256: string;
  /** What the parser found when it was captured: captured-conformance.test.ts holds later parsers to it. */
  coverage: ReturnType<typeof compactCoverage> | null;
  reason: string | null;
}

export interface CaptureOptions {
  /** Where the page came from (a URL or a file path). */
  source: string;
  site?: SiteCode;
  dir?: string;
  now?: Date;
}

/** Writes `<site>-<kind>-<day>-<hash>.html` and its `.meta.json`; the same page twice is one capture. */
export async function capturePage(html: string, options: CaptureOptions): Promise<CaptureMeta> {
  const dir = (options.dir ?? CAPTURE_DIR).replace(/\/?$/, "/");
  const now = options.now ?? new Date();
  const url = /^https?:\/\//.test(options.source) ? options.source : `file://${options.source}`;
  const reading = readSavedPage(html, url, options.site);
  const hash = hexPrefix(await sha256(html), 32);
  const name = `${(reading.site ?? "xx").toLowerCase()}-${reading.kind.replace(/_/g, "-")}-${
    now.toISOString().slice(0, 10)
  }-${hash.slice(0, 8)}`;
  const meta: CaptureMeta = {
    file: `${name}.html`,
    site: reading.site,
    kind: reading.kind,
    captured_at: now.toISOString(),
    url: options.source,
    bytes: new TextEncoder().encode(html).length,
    sha256: hash,
    coverage: reading.coverage ? compactCoverage(reading.coverage) : null,
    reason: reading.reason,
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}${name}.html`, html);
  writeFileSync(`${dir}${name}.meta.json`, `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}
