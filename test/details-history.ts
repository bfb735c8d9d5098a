/**
 * Product details for some items of test/offer-history.ts's history (categories made up), with
 * the deals_by_category report worked out by hand from it.
 */
import { type LoadBatch, shapeOf, type StageableRow, stageRows } from "../batch/staging.ts";
import { validateDetailsMessage } from "../shared/contract/details-message.ts";
import { toDetailsRow } from "../shared/contract/details-row.ts";
import { PRODUCT_DETAILS } from "../shared/tables.ts";
import { dayBefore } from "./offer-history.ts";

/** Product details of some of the history's items (test/offer-history.ts's items, categories made up). */
export const HISTORY_DETAILS: Array<{ site: "MLB" | "MLA"; item: string; daysBefore: number; category: string }> = [
  { site: "MLB", item: "MLB1000000001", daysBefore: 10, category: "Antiga" }, // superseded by the next
  { site: "MLB", item: "MLB1000000001", daysBefore: 2, category: "Informática" },
  { site: "MLB", item: "MLB1000000002", daysBefore: 0, category: "Informática" },
  { site: "MLA", item: "MLA2000000001", daysBefore: 5, category: "Hogar" },
  { site: "MLA", item: "MLA2000000002", daysBefore: 1, category: "Hogar" },
  { site: "MLB", item: "MLB1000000007", daysBefore: 40, category: "Ferramentas" }, // outside the 30 days
];

/** deals_by_category for REPORT_DAY, worked out by hand from EXPECTED_FAKE_DISCOUNTS and HISTORY_DETAILS. */
export const EXPECTED_DEALS_BY_CATEGORY = [
  {
    category: "(not detailed yet)",
    offers: 5,
    real_deals: 2,
    inflated: 1,
    insufficient_history: 2,
    avg_real_discount_pct: 10,
  },
  { category: "Hogar", offers: 2, real_deals: 1, inflated: 1, insufficient_history: 0, avg_real_discount_pct: 40 },
  {
    category: "Informática",
    offers: 2,
    real_deals: 1,
    inflated: 1,
    insufficient_history: 0,
    avg_real_discount_pct: 30,
  },
];

export async function detailsBatch(spoolRoot: string): Promise<LoadBatch> {
  const rows = HISTORY_DETAILS.map((d, i) => {
    const day = dayBefore(d.daysBefore);
    const host = d.site === "MLB" ? "produto.mercadolivre.com.br" : "articulo.mercadolibre.com.ar";
    const checked = validateDetailsMessage({
      schema_version: 1,
      item_id: d.item,
      page_url: `https://${host}/${d.item.slice(0, 3)}-${d.item.slice(3)}-x-_JM`,
      page_kind: "product",
      fetched_at: `${day}T15:00:00Z`,
      site: d.site,
      shown_item_id: d.item,
      product_id: null,
      user_product_id: null,
      title: `Item ${d.item}`,
      canonical_url: null,
      price: "10.00",
      original_price: null,
      currency: d.site === "MLB" ? "BRL" : "ARS",
      available: true,
      condition: "new",
      sold_quantity_text: "+100 vendidos",
      sold_quantity_min: 100,
      available_quantity: null,
      available_quantity_text: null,
      seller_name: "Loja",
      seller_name_kind: "store_name",
      official_store: false,
      rating: 4.5,
      reviews: 10,
      category_id: `${d.site}${1000 + i}`,
      category_path: [d.category, "Sub"],
      description: "Descrição.",
      attributes: [{ name: "Marca", value: "X" }],
      images: 3,
    });
    if (!checked.ok) throw new Error(`invalid synthetic details: ${checked.errors.join("; ")}`);
    return toDetailsRow(checked.value, { topic: "details", partition: 0, offset: String(i) }, "2026-07-01T00:00:00Z");
  });
  return stageRows(spoolRoot, shapeOf(PRODUCT_DETAILS), rows as StageableRow[], [
    { topic: "details", partition: 0, first: "0", last: String(rows.length - 1) },
  ]);
}
