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
import { shapeOf, type StageableRow, stageRows } from "../batch/staging.ts";
import { transformRecord as transformAlert } from "../batch/alerts-transform.ts";
import { transform } from "../batch/transform.ts";
import type { LocalWarehouse } from "../batch/warehouse/local-warehouse.ts";
import { type RunningServer, serve } from "../shared/serve.ts";
import { ALERTS, DAILY_OFFERS } from "../shared/tables.ts";
import { EXPECTED_FAKE_DISCOUNTS, historyBatch, REPORT_DAY } from "../test/offer-history.ts";
import { sampleMessage } from "../test/sample-offer.ts";
import { inProcessLocalWarehouse } from "../test/seeded-warehouses.ts";
import { createWebApp } from "./app.tsx";
import { DuckDbSource } from "./duckdb-source.ts";
import { CachedSource } from "./source.ts";
import { MemoryWatchSource, type WatchView } from "./watch-source.ts";
import type { RunRecord } from "../shared/watch/watch-run.ts";

const ARTIFACTS = new URL("../.ofertas/test/artifacts/", import.meta.url).pathname;
const FRESH_DAY = "2026-07-02";
const XSS_TITLE = `<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> Headphones`;

const run = (overrides: Partial<RunRecord>): RunRecord => ({
  type: "run",
  watch_id: "ps5",
  slot: `${FRESH_DAY}T17:00:00.000Z`,
  tick_id: "t",
  started_at: `${FRESH_DAY}T17:00:01.000Z`,
  finished_at: `${FRESH_DAY}T17:00:04.000Z`,
  outcome: "ok",
  scrape_id: "fresh-day-watch-ps5",
  pages_fetched: 1,
  offers: 3,
  produced: 3,
  invalid: 0,
  errors: [],
  failures: 0,
  backoff_until: null,
  ...overrides,
});
const WATCHES: WatchView[] = [
  {
    id: "drill",
    name: "The drill I want",
    target: { site: "MLB", view: "item", item: "MLB7700000000", pages: 1 },
    period: { cron: "0 9 * * *", time_zone: "America/Sao_Paulo" },
    enabled: true,
    created_at: `${FRESH_DAY}T10:00:00.000Z`,
    updated_at: `${FRESH_DAY}T10:00:00.000Z`,
    status: {
      running: null,
      last_run: run({
        watch_id: "drill",
        outcome: "challenge",
        produced: 0,
        offers: 0,
        failures: 2,
        backoff_until: `${FRESH_DAY}T19:00:00.000Z`,
        errors: [{ kind: "challenge", page: 1, message: "challenge: a proof-of-work page" }],
      }),
      next_run: `${FRESH_DAY}T19:00:00.000Z`,
      backoff_until: `${FRESH_DAY}T19:00:00.000Z`,
      failures: 2,
    },
  },
  {
    id: "ps5",
    name: "PS5 slim",
    target: { site: "MLB", view: "search", query: "playstation 5 slim", pages: 2 },
    period: { every: "30m" },
    enabled: true,
    created_at: `${FRESH_DAY}T10:00:00.000Z`,
    updated_at: `${FRESH_DAY}T10:00:00.000Z`,
    status: {
      running: null,
      last_run: run({}),
      next_run: `${FRESH_DAY}T17:30:00.000Z`,
      backoff_until: null,
      failures: 0,
    },
  },
];

const ALERT_BASE = {
  type: "alert",
  schema_version: 1,
  rule_key: "watch:ps5:real_deal",
  watch_id: "ps5",
  site: "MLB",
  item_id: "MLB1000000001",
  offer_date: REPORT_DAY,
  title: "Fone Bluetooth",
  currency: "BRL",
  url: "https://produto.mercadolivre.com.br/MLB-1000000001-x-_JM",
  verdict: "real",
  channels: ["hook", "mail"],
  source: "batch:b",
} as const;
const ALERT_RECORDS = [
  {
    ...ALERT_BASE,
    alert_id: "b".repeat(24),
    kind: "real_deal",
    price: "75.00",
    real_discount_pct: "25.00",
    why: "A real discount: R$ 75,00 is 25% below the lowest price of the prior 30 days (R$ 100,00).",
    decided_at: `${REPORT_DAY}T15:00:00.000Z`,
  },
  {
    ...ALERT_BASE,
    alert_id: "c".repeat(24),
    kind: "below",
    price: "70.00",
    real_discount_pct: null,
    why: "R$ 70,00 is at or below your price of R$ 72,00.",
    decided_at: `${REPORT_DAY}T23:59:00.000Z`,
  },
  {
    type: "delivery",
    schema_version: 1,
    alert_id: "b".repeat(24),
    channel: "hook",
    state: "delivered",
    attempts: 1,
    detail: "204 No Content",
    at: `${REPORT_DAY}T15:00:01.000Z`,
  },
  {
    type: "delivery",
    schema_version: 1,
    alert_id: "b".repeat(24),
    channel: "mail",
    state: "delivered",
    attempts: 1,
    detail: "250 OK",
    at: `${REPORT_DAY}T15:00:01.000Z`,
  },
  {
    type: "delivery",
    schema_version: 1,
    alert_id: "c".repeat(24),
    channel: "hook",
    state: "retrying",
    attempts: 2,
    detail: "500 Internal Server Error",
    at: `${REPORT_DAY}T23:59:30.000Z`,
  },
];

