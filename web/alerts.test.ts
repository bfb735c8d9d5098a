/**
 * Alerts in the web view: the alerts table as the real consumer loads it (its alerts feed's
 * transform, the real local warehouse) read back by web_alerts.sql with each channel's state;
 * and a watch's Atom feed, parsed by a feed reader's library.
 */
import { alertRows } from "../test/alert-rows.ts";
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shapeOf, stageRows } from "../batch/staging.ts";
import type { Alert, Delivery } from "../shared/alert/alert-record.ts";
import { ALERTS } from "../shared/tables.ts";
import { inProcessLocalWarehouse } from "../test/seeded-warehouses.ts";
import { createWebApp } from "./app.tsx";
import { type AlertView, alertViewsOf } from "./alerts.ts";
import { deliveryOutcome } from "./views/delivery-outcome.ts";
import { DuckDbSource } from "./duckdb-source.ts";
import { MemorySource } from "./memory-source.ts";
import { MemoryWatchSource } from "./watch-source.ts";

const alert = (n: number, overrides: Partial<Alert> = {}): Alert => ({
  type: "alert",
  schema_version: 1,
  alert_id: String(n).padStart(24, "a"),
  rule_key: "watch:fones:below",
  kind: "below",
  watch_id: "fones",
  site: "MLB",
  item_id: "MLB1000000001",
  offer_date: "2026-06-30",
  title: "Fone Bluetooth",
  currency: "BRL",
  url: "https://produto.mercadolivre.com.br/MLB-1000000001-x-_JM",
  price: "70.00",
  verdict: "real",
  real_discount_pct: "30.00",
  why: "R$ 70,00 is at or below your price of R$ 80,00.",
  channels: ["hook", "mail"],
  decided_at: `2026-06-30T12:0${n}:00.000Z`,
  source: "batch:1",
  ...overrides,
});
const delivery = (a: Alert, channel: string, state: Delivery["state"], attempts: number, detail: string): Delivery => ({
  type: "delivery",
  schema_version: 1,
  alert_id: a.alert_id,
  channel,
  state,
  attempts,
  detail,
  at: "2026-06-30T12:30:00.000Z",
});

test("alerts table: loaded as the consumer loads it, read back with each channel delivered, retrying or waiting", async () => {
  const root = mkdtempSync(join(tmpdir(), "ofertas-web-alerts-"));
  const warehouse = await inProcessLocalWarehouse(root);
  const [a1, a2, other] = [
    alert(1),
    alert(2, { item_id: "MLB1000000002" }),
    alert(3, { watch_id: "tv", rule_key: "watch:tv:below", item_id: "MLB1000000003" }),
  ];
  const records = [
    a1,
    a2,
    other,
    delivery(a1, "hook", "retrying", 1, "500 Internal Server Error"),
    delivery(a1, "hook", "retrying", 2, "500 Internal Server Error"),
    delivery(a1, "hook", "delivered", 3, "204 No Content"),
    delivery(a1, "mail", "retrying", 4, "421 try later; your token tk_0123 is wrong"),
  ];
  const rows = alertRows(records, "2026-06-30T13:00:00Z");
  await warehouse.load(await stageRows(root, shapeOf(ALERTS), rows));
  const source = new DuckDbSource(root);
  const item = await source.alerts({
    filter: { site: "MLB", itemId: "MLB1000000001" },
    first: "2026-06-01",
    last: "2026-06-30",
    limit: 10,
  });
  assert.deepEqual(item.map((a) => a.alert_id), [a1.alert_id]);
  // the status code only: the channel's reply text is the operator's, never a public page's
  assert.deepEqual(item[0]!.deliveries, [
    { channel: "hook", state: "delivered", attempts: 3, status: 204 },
    { channel: "mail", state: "retrying", attempts: 4, status: 421 },
  ]);
  assert.equal(item[0]!.decided_at, a1.decided_at);
  const watch = await source.alerts({
    filter: { watchId: "fones" },
    first: "2026-06-01",
    last: "2026-06-30",
    limit: 10,
  });
  assert.deepEqual(watch.map((a) => a.item_id), ["MLB1000000002", "MLB1000000001"], "newest first, only the watch's");
  assert.deepEqual(watch[0]!.deliveries.map((d) => d.state), ["waiting", "waiting"]);
  assert.deepEqual(
    await new DuckDbSource(mkdtempSync(join(tmpdir(), "ofertas-empty-"))).alerts({
      filter: { any: true },
      first: "2026-06-01",
      last: "2026-06-30",
      limit: 5,
    }),
    [],
  );
});

