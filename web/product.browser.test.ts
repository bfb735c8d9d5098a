/**
 * A catalog product's page in a real browser (Debian's Chromium, driven by playwright-core), on
 * the app over a DuckDB warehouse holding the scripted 31-day history of two products
 * (test/product-verdict-history.ts) and their stock (test/product-warehouse.ts): the chart draws
 * a line per seller and the best-price line over them, shades the period the product was out of
 * stock, and the sellers table ranks the day's sellers by price with their standing; the page works
 * without script, and its points are reached by the keyboard. A screenshot goes to
 * .ofertas/test/artifacts (not committed).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { type RunningServer, serve } from "../shared/serve.ts";
import { offerDate } from "../shared/timestamp.ts";
import { addDays } from "../shared/sql-templates.ts";
import { productWarehouse } from "../test/product-warehouse.ts";
import { createWebApp } from "./app.tsx";
import { DuckDbSource } from "./duckdb-source.ts";
import { CachedSource } from "./source.ts";

const ARTIFACTS = new URL("../.ofertas/test/artifacts/", import.meta.url).pathname;
const DAY = addDays(offerDate(new Date().toISOString()), -2);
let root: string;
let server: RunningServer;
let base: string;
let browser: Browser;

before(async () => {
  root = await productWarehouse(DAY);
  mkdirSync(ARTIFACTS, { recursive: true });
  const app = createWebApp({ source: new CachedSource(new DuckDbSource(root)), demo: false, today: () => DAY });
  server = serve(app.fetch, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 16 * 1024 });
  base = `http://127.0.0.1:${server.port}`;
  const executablePath = execFileSync("bash", [new URL("../scripts/ensure-chromium", import.meta.url).pathname], {
    encoding: "utf8",
  }).trim();
  browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function open(path: string, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1200, height: 1000 } });
  await context.route(/mlstatic\.com/, (r) => r.abort());
  const page = await context.newPage();
  const response = await page.goto(`${base}${path}`);
  assert.equal(response?.status(), 200, path);
  return page;
}

test("browser: the product page's chart has a line per seller and the best-price line over them", async () => {
  const page = await open(`/products/MLB/MLB7770001?date=${DAY}`);
  const lines = await page.$$eval(
    "svg polyline.seller-line",
    (ls) =>
      ls.map((l) => ({ seller: l.getAttribute("data-seller"), points: l.getAttribute("points")!.split(" ").length })),
  );
  assert.deepEqual(lines.map((l) => l.seller).sort(), ["LOJA A", "LOJA B", "LOJA C"]);
  // within the 30 days shown: A every day, B its 19 days in them and the relisting, C its last 5 days
  assert.deepEqual(Object.fromEntries(lines.map((l) => [l.seller, l.points])), {
    "LOJA A": 30,
    "LOJA B": 20,
    "LOJA C": 5,
  });
  const best = await page.$eval("svg polyline.best-line", (l) => l.getAttribute("points")!.split(" ").length);
  assert.equal(best, 30, "a best price for every day the product was seen");
  // the best line is never above a seller's line on the same day: the lowest point each day
  const lowest = await page.$$eval("svg circle.point", (cs) => cs.map((c) => Number(c.getAttribute("data-price"))));
  assert.equal(Math.min(...lowest), 171);
  // each line is drawn, visible, in its own colour
  const colours = await page.$$eval("svg polyline.seller-line", (ls) => ls.map((l) => getComputedStyle(l).stroke));
  assert.equal(new Set(colours).size, 3);
  await page.screenshot({ path: `${ARTIFACTS}product-page.png`, fullPage: true });
});

test("browser: the period the product was out of stock is shaded, with its dates", async () => {
  const page = await open(`/products/MLB/MLB7770001?date=${DAY}`);
  const shaded = await page.$$eval("svg rect.out-of-stock", (rs) =>
    rs.map((r) => ({
      from: r.getAttribute("data-from"),
      to: r.getAttribute("data-to"),
      width: Number(r.getAttribute("width")),
      fill: getComputedStyle(r).fill,
    })));
  assert.equal(shaded.length, 1);
  assert.deepEqual([shaded[0]!.from, shaded[0]!.to], [addDays(DAY, -3), addDays(DAY, -1)]);
  assert.ok(shaded[0]!.width > 20, `${shaded[0]!.width} px wide`);
  assert.notEqual(shaded[0]!.fill, "none");
});

test("browser: the sellers table ranks the day's sellers by price with their standing; it works without script", async () => {
  const page = await open(`/products/MLB/MLB7770002?date=${DAY}`, false);
  const rows = await page.$$eval(
    "table.sellers tbody tr",
    (trs) => trs.map((tr) => Array.from(tr.querySelectorAll("th, td"), (c) => c.textContent!.trim())),
  );
  assert.deepEqual(rows.map((r) => [r[0], r[1]]), [["1", "LOJA F"], ["2", "LOJA E"]]);
  assert.match(rows[0]![4]!, /Official store/);
  assert.match(await page.textContent("p.lead") ?? "", /LOJA F, 20% under the next/);
  assert.match(await page.textContent("p.product-verdict") ?? "", /Real discount/);
  // a listing's own page is one click away, and links back to the product
  await page.click("table.sellers tbody tr:first-child a");
  assert.match(page.url(), /\/items\/MLB\/MLB3000000006/);
  assert.ok(await page.$(`a[href="/products/MLB/MLB7770002?date=${DAY}"]`));
});

test("browser: the keyboard reaches the chart's points, each saying its day, price and seller", async () => {
  const page = await open(`/products/MLB/MLB7770001?date=${DAY}`);
  let focused: string | null = null;
  for (let i = 0; i < 40 && !focused; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement?.querySelector("title")?.textContent ?? null);
  }
  assert.match(focused ?? "", /^\d{4}-\d{2}-\d{2}: best R\$ [\d.,]+ \(LOJA [ABC]\)$/);
});
