/**
 * The web view's HTTP contract with an in-memory source: ranking, filters, pages, the item
 * page, the JSON and CSV twins, escaping of scraped text, headers, and bad input.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createWebApp } from "./app.tsx";
import type { Deal, HistoryPoint } from "./deals.ts";
import { MemorySource } from "./memory-source.ts";
import { CachedSource } from "./source.ts";

const DAY = "2026-06-30";

function deal(overrides: Partial<Deal>): Deal {
  return {
    site: "MLB",
    item_id: "MLB1000000001",
    title: "Fone Bluetooth",
    currency: "BRL",
    price: "70.00",
    original_price: "100.00",
    displayed_discount_pct: 30,
    history_days: 20,
    min_price_30d: "100.00",
    max_price_30d: "100.00",
    real_discount_pct: "30.00",
    verdict: "real",
    reason: null,
    url: "https://www.mercadolivre.com.br/fone/p/MLB1",
    image_url: "https://http2.mlstatic.com/D_1.webp",
    label: "OFERTA DO DIA",
    watch_ids: [],
    ...overrides,
  };
}

const deals: Deal[] = [
  deal({}),
  deal({
    item_id: "MLB1000000002",
    title: "Inflated TV",
    verdict: "inflated",
    reason: "original_above_30d_high",
    real_discount_pct: "5.00",
    displayed_discount_pct: 40,
  }),
  deal({
    item_id: "MLB1000000003",
    title: "New Phone",
    verdict: "insufficient_history",
    reason: "history_days_below_minimum",
    history_days: 2,
    real_discount_pct: null,
    min_price_30d: null,
  }),
  deal({
    item_id: "MLB1000000004",
    title: "<script>alert(1)</script> Notebook",
    real_discount_pct: "45.50",
    label: "OFERTA RELÂMPAGO",
  }),
  deal({ site: "MLA", item_id: "MLA2000000001", title: "Zapatillas", currency: "ARS", real_discount_pct: "12.00" }),
];
const history: HistoryPoint[] = Array.from({ length: 31 }, (_, i) => ({
  offer_date: `2026-06-${String(i).padStart(2, "0")}`.replace("-06-00", "-05-31"),
  min_price: i === 30 ? "70.00" : "100.00",
  max_price: i === 30 ? "75.00" : "100.00",
  last_price: i === 30 ? "70.00" : "100.00",
  original_price: i === 30 ? "100.00" : null,
  displayed_discount_pct: i === 30 ? 30 : null,
  labels: i === 30 ? ["OFERTA DO DIA"] : [],
}));

function web(byDay: Record<string, Deal[]> = { [DAY]: deals }) {
  const found = (site: string, id: string, title: string, lastDay: string) => ({
    site,
    item_id: id,
    last_day: lastDay,
    title,
    currency: "BRL",
    url: null,
    last_price: "70.00",
    min_price: "70.00",
    days_seen: 3,
  });
  const items = [
    found("MLB", "MLB1000000001", "Fone Bluetooth", DAY),
    found("MLB", "MLB1000000099", "Fone de ouvido com fio", "2026-06-20"),
  ];
  const source = new MemorySource(byDay, { "MLB/MLB1000000001": history }, [], items);
  const app = createWebApp({ source: new CachedSource(source), demo: true, today: () => DAY });
  return { source, get: (path: string) => app.fetch(new Request(`http://web${path}`)) };
}

const itemsOrder = (html: string) => [...html.matchAll(/data-item="([^"]+)"/g)].map((m) => m[1]);

test("web: today's offers ranked by real discount, with verdicts, prices and links; demo data labelled", async () => {
  const res = await web().get("/");
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.deepEqual(itemsOrder(html), [
    "MLB/MLB1000000004",
    "MLB/MLB1000000001",
    "MLA/MLA2000000001",
    "MLB/MLB1000000002",
    "MLB/MLB1000000003",
  ]);
  assert.match(html, /class="badge inflated">Inflated/);
  assert.match(html, /class="badge insufficient_history">Not enough history/);
  assert.match(html, /R\$ 70,00/);
  assert.match(html, /href="https:\/\/www\.mercadolivre\.com\.br\/fone\/p\/MLB1"/);
  assert.match(html, /Demo data\./);
});

test("web: scraped text is escaped (a title holding <script> renders as text) and no script is allowed", async () => {
  const res = await web().get("/");
  const html = await res.text();
  assert.doesNotMatch(html, /<script>alert/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; Notebook/);
  const csp = res.headers.get("content-security-policy") ?? "";
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /script-src/);
  assert.match(csp, /img-src 'self' https:\/\/\*\.mlstatic\.com/);
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
});

test("web: filters (site, label, verdict, text) and pages", async () => {
  const { get } = web();
  assert.deepEqual(itemsOrder(await (await get("/?site=MLA")).text()), ["MLA/MLA2000000001"]);
  assert.deepEqual(itemsOrder(await (await get("/?verdict=inflated")).text()), ["MLB/MLB1000000002"]);
  assert.deepEqual(itemsOrder(await (await get("/?label=OFERTA%20REL%C3%82MPAGO")).text()), ["MLB/MLB1000000004"]);
  assert.deepEqual(itemsOrder(await (await get("/?q=notebook")).text()), ["MLB/MLB1000000004"]);
  assert.deepEqual(itemsOrder(await (await get("/?q=zapatilla")).text()), ["MLA/MLA2000000001"]);
  const many = Array.from(
    { length: 100 },
    (_, i) => deal({ item_id: `MLB30000000${String(i).padStart(2, "0")}`, real_discount_pct: String(99 - i) }),
  );
  const paged = web({ [DAY]: many });
  const page2 = await (await paged.get("/?page=2")).text();
  assert.equal(itemsOrder(page2).length, 48);
  assert.equal(itemsOrder(page2)[0], "MLB/MLB3000000048");
  assert.match(page2, /aria-current="page">2</);
  assert.equal(itemsOrder(await (await paged.get("/?page=3")).text()).length, 4);
});

test("web: JSON and CSV twins of the list", async () => {
  const { get } = web();
  const json = (await (await get("/api/deals?verdict=real")).json()) as { total: number; deals: Deal[] };
  assert.equal(json.total, 3);
  assert.deepEqual(json.deals.map((d) => d.item_id), ["MLB1000000004", "MLB1000000001", "MLA2000000001"]);
  const csv = await (await get("/deals.csv")).text();
  const lines = csv.trim().split("\r\n");
  assert.equal(lines.length, 6);
  assert.match(lines[0]!, /^site,item_id,title,currency,price/);
  assert.match(csv, /"<script>alert\(1\)<\/script> Notebook"|<script>alert\(1\)<\/script> Notebook/);
});

test("web: the item page draws the history (one point per day, the 30-day low) and the same data as a table", async () => {
  const res = await web().get(`/items/MLB/MLB1000000001?date=${DAY}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.equal([...html.matchAll(/<circle class="point"/g)].length, 31);
  assert.match(html, /<line class="low30"[^>]*data-price="100.00"/);
  assert.equal([...html.matchAll(/<tr class="on-offer">/g)].length, 1);
  assert.match(html, /<caption>Price history, 31 days<\/caption>/);
  const api = (await (await web().get(`/api/items/MLB/MLB1000000001/history?date=${DAY}`)).json()) as {
    points: unknown[];
    min_price_30d: string;
  };
  assert.equal(api.points.length, 31);
  assert.equal(api.min_price_30d, "100.00");
});

test("web: bad input is a clear 4xx; an unknown item is 404", async () => {
  const { get } = web();
  assert.equal((await get("/?date=2026-13-45")).status, 400);
  assert.equal((await get("/?verdict=bogus")).status, 400);
  assert.equal((await get("/?page=0")).status, 400);
  assert.equal((await get("/items/MLB/not-an-id")).status, 400);
  assert.equal((await get("/items/MLB/MLB9999999999")).status, 404);
  assert.equal((await get("/nowhere")).status, 404);
});

test("web: a day's list is read once per data version, however many pages are asked", async () => {
  const { get, source } = web();
  for (const path of ["/", "/?page=1", "/?site=MLB", "/api/deals", "/deals.csv"]) await (await get(path)).text();
  assert.equal(source.reads, 1);
});

test("web: the page weighs under 100 KB before images", async () => {
  const many = Array.from(
    { length: 200 },
    (_, i) => deal({ item_id: `MLB40000000${String(i).padStart(3, "0")}`, title: "T".repeat(120) }),
  );
  const { get } = web({ [DAY]: many });
  const html = await (await get("/")).text();
  const css = await (await get("/static/style.css")).text();
  assert.ok(html.length + css.length < 100_000, `${html.length} + ${css.length} bytes`);
});

test("web: /items finds items by words of their titles, with today's verdict when on offer today; JSON twin; bad searches are 400", async () => {
  const html = await (await web().get("/items?q=fone")).text();
  assert.deepEqual(itemsOrder(html), ["MLB/MLB1000000001", "MLB/MLB1000000099"]);
  assert.match(html, /href="\/items\/MLB\/MLB1000000001\?date=2026-06-30"/);
  assert.match(html, /<span class="badge real">Real discount<\/span>/, "on offer today: its verdict");
  assert.match(html, /not on offer today/);
  const api = await (await web().get("/api/items?q=fone+bluetooth")).json() as { items: Array<{ item_id: string }> };
  assert.deepEqual(api.items.map((i) => i.item_id), ["MLB1000000001"]);
  assert.equal((await web().get("/items?q=%21%21")).status, 400);
  assert.equal((await web().get("/api/items?q=a+b+c+d+e+f+g")).status, 400);
  assert.match(
    await (await web().get("/items")).text(),
    /<input type="search" name="q"/,
    "the form, before any search",
  );
});