const viewOf = (a: Alert): AlertView => ({
  alert_id: a.alert_id,
  kind: a.kind,
  rule_key: a.rule_key,
  watch_id: a.watch_id,
  site: a.site,
  item_id: a.item_id,
  title: a.title,
  currency: a.currency,
  url: a.url,
  price: a.price,
  verdict: a.verdict,
  real_discount_pct: a.real_discount_pct,
  why: a.why,
  decided_at: a.decided_at,
  deliveries: [],
});

test("a watch's Atom feed parses with a feed reader's library and lists its alerts", async () => {
  const views: AlertView[] = [alert(2), alert(1)].map((a) => ({
    alert_id: a.alert_id,
    kind: a.kind,
    rule_key: a.rule_key,
    watch_id: a.watch_id,
    site: a.site,
    item_id: a.item_id,
    title: a.title,
    currency: a.currency,
    url: a.url,
    price: a.price,
    verdict: a.verdict,
    real_discount_pct: a.real_discount_pct,
    why: a.why,
    decided_at: a.decided_at,
    deliveries: [],
  }));
  const app = createWebApp({
    source: new MemorySource({}, {}, views),
    watches: new MemoryWatchSource([{ id: "fones", name: "fones" } as never]),
    demo: false,
    today: () => "2026-06-30",
  });
  // a watch nobody knows (deleted, or never made) has no feed, though its alerts are in the table
  const gone = await app.fetch(new Request("http://ofertas.local/watches/gone/alerts.atom"));
  assert.equal(gone.status, 404);
  const res = await app.fetch(new Request("http://ofertas.local/watches/fones/alerts.atom"));
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /application\/atom\+xml/);
  const feed = parseFeed(await res.text());
  assert.equal(feed.meta.type, "atom");
  assert.equal(feed.title, "ofertas: fones");
  assert.deepEqual(feed.items.map((i) => i.id), views.map((v) => `urn:ofertas:alert:${v.alert_id}`));
  assert.equal(feed.items[0]!.url, "http://ofertas.local/items/MLB/MLB1000000001");
  assert.match(feed.items[0]!.description ?? "", /at or below your price/);
  assert.equal((await app.fetch(new Request("http://ofertas.local/watches/Bad%20Id/alerts.atom"))).status, 400);
});

/**
 * Titles a seller could give a listing; the text an XML reader reads back; the text the feed
 * library shows (it decodes HTML entities in a type="text" title once more: still text).
 */
const HOSTILE_TITLES: Array<[string, string, string?]> = [
  [
    ']]>]]></title><link href="https://evil.example/"/><title><![CDATA[',
    ']]>]]></title><link href="https://evil.example/"/><title><![CDATA[',
  ],
  ["Fone ]]> one ]]> two ]]>", "Fone ]]> one ]]> two ]]>"],
  ["Fone\u0001 com \u0008controle\u001f", "Fone com controle"],
  ["Fone \uFFFE\uFFFF lone \uD800 surrogate", "Fone  lone  surrogate"],
  ['<b>Fone</b> & "TV" <script>alert(1)</script>', '<b>Fone</b> & "TV" <script>alert(1)</script>'],
  ["&lt;already escaped&gt; &amp;", "&lt;already escaped&gt; &amp;", "<already escaped> &"],
];

/** What XML 1.0 cannot carry at all: a strict parser (libxml2, expat) refuses the document. */
// deno-lint-ignore no-control-regex -- the control characters are what it finds
const NOT_XML_1_0 = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;

