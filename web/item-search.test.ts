/**
 * Item search: the words a search may hold, and web_items.sql on a local warehouse seeded with
 * the synthetic history (item_days as the loads leave it).
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { addDays } from "../shared/sql-templates.ts";
import { REPORT_DAY } from "../test/offer-history.ts";
import { seededLocalWarehouse } from "../test/seeded-warehouses.ts";
import { DuckDbSource } from "./duckdb-source.ts";
import { groupedByProduct, searchWords } from "./item-search.ts";

let source: DuckDbSource;
before(async () => {
  source = new DuckDbSource(await seededLocalWarehouse());
});

const search = (words: string[], site: string | null = null) =>
  source.items({ words, site, first: addDays(REPORT_DAY, -29), last: REPORT_DAY, limit: 100 });

test("item search: words are letters and digits of any script, lower case; too many or none is a reason", () => {
  assert.deepEqual(searchWords("  Acer RYZEN, 512gb!"), ["acer", "ryzen", "512gb"]);
  assert.deepEqual(searchWords("Relâmpago Fútbol"), ["relâmpago", "fútbol"]);
  assert.deepEqual(searchWords("50% OFF _"), ["50", "off"], "LIKE's own characters never reach a word");
  assert.match(searchWords("!!!") as string, /a word or two/);
  assert.match(searchWords("a b c d e f g") as string, /at most 6 words/);
});

test("item search: every word, over the last 30 days, most recently seen first, with the latest price and the lowest", async () => {
  const found = await search(["acer", "ryzen"]);
  assert.ok(found.length >= 4, `${found.length} items`);
  assert.ok(found.every((i) => /acer/i.test(i.title ?? "") && /ryzen/i.test(i.title ?? "")));
  assert.ok(found.every((i) => i.last_day >= addDays(REPORT_DAY, -29) && i.last_day <= REPORT_DAY));
  assert.deepEqual(found.map((i) => i.last_day), [...found.map((i) => i.last_day)].sort().reverse());
  const item = found.find((i) => i.item_id === "MLB1000000001")!;
  assert.deepEqual([item.last_day, item.last_price, item.min_price], [REPORT_DAY, "70.00", "70.00"]);
  const before = await source.items({
    words: ["acer"],
    site: null,
    first: "2026-01-01",
    last: "2026-01-30",
    limit: 10,
  });
  assert.deepEqual(before, [], "nothing seen in days without offers");
  assert.deepEqual((await search(["acer"], "MLA")).map((i) => i.site).filter((s) => s !== "MLA"), []);
  assert.deepEqual(await search(["acer", "geladeira"]), [], "every word must be in the title");
});

test("item search: a product's listings are pulled up after its first one; the rest keep their order", () => {
  const m = (item_id: string, product_id: string | null) => ({ site: "MLB", item_id, product_id });
  const found = [m("A", "P1"), m("B", null), m("C", "P2"), m("D", "P1"), m("E", null), m("F", "P2")];
  assert.deepEqual(groupedByProduct(found).map((i) => i.item_id), ["A", "D", "B", "C", "F", "E"]);
  assert.deepEqual(groupedByProduct([]), []);
});
