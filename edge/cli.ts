/**
 * Inspect a saved page:
 *   bun run edge/cli.ts parse <file.html> [--site MLB] [--page N]
 *   deno run --allow-read edge/cli.ts parse <file.html>
 *
 * stdout: one valid offer per line (NDJSON). stderr: one JSON summary line (cards found,
 * offers valid, missing values per field, errors). Exit codes: 0 every card valid,
 * 1 some cards invalid, 2 usage, 3 blocked, 4 challenge, 5 unknown layout.
 */
import { readFile } from "node:fs/promises";
import process from "node:process";
import { isSiteCode } from "../shared/sites.ts";
import { type ParsedPage, parsePage, ScrapeError } from "./scraper/parse-page.ts";

const EXIT = { ok: 0, invalidCards: 1, usage: 2, blocked: 3, challenge: 4, unknown_layout: 5 } as const;

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: edge/cli.ts parse <file.html> [--site MLB|MLA|MLM] [--page N]\n`);
  process.exit(EXIT.usage);
}

export function summarize(page: ParsedPage) {
  const valid = page.cards.filter((c) => c.ok);
  const missing: Record<string, number> = {};
  for (const card of valid) {
    for (const [field, value] of Object.entries(card.offer)) {
      if (value === null) missing[field] = (missing[field] ?? 0) + 1;
    }
  }
  return {
    site: page.site,
    layout: page.layout,
    cards_found: page.cards.length,
    offers_valid: valid.length,
    missing_per_field: missing,
    errors: page.cards.flatMap((c) => (c.ok ? [] : c.errors.map((e) => `card ${c.position}: ${e}`))),
    cross_check_warnings: page.cards.flatMap((c) => c.warnings.map((w) => `card ${c.position}: ${w}`)),
    next_url: page.nextUrl,
  };
}

async function main(args: string[]): Promise<number> {
  const [command, file, ...rest] = args;
  if (command !== "parse" || !file) usage("expected: parse <file.html>");
  let site: string | undefined;
  let page = 1;
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (flag === "--site" && value && isSiteCode(value)) site = value;
    else if (flag === "--page" && value && /^\d+$/.test(value)) page = Number(value);
    else usage(`bad option ${flag ?? ""} ${value ?? ""}`.trim());
  }

  let html: string;
  try {
    html = await readFile(file, "utf8");
  } catch (error) {
    usage(`cannot read ${file}: ${(error as Error).message}`);
  }

  try {
    const parsed = parsePage(html, { url: `file://${file}`, site: site as never, page });
    for (const card of parsed.cards) if (card.ok) process.stdout.write(`${JSON.stringify(card.offer)}\n`);
    const summary = summarize(parsed);
    process.stderr.write(`${JSON.stringify(summary)}\n`);
    return summary.errors.length ? EXIT.invalidCards : EXIT.ok;
  } catch (error) {
    if (!(error instanceof ScrapeError)) throw error;
    process.stderr.write(`${JSON.stringify({ error: error.kind, url: error.url, message: error.message })}\n`);
    return EXIT[error.kind as "blocked" | "challenge" | "unknown_layout"] ?? EXIT.unknown_layout;
  }
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2));
  // let stdout drain before exiting with the status
  process.exitCode = code;
}
