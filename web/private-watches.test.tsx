/**
 * A person's watch is theirs: its alerts and its finds are never on a public page, whether the
 * watches are read yet or not, and whether the watch still exists. Fails closed: a page that
 * cannot tell whose a watch is shows nothing of it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createWebApp } from "./app.tsx";
import type { AlertView } from "./alerts.ts";
import type { Deal } from "./deals.ts";
import { MemorySource } from "./memory-source.ts";
import { MemoryWatchSource } from "./watch-source.ts";

const DAY = "2026-06-30";
const ITEM = "MLB1000000001";

const deal: Deal = {
  site: "MLB",
  item_id: ITEM,
  title: "Presente secreto",
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
  url: "https://www.mercadolivre.com.br/presente/p/MLB1",
  image_url: null,
  label: null,
  watch_ids: ["anas-gift-abcdef", "operator-deals"],
};

const alert = (id: string, watchId: string | null): AlertView => ({
  alert_id: id,
  kind: "below",
  rule_key: "r",
  watch_id: watchId,
  site: "MLB",
  item_id: ITEM,
  title: `alert of ${watchId ?? "a global rule"}`,
  currency: "BRL",
  url: null,
  price: "70.00",
  verdict: "real",
  real_discount_pct: "30.00",
  why: `alert of ${watchId ?? "a global rule"}`,
  decided_at: `${DAY}T12:00:00.000Z`,
  deliveries: [],
});

const alerts = [alert("a1", "anas-gift-abcdef"), alert("a2", "operator-deals"), alert("a3", null)];
const PRIVATE = { id: "anas-gift-abcdef", name: "Ana's gift", owner: "acct-ana" } as never;
const OPERATOR = { id: "operator-deals", name: "deals" } as never;

function web(watches: MemoryWatchSource) {
  const source = new MemorySource({ [DAY]: [deal] }, {}, alerts);
  const app = createWebApp({ source, watches, demo: false, today: () => DAY });
  return (path: string) => app.fetch(new Request(`http://web${path}`));
}

const titlesIn = (text: string) => ["anas-gift", "operator-deals", "a global rule"].filter((t) => text.includes(t));

test("private watches: the public feed and item pages never show a person's alerts, read or not", async () => {
  for (
    const [when, watches] of [
      ["before the watches are read", new MemoryWatchSource(null)],
      ["once the person's watch is deleted", new MemoryWatchSource([OPERATOR])],
      ["while it exists", new MemoryWatchSource([PRIVATE, OPERATOR])],
    ] as const
  ) {
    const get = web(watches);
    const feed = await (await get("/alerts.atom")).text();
    const history = await (await get(`/api/items/MLB/${ITEM}/history`)).text();
    const page = await (await get(`/items/MLB/${ITEM}`)).text();
    for (const [what, text] of [["feed", feed], ["history", history], ["page", page]] as const) {
      assert.ok(!text.includes("alert of anas-gift"), `${when}: ${what} shows a person's alert`);
      assert.ok(text.includes("alert of a global rule"), `${when}: ${what} lost the global rule's alert`);
    }
    // an operator's watch is public once it is known to be the operator's
    const known = watches.watches?.some((w) => w.id === "operator-deals") ?? false;
    assert.equal(feed.includes("alert of operator-deals"), known, `${when}: ${titlesIn(feed)}`);
  }
});

test("private watches: a deleted or private watch has no public feed", async () => {
  const get = web(new MemoryWatchSource([OPERATOR]));
  assert.equal((await get("/watches/anas-gift-abcdef/alerts.atom")).status, 404);
  const withIt = web(new MemoryWatchSource([PRIVATE, OPERATOR]));
  assert.equal((await withIt("/watches/anas-gift-abcdef/alerts.atom")).status, 404);
  assert.equal((await withIt("/watches/operator-deals/alerts.atom")).status, 200);
});

test("private watches: the deals list names only watches the reader may see, and filters by none other", async () => {
  const get = web(new MemoryWatchSource([PRIVATE, OPERATOR]));
  const all = await (await get("/api/deals")).json() as { total: number; deals: Deal[] };
  assert.equal(all.total, 1);
  assert.deepEqual(all.deals[0]!.watch_ids, ["operator-deals"]);
  const byPrivate = await (await get("/api/deals?watch=anas-gift-abcdef")).json() as { total: number };
  assert.equal(byPrivate.total, 0, "a private watch's finds through the filter");
  const byOperator = await (await get("/api/deals?watch=operator-deals")).json() as { total: number };
  assert.equal(byOperator.total, 1);
  const html = await (await get("/")).text();
  assert.ok(!html.includes("anas-gift"), "the page names a person's watch");
  // before the watches are read, no watch is named at all
  const cold = web(new MemoryWatchSource(null));
  const coldDeals = await (await cold("/api/deals")).json() as { deals: Deal[] };
  assert.deepEqual(coldDeals.deals[0]!.watch_ids, []);
});
