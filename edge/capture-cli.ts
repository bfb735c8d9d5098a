/**
 * `edge/cli.ts capture <url-or-file> [--site MLB] [--into DIR]`: keeps a page as a fixture
 * (scraper/capture.ts) and prints what was kept, coverage included, as one JSON line. A URL is
 * fetched as the route fetches (polite, bounded); it must be a Mercado Libre page unless
 * `--site` says which site a page elsewhere (a replay server) stands for.
 */
import { readFile } from "node:fs/promises";
import { isHostOfSite, isSiteCode, SITE_CODES, type SiteCode, SITES } from "../shared/sites.ts";
import { capturePage } from "./scraper/capture.ts";
import { FetchFailure, PoliteFetcher } from "./scraper/polite-fetch.ts";
import { siteRedirects } from "./scraper/scrape-view.ts";

export interface CaptureCliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  /** How a URL is fetched (tests pass their own). */
  fetcher?: PoliteFetcher;
}

const USAGE = "usage: edge/cli.ts capture <url-or-file.html> [--site MLB|MLA|MLM|…] [--into DIR]";

export async function runCaptureCli(args: string[], io: CaptureCliIo): Promise<number> {
  const [source, ...rest] = args;
  let site: SiteCode | undefined;
  let dir: string | undefined;
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (flag === "--site" && value && isSiteCode(value)) site = value;
    else if (flag === "--into" && value) dir = value;
    else return usage(io, `bad option ${flag ?? ""} ${value ?? ""}`.trim());
  }
  if (!source) return usage(io, "expected: capture <url-or-file.html>");

  let html: string;
  if (/^https?:\/\//.test(source)) {
    const url = new URL(source);
    const at = site ?? SITE_CODES.find((code) => isHostOfSite(url.hostname, code));
    if (!at) return usage(io, `${url.hostname} is not a Mercado Libre host; say which site it stands for with --site`);
    const fetcher = io.fetcher ?? new PoliteFetcher();
    try {
      // a page elsewhere (a replay server) may redirect within itself; the site's own, within the site
      const redirects = site ? siteRedirects(at, url.origin) : siteRedirects(at, null);
      html = (await fetcher.get(url, SITES[at].locale, redirects)).body;
    } catch (error) {
      const kind = error instanceof FetchFailure ? error.kind : "network";
      io.stderr(JSON.stringify({ error: kind, url: source, message: (error as Error).message }));
      return 1;
    }
    site = at;
  } else {
    try {
      html = await readFile(source, "utf8");
    } catch (error) {
      return usage(io, `cannot read ${source}: ${(error as Error).message}`);
    }
  }
  const meta = await capturePage(html, { source, site, dir });
  io.stdout(JSON.stringify(meta));
  return 0;
}

function usage(io: CaptureCliIo, problem: string): number {
  io.stderr(problem);
  io.stderr(USAGE);
  return 2;
}
