import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { inlineParser, WorkerPageParser } from "./page-parser.ts";
import { ScrapeError } from "./parse-page.ts";

const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

/** A big page below the card cap: the deals fixture's cards repeated. */
async function bigPage(): Promise<string> {
  const html = await fixture("deals-br.html");
  const start = html.indexOf('<div class="andes-card poly-card');
  const end = html.lastIndexOf("</div></div></section>");
  const cards = html.slice(start, end > start ? end : html.length);
  return html.slice(0, start) + cards.repeat(30) + html.slice(end > start ? end : html.length);
}

test("worker parser: the same page as parsing inline, and typed errors come back typed", async () => {
  const parser = new WorkerPageParser(20_000);
  try {
    const html = await fixture("deals-br.html");
    const options = { url: "https://www.mercadolivre.com.br/ofertas", site: "MLB" as const, page: 1 };
    assert.deepEqual(await parser.parse(html, options), await inlineParser.parse(html, options));
    await assert.rejects(
      parser.parse(await fixture("blocked-login-wall.html"), options),
      (e: unknown) => e instanceof ScrapeError && e.kind === "blocked",
    );
  } finally {
    parser.close();
  }
});

test("worker parser: the event loop stays free while a page is parsed (timers run before the parse ends)", async () => {
  const parser = new WorkerPageParser(20_000);
  try {
    const html = await bigPage();
    const options = { url: "https://www.mercadolivre.com.br/ofertas", site: "MLB" as const, page: 1 };
    await parser.parse(html, options); // warm the worker
    let parsed = false;
    let timerSawParseRunning = false;
    const parsing = parser.parse(html, options).then((page) => {
      parsed = true;
      return page;
    });
    await new Promise<void>((resolve) => setTimeout(() => (timerSawParseRunning = !parsed, resolve()), 0));
    const page = await parsing;
    assert.ok(page.cards.length > 60);
    assert.equal(timerSawParseRunning, true, "a timer ran while the page was being parsed");
    // inline, the same parse holds the loop: the timer only runs after it
    parsed = false;
    const inline = inlineParser.parse(html, options).then(() => (parsed = true));
    await new Promise<void>((resolve) => setTimeout(() => (timerSawParseRunning = !parsed, resolve()), 0));
    await inline;
    assert.equal(timerSawParseRunning, false);
  } finally {
    parser.close();
  }
});

test("worker parser: a parse over its time limit is stopped and reported (parse_timeout); the next one works", async () => {
  const parser = new WorkerPageParser(1);
  const html = await bigPage();
  const options = { url: "https://www.mercadolivre.com.br/ofertas", site: "MLB" as const, page: 1 };
  try {
    await assert.rejects(
      parser.parse(html, options),
      (e: unknown) => e instanceof ScrapeError && e.kind === "parse_timeout",
    );
  } finally {
    parser.close();
  }
  const patient = new WorkerPageParser(20_000);
  try {
    assert.ok((await patient.parse(await fixture("deals-br.html"), options)).cards.length === 3);
  } finally {
    patient.close();
  }
});