test("hostile titles: both Atom feeds stay valid XML and a feed reader shows each title as text", async () => {
  const views = HOSTILE_TITLES.map(([title], i) => viewOf(alert(i, { title, price: null })));
  const app = createWebApp({
    source: new MemorySource({}, {}, views),
    // the watch's name is the route token holder's text: escaped the same way
    watches: new MemoryWatchSource([{ id: "fones", name: "Fones </title><![CDATA[ ]]>\u0001" } as never]),
    demo: false,
    today: () => "2026-06-30",
  });
  for (const path of ["/alerts.atom", "/watches/fones/alerts.atom"]) {
    const xml = await (await app.fetch(new Request(`http://ofertas.local${path}`))).text();
    assert.doesNotMatch(xml, NOT_XML_1_0, `${path}: a character XML 1.0 cannot carry`);
    assert.doesNotMatch(xml, /<!\[CDATA\[/, `${path}: no CDATA section`);
    assert.equal(XMLValidator.validate(xml), true, path);
    // an XML parser: one feed, one entry per alert, each with our link only and its title as text
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => ["entry", "link"].includes(name) })
      .parse(xml) as { feed: { entry: Array<{ title: { "#text": string }; link: Array<Record<string, string>> }> } };
    assert.equal(parsed.feed.entry.length, HOSTILE_TITLES.length, path);
    for (const [i, entry] of parsed.feed.entry.entries()) {
      assert.deepEqual(entry.link.map((l) => l["@_href"]), [`http://ofertas.local/items/MLB/MLB1000000001`], path);
      assert.equal(String(entry.title["#text"]), HOSTILE_TITLES[i]![1], path);
    }
    // a feed reader's library: the same entries, the same links, the titles as plain text
    const feed = parseFeed(xml);
    assert.deepEqual(
      feed.items.map((item) => item.url),
      views.map(() => "http://ofertas.local/items/MLB/MLB1000000001"),
    );
    assert.deepEqual(feed.items.map((item) => item.title), HOSTILE_TITLES.map(([, read, shown]) => shown ?? read));
    assert.ok(!xml.includes('href="https://evil.example/"'), path);
  }
});

test("public pages show a delivery's outcome and status code, never the channel's reply text", async () => {
  const reply = "500 Internal Server Error: token tk_SECRET0123 rejected <script>x</script>";
  // web_alerts.sql's rows: one per alert and channel, with the channel's last detail
  const a = alert(1);
  const rows = [["hook", 2, reply], ["mail", 1, "getaddrinfo ENOTFOUND smtp.example"]].map((
    [channel, attempts, detail],
  ) => ({
    ...a,
    decided_at: "2026-06-30 12:01:00",
    channel,
    delivered: 0,
    attempts,
    detail,
  }));
  const views = alertViewsOf(rows);
  assert.deepEqual(views[0]!.deliveries.map((d) => [d.channel, d.status]), [["hook", 500], ["mail", null]]);
  assert.deepEqual(views[0]!.deliveries.map(deliveryOutcome), [
    "retrying (500; 2 attempts)",
    "retrying (no answer; 1 attempt)",
  ]);
  const app = createWebApp({
    source: new MemorySource({}, {
      "MLB/MLB1000000001": [{
        offer_date: "2026-06-30",
        min_price: "70.00",
        max_price: "70.00",
        last_price: "70.00",
        original_price: null,
        displayed_discount_pct: null,
        labels: [],
      }],
    }, views),
    watches: new MemoryWatchSource([{
      id: "fones",
      name: "fones",
      target: { site: "MLB", view: "search", query: "fone", pages: 1 },
      period: { every: "30m" },
      enabled: true,
      created_at: "2026-06-30T10:00:00.000Z",
      updated_at: "2026-06-30T10:00:00.000Z",
      status: { running: null, last_run: null, next_run: "2026-06-30T13:00:00.000Z", backoff_until: null, failures: 0 },
    }]),
    demo: false,
    today: () => "2026-06-30",
  });
  const shown: Record<string, RegExp> = {
    "/items/MLB/MLB1000000001": /hook: retrying \(500; 2 attempts\)/,
    "/api/items/MLB/MLB1000000001/history": /"status":500/,
    "/watches": /waiting for a channel: hook \(500\), mail/,
    "/api/watches": /"status":500/,
  };
  for (const [path, outcome] of Object.entries(shown)) {
    const res = await app.fetch(new Request(`http://ofertas.local${path}?date=2026-06-30`));
    const page = await res.text();
    assert.equal(res.status, 200, path);
    assert.match(page, outcome, path);
    assert.ok(!page.includes("tk_SECRET0123") && !page.includes("ENOTFOUND"), `${path} shows a reply's text`);
  }
});
