/**
 * What the alerter compares for a product, from the real load path into a real DuckDB warehouse
 * (sql/duckdb/product_candidates.sql): each observation of a watched product with its board (every
 * listing as it stood at that moment, with the verdict of its price at product level), the
 * product's lows across every seller and its previous day's best price, on the scripted history of
 * test/product-verdict-history.ts whose verdicts were computed by hand.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shapeOf, stageRows } from "../batch/staging.ts";
import { transform } from "../batch/transform.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { offerDate } from "../shared/timestamp.ts";
import { addDays } from "../shared/sql-templates.ts";
import { productVerdictHistory } from "../test/product-verdict-history.ts";
import { inProcessLocalWarehouse } from "../test/seeded-warehouses.ts";
import { DuckDbCandidates } from "./candidates.ts";

const DAY = addDays(offerDate(new Date().toISOString()), -2);

test("product candidates: each observation with its product's board at that moment, the verdicts at product level, the product's lows and previous day", async () => {
  const root = mkdtempSync(join(tmpdir(), "ofertas-product-candidates-"));
  const warehouse = await inProcessLocalWarehouse(root);
  const enc = new TextEncoder();
  const { rows } = await transform(
    productVerdictHistory(DAY).map((m, i) => ({
      topic: "deal-of-the-day",
      partition: 0,
      offset: String(i),
      key: null,
      value: enc.encode(JSON.stringify(m)),
      headers: {},
    })),
    new Date().toISOString(),
  );
  const batch = await stageRows(root, shapeOf(DAILY_OFFERS), rows);
  await warehouse.load(batch);
  const source = new DuckDbCandidates(root);
  const seen = await source.productObservations(batch.ranges, DAY, [7], ["MLB|MLB7770001"]);
  // the report day's three observations of the relisted product, in scrape order; nothing of the other product
  assert.deepEqual(seen.map((o) => [o.observed_item_id, o.board.map((l) => `${l.item_id} ${l.price}`)]), [
    ["MLB3000000001", ["MLB3000000001 200.00"]],
    ["MLB3000000004", ["MLB3000000001 200.00", "MLB3000000004 171.00"]],
    // A's later price replaces its earlier one on the board
    ["MLB3000000001", ["MLB3000000001 195.00", "MLB3000000004 171.00"]],
  ]);
  const relisted = seen[1]!.board[1]!;
  assert.deepEqual(
    [relisted.verdict, relisted.real_discount_pct, relisted.min_price_30d, relisted.history_days, relisted.seller],
    ["inflated", "5.00", "180.00", 30, "LOJA B"],
  );
  // lows across every seller: B's 180 within 30 days; within 7, C's 190; the previous day's best was C's 190
  assert.deepEqual(seen[1]!.lows, { 7: "190.00", 30: "180.00" });
  assert.deepEqual([seen[1]!.previous_price, seen[1]!.previous_day], ["190.00", addDays(DAY, -1)]);

  const real = await source.productObservations(batch.ranges, DAY, [], ["MLB|MLB7770002"]);
  const f = real.at(-1)!.board.find((l) => l.item_id === "MLB3000000006")!;
  assert.deepEqual([f.verdict, f.real_discount_pct, f.official_store], ["real", "20.00", true]);
  assert.deepEqual(await source.productObservations(batch.ranges, DAY, [], []), []);
});
