/**
 * The command line: accounts (`users add|list`, users-cli.ts), the watches (`watch add|list|rm|tick`, edge/watches/watch-cli.ts), a test
 * message on an alert channel (`alerts test <channel>`, alert/alert-cli.ts), keeping a page as a
 * fixture (`capture`, capture-cli.ts), the scraper's drifts (`drift list|reset`, drift-cli.ts) and
 * inspecting a saved page, a listing (deals or search) or a product page:
 *   bun run edge/cli.ts parse <file.html> [--site MLB] [--page N] [--kind auto|listing|product] [--coverage]
 *   deno run --allow-read edge/cli.ts parse <file.html>
 *
 * A listing prints one valid offer per line (NDJSON) on stdout; a product page prints its
 * details as one JSON line; `--coverage` prints the page's field coverage instead (one JSON
 * line: cards, and per field how many carried it and from where). stderr: one JSON summary line.
 * `--kind auto` (the default) reads the page as a product page when it has a product title or a
 * product page's state.
 * Exit codes: 0 ok (every card valid; a product or an unavailable product), 1 some cards
 * (or the product's fields) invalid, 2 usage, 3 blocked, 4 challenge, 5 unknown layout.
 */
import { readFile } from "node:fs/promises";
import process from "node:process";
import { isSiteCode, type SiteCode } from "../shared/sites.ts";
import { runCaptureCli } from "./capture-cli.ts";
import { looksLikeProductPage } from "./scraper/capture.ts";
import { type ParsedPage, parsePage, ScrapeError } from "./scraper/parse-page.ts";
import { parseProductPage, type ProductPage } from "./scraper/product/parse-product-page.ts";
import { runWatchCli } from "./watches/watch-cli.ts";

export const EXIT = { ok: 0, invalid: 1, usage: 2, blocked: 3, challenge: 4, unknown_layout: 5 } as const;
const KINDS = ["auto", "listing", "product"] as const;
type Kind = typeof KINDS[number];

export interface CliOutput {
  stdout(line: string): void;
  stderr(line: string): void;
}

class UsageError extends Error {}

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

export function summarizeProduct(page: ProductPage) {
  const missing = page.details
    ? Object.entries(page.details).filter(([, value]) => value === null).map(([field]) => field)
    : [];
  return { kind: page.kind, site: page.site, reason: page.reason, missing_fields: missing, warnings: page.warnings };
}

export { looksLikeProductPage };

function parseArgs(args: string[]) {
  const [command, file, ...rest] = args;
  if (command !== "parse" || !file) throw new UsageError("expected: parse <file.html>");
  let site: SiteCode | undefined;
  let page = 1;
  let kind: Kind = "auto";
  let coverage = false;
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (flag === "--coverage") {
      coverage = true;
      i--;
    } else if (flag === "--site" && value && isSiteCode(value)) site = value;
    else if (flag === "--page" && value && /^\d+$/.test(value)) page = Number(value);
    else if (flag === "--kind" && (KINDS as readonly string[]).includes(value ?? "")) kind = value as Kind;
    else throw new UsageError(`bad option ${flag ?? ""} ${value ?? ""}`.trim());
  }
  return { file, site, page, kind, coverage };
}

function parseListing(html: string, file: string, options: ReturnType<typeof parseArgs>, out: CliOutput) {
  const { site, page } = options;
  try {
    const parsed = parsePage(html, { url: `file://${file}`, site, page });
    if (options.coverage) out.stdout(JSON.stringify(parsed.coverage));
    else for (const card of parsed.cards) if (card.ok) out.stdout(JSON.stringify(card.offer));
    const summary = summarize(parsed);
    out.stderr(JSON.stringify(summary));
    return summary.errors.length ? EXIT.invalid : EXIT.ok;
  } catch (error) {
    if (!(error instanceof ScrapeError)) throw error;
    out.stderr(JSON.stringify({ error: error.kind, url: error.url, message: error.message }));
    return EXIT[error.kind as "blocked" | "challenge" | "unknown_layout"] ?? EXIT.unknown_layout;
  }
}

function parseProduct(html: string, file: string, options: ReturnType<typeof parseArgs>, out: CliOutput) {
  const page = parseProductPage(html, { url: `file://${file}`, site: options.site });
  if (options.coverage) out.stdout(JSON.stringify(page.coverage));
  else if (page.details) out.stdout(JSON.stringify(page.details));
  out.stderr(JSON.stringify(summarizeProduct(page)));
  switch (page.kind) {
    case "product":
    case "unavailable_product":
      return EXIT.ok;
    case "invalid":
      return EXIT.invalid;
    default:
      return EXIT[page.kind];
  }
}

export async function runCli(args: string[], out: CliOutput): Promise<number> {
  if (args[0] === "alerts") {
    // the alerter's code (nodemailer, the warehouse) stays out of the runtime-neutral edge: loaded by name
    const module = "../alert/alert-cli.ts";
    const { runAlertCli } = await import(module) as typeof import("../alert/alert-cli.ts");
    return runAlertCli(args.slice(1), { ...out, env: process.env });
  }
  if (args[0] === "capture") return runCaptureCli(args.slice(1), out);
  if (args[0] === "users") {
    const { runUsersCli } = await import("./users-cli.ts");
    return runUsersCli(args.slice(1), { ...out, env: process.env, readLine: readStdinLine });
  }
  if (args[0] === "drift") {
    // Kafka's client is loaded only for the commands that talk to it (`parse` reads a file)
    const { runDriftCli } = await import("./drift-cli.ts");
    return runDriftCli(args.slice(1), { ...out, env: process.env });
  }
  if (args[0] === "watch") {
    return runWatchCli(args.slice(1), { ...out, env: process.env, fetch: (input, init) => fetch(input, init) });
  }
  let options: ReturnType<typeof parseArgs>;
  let html: string;
  try {
    options = parseArgs(args);
    html = await readFile(options.file, "utf8").catch((error: Error) => {
      throw new UsageError(`cannot read ${args[1]}: ${error.message}`);
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    out.stderr(error.message);
    out.stderr(
      "usage: edge/cli.ts parse <file.html> [--site MLB|MLA|MLM|…] [--page N] [--kind auto|listing|product] [--coverage]\n" +
        "       edge/cli.ts capture <url-or-file.html> [--site MLB|…] [--into DIR]\n" +
        "       edge/cli.ts drift list | drift reset <site>/<view>\n" +
        "       edge/cli.ts watch add|list|rm|tick …   (edge/cli.ts watch for its options)\n" +
        "       edge/cli.ts alerts test <channel>\n" +
        "       edge/cli.ts users add <login> [--role admin|member] [--password-stdin] | users list",
    );
    return EXIT.usage;
  }
  const { file, kind } = options;
  const product = kind === "product" || (kind === "auto" && looksLikeProductPage(html));
  return product ? parseProduct(html, file, options, out) : parseListing(html, file, options, out);
}

if (import.meta.main) {
  const code = await runCli(process.argv.slice(2), {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  });
  // let stdout drain before exiting with the status
  process.exitCode = code;
}

/** One line of standard input (a password given with --password-stdin). */
async function readStdinLine(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes("\n") || text.length > 1_024) break;
  }
  return text.split("\n")[0] ?? "";
}
