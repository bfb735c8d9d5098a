/**
 * A catalog product's page on the local warehouse (the scripted 31-day history of
 * test/product-verdict-history.ts): a price line per seller, the best-price line over them, the
 * period its page showed nothing for sale, the report day's sellers ranked by price with the lead
 * of the cheapest, and the verdict the scheduled query gives (computed by hand there).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { offerDate } from "../shared/timestamp.ts";
import { addDays } from "../shared/sql-templates.ts";
import { productWarehouse } from "../test/product-warehouse.ts";
import { createWebApp } from "./app.tsx";
import { DuckDbSource } from "./duckdb-source.ts";
import { bestLine, leadOverNext, outOfStockPeriods } from "./product.ts";

const DAY = addDays(offerDate(new Date().toISOString()), -2);
let root: string;
before(async () => {
  root = await productWarehouse(DAY);
});
after(() => rmSync(root, { recursive: true, force: true }));

const query = { site: "MLB", productId: "MLB7770001", first: addDays(DAY, -29), last: DAY };

test("product page data: a line per seller, the best line over them, the stock periods, the sellers of the day, the verdict", async () => {
  const view = await new DuckDbSource(root).product(query);
  const sellers = [...new Set(view.days.map((d) => d.seller_key))].sort();
  assert.deepEqual(sellers, ["LOJA A", "LOJA B", "LOJA C"]);
  // LOJA B sold at 180 until 10 days before, and relisted at 171 on the report day
  assert.deepEqual(view.days.filter((d) => d.seller_key === "LOJA B").map((d) => d.min_price).slice(-2), [
    "180.00",
    "171.00",
  ]);
  const best = bestLine(view.days);
  assert.equal(best.length, 30);
  assert.deepEqual(best.at(-1), { offer_date: DAY, price: "171.00", seller_key: "LOJA B" });
  assert.equal(best.find((b) => b.offer_date === addDays(DAY, -3))?.price, "190.00", "C's 190 under A's 200");
  assert.deepEqual(outOfStockPeriods(view.stock).map((p) => [p.from.slice(0, 10), p.to?.slice(0, 10)]), [
    [addDays(DAY, -3), addDays(DAY, -1)],
  ]);
  assert.deepEqual(view.sellers.map((s) => [s.item_id, s.seller, s.price]), [
    ["MLB3000000004", "LOJA B", "171.00"],
    ["MLB3000000001", "LOJA A", "195.00"],
  ]);
  assert.equal(leadOverNext(view.sellers), 12.3);
  assert.deepEqual(
    [view.verdict?.verdict, view.verdict?.real_discount_pct, view.verdict?.min_price_30d, view.verdict?.best_seller],
    ["inflated", "5.00", "180.00", "LOJA B"],
  );
});

test("product page: the chart draws each seller, the best line and the out-of-stock period; the sellers ranked with their standing", async () => {
  const app = createWebApp({ source: new DuckDbSource(root), demo: false, today: () => DAY });
  const res = await app.fetch(new Request(`http://web/products/MLB/MLB7770001?date=${DAY}`));
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.equal(html.match(/class="seller-line seller-\d"/g)?.length, 3);
  assert.equal(html.match(/class="best-line"/g)?.length, 1);
  assert.equal(html.match(/<rect class="out-of-stock"/g)?.length, 1);
  assert.match(html, /The cheapest seller is LOJA B, 12.3% under the next/);
  assert.match(html, /reputation not shown/);
  assert.equal(html.match(/<tr data-item=/g)?.length, 2);
  const json = await (await app.fetch(new Request(`http://web/api/products/MLB/MLB7770001?date=${DAY}`))).json();
  assert.equal(json.verdict.verdict, "inflated");
  assert.equal((await app.fetch(new Request("http://web/products/MLB/MLA1"))).status, 400);
  assert.equal((await app.fetch(new Request(`http://web/products/MLB/MLB999999?date=${DAY}`))).status, 404);
});

test("item page: a listing of a catalog product links to the product's page; the deals list shows the seller and the product", async () => {
  const app = createWebApp({ source: new DuckDbSource(root), demo: false, today: () => DAY });
  const item = await (await app.fetch(new Request(`http://web/items/MLB/MLB3000000004?date=${DAY}`))).text();
  assert.match(item, new RegExp(`href="/products/MLB/MLB7770001\\?date=${DAY}"`));
  const history = await (await app.fetch(new Request(`http://web/api/items/MLB/MLB3000000001/history?date=${DAY}`)))
    .json();
  assert.equal(history.product_id, "MLB7770001");
  const deals = await (await app.fetch(new Request(`http://web/?date=${DAY}`))).text();
  assert.match(deals, /Sold by LOJA B/);
  assert.match(deals, /every seller of this product/);
});

test("item search: the listings of one catalog product come together, under a link to the product", async () => {
  const app = createWebApp({ source: new DuckDbSource(root), demo: false, today: () => DAY });
  const json = await (await app.fetch(new Request("http://web/api/items?q=notebook+acer"))).json();
  const products = json.items.map((i: { product_id: string }) => i.product_id);
  // each product's listings are side by side, whatever order they were last seen in
  assert.deepEqual(products, [...products].sort((a: string, b: string) => products.indexOf(a) - products.indexOf(b)));
  assert.deepEqual([...new Set(products)].sort(), ["MLB7770001", "MLB7770002"]);
  const html = await (await app.fetch(new Request("http://web/items?q=notebook+acer"))).text();
  assert.equal(html.match(/<li class="product-group"/g)?.length, 2);
  assert.match(html, /4 listings of catalog product MLB7770001/);
  assert.match(html, new RegExp(`href="/products/MLB/MLB7770002\\?date=${DAY}"`));
});
