/**
 * A local warehouse holding the scripted 31-day history of two catalog products
 * (product-verdict-history.ts) and stock observations of the first product's catalog page (out of
 * stock on the two days before the report day): what the product page's tests and the browser
 * test read.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shapeOf, stageRows } from "../batch/staging.ts";
import { transform } from "../batch/transform.ts";
import { addDays } from "../shared/sql-templates.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { productVerdictHistory } from "./product-verdict-history.ts";
import { inProcessLocalWarehouse } from "./seeded-warehouses.ts";
import type { Warehouse } from "../batch/warehouse/warehouse.ts";
import { stockBatch } from "./stock-history.ts";

/** What a product page fetch said of MLB7770001's stock, at noon in São Paulo of a day before `reportDay`. */
function productStock(reportDay: string, daysBefore: number, available: boolean) {
  return {
    schema_version: 1,
    site: "MLB",
    subject: "product",
    item_id: available ? "MLB3000000001" : null,
    product_id: "MLB7770001",
    title: "Console relisted",
    available,
    available_quantity: null,
    price: available ? "200.00" : null,
    seller: available ? "LOJA A" : null,
    observed_at: `${addDays(reportDay, -daysBefore)}T15:00:00.000Z`,
    source: "route",
    watch_id: "console",
    watch_run: 10 - daysBefore,
    page_url: "https://www.mercadolivre.com.br/p/MLB7770001",
  };
}

export async function productWarehouse(reportDay: string): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "ofertas-product-web-"));
  await loadProductHistory(await inProcessLocalWarehouse(root), root, reportDay);
  return root;
}

/** The offers and the stock into a prepared warehouse (either engine), staged in `spool`. */
export async function loadProductHistory(
  warehouse: Pick<Warehouse, "load">,
  spool: string,
  reportDay: string,
): Promise<void> {
  const root = spool;
  const enc = new TextEncoder();
  const { rows } = await transform(
    productVerdictHistory(reportDay).map((m, i) => ({
      topic: "deal-of-the-day",
      partition: 0,
      offset: String(i),
      key: null,
      value: enc.encode(JSON.stringify(m)),
      headers: {},
    })),
    new Date().toISOString(),
  );
  await warehouse.load(await stageRows(root, shapeOf(DAILY_OFFERS), rows));
  const stock = [
    productStock(reportDay, 4, true),
    productStock(reportDay, 3, false),
    productStock(reportDay, 2, false),
    productStock(reportDay, 1, true),
  ];
  await warehouse.load(await stockBatch(root, stock, 0));
}