let root: string;
let server: RunningServer;
let base: string;
let browser: Browser;

async function loadMessages(warehouse: LocalWarehouse, messages: Record<string, unknown>[]) {
  const enc = new TextEncoder();
  const records = messages.map((m, i) => ({
    topic: "web",
    partition: 0,
    offset: String(i),
    key: null,
    value: enc.encode(JSON.stringify(m)),
    headers: {},
  }));
  const { rows, deadLetters } = await transform(records, "2026-07-03T00:00:00Z");
  assert.deepEqual(deadLetters.map((d) => d.reason), []);
  await warehouse.load(await stageRows(root, shapeOf(DAILY_OFFERS), rows));
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), "ofertas-web-browser-"));
  mkdirSync(ARTIFACTS, { recursive: true });
  const warehouse = await inProcessLocalWarehouse(root);
  await warehouse.load(await historyBatch(root));
  await loadMessages(warehouse, [
    ...Array.from({ length: 60 }, (_, i) =>
      sampleMessage({
        item_id: `MLB77000000${String(i).padStart(2, "0")}`,
        title: `Fresh offer ${i}`,
        scrape_id: "fresh-day-scrape",
        scraped_at: `${FRESH_DAY}T15:00:00Z`,
        position: i + 1,
      })),
    sampleMessage({
      item_id: "MLB7800000000",
      title: XSS_TITLE,
      scrape_id: "fresh-day-xss",
      scraped_at: `${FRESH_DAY}T16:00:00Z`,
    }),
    // what two watches found that day (one item seen by both, and by an ad-hoc scrape)
    ...Array.from({ length: 3 }, (_, i) =>
      sampleMessage({
        item_id: `MLB79000000${i}`,
        title: `Playstation 5 Slim ${i}`,
        scrape_id: "fresh-day-watch-ps5",
        scraped_at: `${FRESH_DAY}T17:00:00Z`,
        source_url: "https://lista.mercadolivre.com.br/playstation-5-slim",
        watch_id: "ps5",
        position: i + 1,
      })),
    sampleMessage({
      item_id: "MLB7700000000",
      scrape_id: "fresh-day-watch-drill",
      scraped_at: `${FRESH_DAY}T17:30:00Z`,
      watch_id: "drill",
      position: null,
      page: null,
    }),
  ]);
  // two alerts about the genuine drop, as the consumer loads them: one delivered, one still retrying
  const enc = new TextEncoder();
  const alertRows = ALERT_RECORDS.map((r, i) => {
    const t = transformAlert(
      {
        topic: "ofertas.alerts",
        partition: 0,
        offset: String(i),
        key: null,
        value: enc.encode(JSON.stringify(r)),
        headers: {},
      },
      "2026-07-01T00:00:00Z",
    );
    assert.ok("row" in t);
    return t.row as StageableRow;
  });
  await warehouse.load(await stageRows(root, shapeOf(ALERTS), alertRows));
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
  const low = await page.getAttribute("svg g.low30", "data-price");
  assert.equal(Number(low), 100);
  // the line sits at the height of the days whose low was 100
  const lineY = Number(await page.getAttribute("svg g.low30 line", "y1"));
  const at100 = await page.$$eval(
    "svg circle.point",
    (cs) => cs.filter((c) => Number(c.getAttribute("data-price")) === 100).map((c) => Number(c.getAttribute("cy"))),
  );
  assert.ok(at100.length === 20 && at100.every((y) => Math.abs(y - lineY) < 0.5), `${lineY} vs ${at100.slice(0, 3)}`);
  await page.screenshot({ path: `${ARTIFACTS}item.png`, fullPage: true });
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
  assert.match(String(rows[0]![2]), /backing off until 2026-07-02 16:00 \(after 2 block or challenge pages in a row\)/);
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
    /2 attempts; last answer: 500 Internal Server Error/,
  );
  await page.screenshot({ path: `${ARTIFACTS}item-alerts.png`, fullPage: true });
  await page.context().close();
});
