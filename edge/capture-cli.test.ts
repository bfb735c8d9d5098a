/** edge/cli.ts capture and parse --coverage: a page kept with its metadata, and its coverage printed. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createHash } from "node:crypto";
import { EXIT, runCli } from "./cli.ts";
import { PoliteFetcher } from "./scraper/polite-fetch.ts";
import { runCaptureCli } from "./capture-cli.ts";

const fixture = (name: string) => new URL(`./scraper/fixtures/${name}`, import.meta.url).pathname;

async function run(args: string[], fetcher?: PoliteFetcher) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io = { stdout: (l: string) => stdout.push(l), stderr: (l: string) => stderr.push(l) };
  const code = fetcher ? await runCaptureCli(args.slice(1), { ...io, fetcher }) : await runCli(args, io);
  return { code, stdout, stderr };
}

test("capture: a saved page is kept with its site, kind, size, hash and coverage; the same page twice is one capture", async () => {
  const dir = mkdtempSync(`${tmpdir()}/capture-`);
  const { code, stdout } = await run(["capture", fixture("deals-br.html"), "--into", dir]);
  assert.equal(code, 0);
  const meta = JSON.parse(stdout[0]!);
  const html = readFileSync(fixture("deals-br.html"));
  assert.equal(meta.site, "MLB");
  assert.equal(meta.kind, "deals");
  assert.equal(meta.bytes, html.length);
  assert.equal(meta.sha256, createHash("sha256").update(html).digest("hex"));
  assert.match(meta.file, new RegExp(`^mlb-deals-\\d{4}-\\d\\d-\\d\\d-${meta.sha256.slice(0, 8)}\\.html$`));
  assert.deepEqual(readFileSync(`${dir}/${meta.file}`), html);
  assert.deepEqual(JSON.parse(readFileSync(`${dir}/${meta.file.replace(/\.html$/, ".meta.json")}`, "utf8")), meta);
  assert.equal(meta.coverage.cards, 3);
  assert.equal(meta.coverage.fields.title, 3);
  assert.equal(meta.coverage.fields.rating, 1);
  const again = JSON.parse((await run(["capture", fixture("deals-br.html"), "--into", dir])).stdout[0]!);
  assert.equal(again.file, meta.file);
});

test("capture: a challenge is kept as one, with its reason and no coverage", async () => {
  const dir = mkdtempSync(`${tmpdir()}/capture-`);
  const meta = JSON.parse((await run(["capture", fixture("challenge-micro-landing.html"), "--into", dir])).stdout[0]!);
  assert.equal(meta.kind, "challenge");
  assert.equal(meta.coverage, null);
  assert.ok(meta.reason.length > 0);
  assert.ok(existsSync(`${dir}/${meta.file}`));
});

test("capture: a URL is fetched as the route fetches; a host that is not Mercado Libre needs --site", async () => {
  const page = readFileSync(fixture("search-br.html"));
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(page));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/caneta`;
  try {
    const dir = mkdtempSync(`${tmpdir()}/capture-`);
    const fetcher = new PoliteFetcher({ minIntervalMs: 0 });
    const refused = await run(["capture", url, "--into", dir], fetcher);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr[0]!, /not a Mercado Libre host/);
    const { code, stdout } = await run(["capture", url, "--site", "MLB", "--into", dir], fetcher);
    assert.equal(code, 0);
    const meta = JSON.parse(stdout[0]!);
    assert.deepEqual([meta.url, meta.kind, meta.site, meta.coverage.state], [url, "search", "MLB", "preloaded_state"]);
  } finally {
    server.close();
  }
});

test("parse --coverage: the page's coverage instead of its offers, for listings and product pages", async () => {
  const listing = await run(["parse", fixture("search-br.html"), "--coverage"]);
  assert.equal(listing.code, EXIT.ok);
  assert.equal(listing.stdout.length, 1);
  const coverage = JSON.parse(listing.stdout[0]!);
  assert.equal(coverage.kind, "listing");
  assert.deepEqual(coverage.fields.user_product_id, { present: 2, sources: { state: 2 } });
  const product = JSON.parse((await run(["parse", fixture("product/item-br.html"), "--coverage"])).stdout[0]!);
  assert.equal(product.kind, "product");
  assert.deepEqual(product.fields.price, { present: 1, sources: { markup: 1 } });
});
