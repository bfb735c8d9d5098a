/**
 * The web view in a real browser (Debian's Chromium, driven by playwright-core), against the app
 * on localhost reading a DuckDB warehouse the test seeds: the synthetic 31-day history of the
 * scheduled-query tests, a day of 60 fresh offers (pages), and an offer whose title is markup.
 * Screenshots go to .ofertas/test/artifacts (not committed).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { type RunningServer, serve } from "../shared/serve.ts";
import { EXPECTED_FAKE_DISCOUNTS, REPORT_DAY } from "../test/offer-history.ts";
import { fixturePageOffers, FRESH_DAY, loadMessages, seedWarehouse, WATCHES, XSS_TITLE } from "./browser-fixtures.ts";
import { inProcessLocalWarehouse } from "../test/seeded-warehouses.ts";
import { createWebApp } from "./app.tsx";
import { DuckDbSource } from "./duckdb-source.ts";
import { CachedSource } from "./source.ts";
import { MemoryWatchSource } from "./watch-source.ts";

const ARTIFACTS = new URL("../.ofertas/test/artifacts/", import.meta.url).pathname;
let root: string;
let server: RunningServer;
let base: string;
let browser: Browser;

before(async () => {
  root = mkdtempSync(join(tmpdir(), "ofertas-web-browser-"));
  mkdirSync(ARTIFACTS, { recursive: true });
  await seedWarehouse(root);
  const app = createWebApp({
    source: new CachedSource(new DuckDbSource(root)),
    watches: new MemoryWatchSource(WATCHES),
    demo: false,
    today: () => FRESH_DAY,
  });
  server = serve(app.fetch, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 16 * 1024 });
  base = `http://127.0.0.1:${server.port}`;
  const executablePath = execFileSync("bash", [new URL("../scripts/ensure-chromium", import.meta.url).pathname], {
    encoding: "utf8",
  }).trim();
  browser = await chromium.launch({
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function open(path: string, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1200, height: 900 } });
  // the listing images live on Mercado Libre's hosts, which no machine here reaches
  await context.route(/mlstatic\.com/, (r) => r.abort());
  const page = await context.newPage();
  const response = await page.goto(`${base}${path}`);
  assert.equal(response?.status(), 200, path);
  return page;
}

const listed = (page: Page) =>
  page.$$eval("li.deal", (items) => items.map((li) => [li.getAttribute("data-item"), li.getAttribute("data-verdict")]));

test("browser: the day's offers in the expected order with the expected verdicts", async () => {
  const page = await open(`/?date=${REPORT_DAY}`);
  const expected = [...EXPECTED_FAKE_DISCOUNTS]
    .sort((a, b) =>
      (b.real_discount_pct ?? -Infinity) - (a.real_discount_pct ?? -Infinity) ||
      b.displayed_discount_pct - a.displayed_discount_pct || a.item_id.localeCompare(b.item_id)
    )
    .map((e) => [`${e.site}/${e.item_id}`, e.verdict]);
  assert.deepEqual(await listed(page), expected);
  assert.equal(
    await page.locator("li.deal .badge.real").count(),
    EXPECTED_FAKE_DISCOUNTS.filter((e) => e.verdict === "real").length,
  );
  await page.screenshot({ path: `${ARTIFACTS}deals.png`, fullPage: true });
  await page.context().close();
});

test("browser: a filter and the pages work (the form, then the page links)", async () => {
  const page = await open(`/?date=${REPORT_DAY}`);
  await page.selectOption("select[name=verdict]", "inflated");
  await Promise.all([page.waitForURL(/verdict=inflated/), page.click("button[type=submit]")]);
  const inflated = await listed(page);
  assert.ok(inflated.length > 0);
  assert.ok(inflated.every(([, verdict]) => verdict === "inflated"), JSON.stringify(inflated));
  await page.goto(`${base}/?date=${FRESH_DAY}`);
  assert.equal((await listed(page)).length, 48);
  await Promise.all([page.waitForURL(/page=2/), page.click("nav.pages a[rel=next]")]);
  assert.equal((await listed(page)).length, 16);
  assert.equal(await page.textContent("nav.pages [aria-current=page]"), "2");
  await page.context().close();
});

test("browser: the item page draws one point per day and the 30-day low where it belongs", async () => {
  const page = await open(`/items/MLB/MLB1000000001?date=${REPORT_DAY}`);
  const rows = await page.locator("table.history tbody tr").count();
  assert.equal(rows, 21);
  assert.equal(await page.locator("svg circle.point").count(), rows);
  const low = await page.getAttribute("svg line.low30", "data-price");
  assert.equal(Number(low), 100);
  // the line sits at the height of the days whose low was 100
  const lineY = Number(await page.getAttribute("svg line.low30", "y1"));
  const at100 = await page.$$eval(
    "svg circle.point",
    (cs) => cs.filter((c) => Number(c.getAttribute("data-price")) === 100).map((c) => Number(c.getAttribute("cy"))),
  );
  assert.ok(at100.length === 20 && at100.every((y) => Math.abs(y - lineY) < 0.5), `${lineY} vs ${at100.slice(0, 3)}`);
  await page.screenshot({ path: `${ARTIFACTS}item.png`, fullPage: true });
  await page.context().close();
});

test("browser: the chart reads at a glance: round price ticks, weekly days, each point's date and price, labels off the lines", async () => {
  const page = await open(`/items/MLB/MLB1000000001?date=${REPORT_DAY}`);
  const ticks = await page.$$eval("svg g.tick", (gs) => gs.map((g) => Number(g.getAttribute("data-value"))));
  const labels = await page.$$eval("svg g.tick text", (ts) => ts.map((t) => t.textContent ?? ""));
  assert.ok(ticks.length >= 3, `${ticks}`);
  const step = ticks[1]! - ticks[0]!;
  const mantissa = step / 10 ** Math.floor(Math.log10(step));
  assert.ok([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9), `a 1-2-5 step: ${ticks}`);
  assert.ok(ticks.every((t, i) => i === 0 || Math.abs(t - ticks[i - 1]! - step) < 1e-9), `evenly spaced: ${ticks}`);
  assert.ok(ticks.every((t) => Math.abs(t / step - Math.round(t / step)) < 1e-9), `multiples of the step: ${ticks}`);
  assert.ok(labels.every((l) => /^R\$ [\d.]+,00$/.test(l)), `round labels: ${labels}`);
  const weeks = await page.$$eval("svg text.week", (ts) => ts.map((t) => t.textContent));
  assert.ok(weeks.length >= 3 && weeks.length <= 5, `weekly day labels: ${weeks}`);
  // every point says its date and price, on hover (title) and to the keyboard (focusable)
  const first = page.locator("svg circle.point").first();
  assert.match((await first.locator("title").textContent()) ?? "", /^\d{4}-\d\d-\d\d: R\$ [\d.]+,\d\d/);
  assert.equal(await first.getAttribute("tabindex"), "0");
  // the margin labels stand right of the plot, where no line runs
  const rightmost = Math.max(
    ...await page.$$eval("svg circle.point", (cs) => cs.map((c) => Number(c.getAttribute("cx")))),
  );
  const labelXs = await page.$$eval("svg text.margin-label", (ts) => ts.map((t) => Number(t.getAttribute("x"))));
  assert.ok(labelXs.length >= 1 && labelXs.every((lx) => lx > rightmost), `${labelXs} right of ${rightmost}`);
  await page.context().close();
});

test("browser: a title holding markup renders as text and runs nothing", async () => {
  const page = await open(`/?date=${FRESH_DAY}&q=headphones`);
  assert.equal(await page.evaluate(() => (globalThis as { __xss?: number }).__xss), undefined);
  assert.equal(await page.textContent("li.deal h2 a"), XSS_TITLE);
  assert.equal(await page.locator("li.deal h2 img").count(), 0);
  await page.context().close();
});

test("browser: everything works with JavaScript off (forms and links are plain HTML)", async () => {
  const page = await open(`/?date=${REPORT_DAY}`, false);
  await page.selectOption("select[name=site]", "MLA");
  await Promise.all([page.waitForURL(/site=MLA/), page.click("button[type=submit]")]);
  const items = await listed(page);
  assert.ok(items.length > 0 && items.every(([id]) => id!.startsWith("MLA/")));
  await Promise.all([page.waitForURL(/\/items\/MLA\//), page.click("li.deal h2 a")]);
  assert.ok((await page.locator("svg circle.point").count()) > 0);
  await page.context().close();
});

test("browser: the keyboard reaches the filters first (skip link, labels)", async () => {
  const page = await open(`/?date=${REPORT_DAY}`);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Skip to the content");
  for (const name of ["date", "site", "label", "verdict", "q"]) {
    assert.ok((await page.locator(`label:has([name=${name}])`).count()) === 1, `${name} has a label`);
  }
  await page.context().close();
});

test("browser: /watches shows each watch's target, schedule, last run and back-off; its deals are one click away", async () => {
  const page = await open("/watches");
  const rows = await page.$$eval(
    "table.watches tbody tr",
    (trs) => trs.map((tr) => [tr.getAttribute("data-watch"), tr.getAttribute("data-state"), tr.textContent ?? ""]),
  );
  assert.deepEqual(rows.map(([id, state]) => [id, state]), [["drill", "backing-off"], ["ps5", "scheduled"]]);
  assert.match(String(rows[0]![2]), /MLB item MLB7700000000/);
  assert.match(String(rows[0]![2]), /cron "0 9 \* \* \*" America\/Sao_Paulo/);
  assert.match(String(rows[0]![2]), /challenge: a proof-of-work page/);
  assert.match(String(rows[0]![2]), /backing off until 2026-07-02 16:00 \(after 2 failing runs in a row on /);
  assert.match(String(rows[1]![2]), /MLB search "playstation 5 slim" \(2 pages\)/);
  assert.match(String(rows[1]![2]), /every 30m/);
  assert.match(String(rows[1]![2]), /ok 2026-07-02 14:00/);
  assert.match(String(rows[1]![2]), /3 offers, 1 page/);
  assert.match(String(rows[1]![2]), /2026-07-02 14:30/);
  await page.screenshot({ path: `${ARTIFACTS}watches.png`, fullPage: true });
  // "its deals": today's deals list filtered by the watch
  await Promise.all([page.waitForURL(/watch=ps5/), page.click("tr[data-watch=ps5] a")]);
  const found = await listed(page);
  assert.deepEqual(found.map(([id]) => id).sort(), ["MLB/MLB790000000", "MLB/MLB790000001", "MLB/MLB790000002"]);
  assert.equal(await page.inputValue("select[name=watch]"), "ps5");
  // the filter as a person uses it: another watch from the select
  await page.selectOption("select[name=watch]", "drill");
  await Promise.all([page.waitForURL(/watch=drill/), page.click("button[type=submit]")]);
  assert.deepEqual((await listed(page)).map(([id]) => id), ["MLB/MLB7700000000"]);
  assert.equal(await page.textContent("select[name=watch] option:checked"), "The drill I want");
  await page.context().close();
});

test("browser: the item page shows the item's alert history, with each channel's state", async () => {
  const page = await open(`/items/MLB/MLB1000000001?date=${REPORT_DAY}`);
  const alerts = await page.$$eval("li.alert", (items) =>
    items.map((li) => ({
      kind: li.getAttribute("data-kind"),
      text: li.querySelector(".why")?.textContent ?? "",
      deliveries: Array.from(li.querySelectorAll("li.delivery"), (d) =>
        `${d.getAttribute("data-channel")}:${d.getAttribute("data-state")}`),
    })));
  assert.deepEqual(alerts.map((a) => a.kind), ["below", "real_deal"], "newest first");
  assert.match(alerts[1]!.text, /25% below the lowest price of the prior 30 days/);
  assert.deepEqual(alerts[1]!.deliveries, ["hook:delivered", "mail:delivered"]);
  assert.deepEqual(alerts[0]!.deliveries, ["hook:retrying", "mail:waiting"]);
  assert.match(
    await page.textContent("li.alert[data-kind=below] li.delivery.retrying") ?? "",
    /retrying \(500; 2 attempts\)/,
  );
  await page.screenshot({ path: `${ARTIFACTS}item-alerts.png`, fullPage: true });
  await page.context().close();
});

test("browser: item search finds a saved page's item by two words of its title and opens its chart", async () => {
  const page = await open("/");
  await Promise.all([page.waitForURL(/\/items$/), page.click("nav.nav a[href='/items']")]);
  await page.fill("input[name=q]", "cafeteira elétrica");
  await Promise.all([page.waitForURL(/\/items\?q=/), page.click("form[role=search] button")]);
  const found = await page.$$eval("li.found", (ls) => ls.map((l) => l.getAttribute("data-item")));
  assert.deepEqual(found, ["MLB/MLB5419371492"]);
  await Promise.all([page.waitForURL(/\/items\/MLB\/MLB5419371492/), page.click("li.found a")]);
  assert.match((await page.textContent("h1")) ?? "", /Cafeteira Elétrica/);
  assert.equal(await page.locator("svg circle.point").count(), 1, "its chart: the one day it was seen");
  await page.screenshot({ path: `${ARTIFACTS}items.png`, fullPage: true });
  await page.context().close();
});

test("browser: right after the first load, the deals page lists the loaded offers (never the cached 'nothing')", async () => {
  const emptyRoot = mkdtempSync(join(tmpdir(), "ofertas-web-first-load-"));
  const warehouse = await inProcessLocalWarehouse(emptyRoot);
  const app = createWebApp({
    source: new CachedSource(new DuckDbSource(emptyRoot)),
    demo: false,
    today: () => FRESH_DAY,
  });
  const second = serve(app.fetch, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 16 * 1024 });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${second.port}/`);
    assert.match((await page.textContent("p.empty")) ?? "", /Nothing was loaded for this day yet/);
    // the consumer's first load
    await loadMessages(emptyRoot, warehouse, fixturePageOffers(FRESH_DAY));
    await page.goto(`http://127.0.0.1:${second.port}/`);
    assert.equal(await page.locator("p.empty").count(), 0, "no 'nothing loaded' answer after the load");
    assert.equal((await listed(page)).length, 3);
    await page.context().close();
  } finally {
    await second.stop();
    rmSync(emptyRoot, { recursive: true, force: true });
  }
});
