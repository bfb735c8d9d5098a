/** edge/cli.ts parse: listings print offers, product pages print their details, exit codes say what the page was. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { EXIT, looksLikeProductPage, runCli } from "./cli.ts";

const fixture = (name: string) => new URL(`./scraper/fixtures/${name}`, import.meta.url).pathname;

async function run(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

test("cli parse: a deals page prints one offer per line and a summary", async () => {
  const { code, stdout, stderr } = await run("parse", fixture("deals-br.html"));
  assert.equal(code, EXIT.ok);
  assert.ok(stdout.length > 0);
  const summary = JSON.parse(stderr[0]!);
  assert.equal(summary.offers_valid, stdout.length);
  assert.equal(JSON.parse(stdout[0]!).site, "MLB");
});

test("cli parse: a product page is detected and prints its details", async () => {
  const { code, stdout, stderr } = await run("parse", fixture("product/item-br.html"));
  assert.equal(code, EXIT.ok);
  assert.equal(stdout.length, 1);
  const details = JSON.parse(stdout[0]!);
  assert.equal(details.site, "MLB");
  assert.ok(details.title.length > 0);
  assert.ok(Array.isArray(details.attributes));
  assert.equal(JSON.parse(stderr[0]!).kind, "product");
});

test("cli parse: a challenge exits 4 with no product fields, read as a listing or as a product", async () => {
  for (const kind of ["auto", "product"]) {
    const { code, stdout, stderr } = await run("parse", fixture("challenge-micro-landing.html"), "--kind", kind);
    assert.equal(code, EXIT.challenge, kind);
    assert.deepEqual(stdout, []);
    assert.match(stderr[0]!, /challenge/);
  }
});

test("cli parse: a login wall exits 3 and a page of unknown layout exits 5", async () => {
  assert.equal((await run("parse", fixture("blocked-login-wall.html"))).code, EXIT.blocked);
  assert.equal((await run("parse", fixture("unknown-layout.html"))).code, EXIT.unknown_layout);
  assert.equal((await run("parse", fixture("unknown-layout.html"), "--kind", "product")).code, EXIT.unknown_layout);
});

test("cli parse: bad usage exits 2 with the usage line", async () => {
  for (
    const args of [[], ["parse"], ["parse", fixture("deals-br.html"), "--kind", "x"], ["parse", "/no/such.html"]]
  ) {
    const { code, stderr } = await run(...args);
    assert.equal(code, EXIT.usage, args.join(" "));
    assert.match(stderr.at(-1)!, /^usage:/);
  }
});

test("cli parse: product markers are not found on listing pages", async () => {
  const { readFile } = await import("node:fs/promises");
  for (const name of ["deals-br.html", "search-br.html", "search-mx.html", "deals-ar.html"]) {
    assert.equal(looksLikeProductPage(await readFile(fixture(name), "utf8")), false, name);
  }
  assert.equal(looksLikeProductPage(await readFile(fixture("product/item-br.html"), "utf8")), true);
});
