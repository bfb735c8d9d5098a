/**
 * Synthetic multi-day offer histories with hand-written expected answers for the scheduled
 * queries (report day 2026-06-30). The rows go through the real transform (offer_key,
 * offer_date in São Paulo) and the real warehouse load.
 */
import { rawRecords } from "./raw-records.ts";
import { type LoadBatch, shapeOf, stageRows } from "../batch/staging.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { transform } from "../batch/transform.ts";
import { sampleMessage } from "./sample-offer.ts";

export const REPORT_DAY = "2026-06-30";

interface Observation {
  site: "MLB" | "MLA";
  item: string;
  /** Days before the report day (0 = the report day). */
  daysBefore: number;
  price: string;
  original?: string | null;
  discount?: number | null;
  label?: string | null;
  /** UTC time of day; "02:30" on the next UTC day still belongs to the São Paulo day. */
  at?: string;
  nextUtcDay?: boolean;
}

export function dayBefore(n: number): string {
  const d = new Date(Date.UTC(2026, 5, 30 - n));
  return d.toISOString().slice(0, 10);
}

const repeat = (site: Observation["site"], item: string, from: number, to: number, price: string): Observation[] =>
  Array.from({ length: from - to + 1 }, (_, i) => ({ site, item, daysBefore: from - i, price }));

export const HISTORY: Observation[] = [
  // MLB1000000001 genuine drop: 100 for 20 days, then 70 (two scrapes on the day: 75, then 70)
  ...repeat("MLB", "MLB1000000001", 20, 1, "100.00"),
  {
    site: "MLB",
    item: "MLB1000000001",
    daysBefore: 0,
    price: "75.00",
    original: "100.00",
    discount: 25,
    label: "OFERTA DO DIA",
    at: "12:00",
  },
  {
    site: "MLB",
    item: "MLB1000000001",
    daysBefore: 0,
    price: "70.00",
    original: "100.00",
    discount: 30,
    label: "OFERTA RELÂMPAGO",
    at: "21:00",
  },
  // MLB1000000002 price raised before the "discount": 100, then 150 for 5 days, then "20% off" 120
  ...repeat("MLB", "MLB1000000002", 20, 6, "100.00"),
  ...repeat("MLB", "MLB1000000002", 5, 1, "150.00"),
  { site: "MLB", item: "MLB1000000002", daysBefore: 0, price: "120.00", original: "150.00", discount: 20 },
  // MLB1000000003 seen for the first time today
  { site: "MLB", item: "MLB1000000003", daysBefore: 0, price: "50.00", original: "100.00", discount: 50 },
  // MLB1000000004 returns to normal after a sale (200 → 160 → 200), then claims 20% off an original of 250
  ...repeat("MLB", "MLB1000000004", 20, 6, "200.00"),
  ...repeat("MLB", "MLB1000000004", 5, 2, "160.00"),
  { site: "MLB", item: "MLB1000000004", daysBefore: 1, price: "200.00" },
  { site: "MLB", item: "MLB1000000004", daysBefore: 0, price: "200.00", original: "250.00", discount: 20 },
  // MLB1000000005 claims no discount: not judged
  ...repeat("MLB", "MLB1000000005", 10, 1, "80.00"),
  { site: "MLB", item: "MLB1000000005", daysBefore: 0, price: "80.00" },
  // MLB1000000006 only 3 days of history
  ...repeat("MLB", "MLB1000000006", 3, 1, "100.00"),
  { site: "MLB", item: "MLB1000000006", daysBefore: 0, price: "90.00", original: "100.00", discount: 10 },
  // MLB1000000007 a bare "no Pix" label (no percent): the discount the prices imply (15) is judged
  ...repeat("MLB", "MLB1000000007", 20, 1, "100.00"),
  { site: "MLB", item: "MLB1000000007", daysBefore: 0, price: "85.00", original: "100.00", discount: null },
  // MLA2000000001 genuine drop in ARS; today's scrape at 02:30 UTC of the next day is still today in São Paulo
  ...repeat("MLA", "MLA2000000001", 15, 1, "10000.00"),
  {
    site: "MLA",
    item: "MLA2000000001",
    daysBefore: 0,
    price: "6000.00",
    original: "10000.00",
    discount: 40,
    at: "02:30",
    nextUtcDay: true,
  },
  // MLA2000000002 an inflated "original" price far above anything seen
  ...repeat("MLA", "MLA2000000002", 15, 1, "500.00"),
  { site: "MLA", item: "MLA2000000002", daysBefore: 0, price: "450.00", original: "900.00", discount: 50 },
  // MLA2000000003 a small but real discount
  ...repeat("MLA", "MLA2000000003", 10, 1, "1000.00"),
  { site: "MLA", item: "MLA2000000003", daysBefore: 0, price: "950.00", original: "1000.00", discount: 5 },
];

/** fake_discounts for REPORT_DAY with the default settings (tolerance 5, 7 days of history). */
export const EXPECTED_FAKE_DISCOUNTS = [
  {
    site: "MLA",
    item_id: "MLA2000000001",
    verdict: "real",
    reason: null,
    real_discount_pct: 40,
    history_days: 15,
    min_price_30d: 10000,
    max_price_30d: 10000,
    displayed_discount_pct: 40,
    price: 6000,
  },
  {
    site: "MLA",
    item_id: "MLA2000000002",
    verdict: "inflated",
    reason: "original_above_30d_high",
    real_discount_pct: 10,
    history_days: 15,
    min_price_30d: 500,
    max_price_30d: 500,
    displayed_discount_pct: 50,
    price: 450,
  },
  {
    site: "MLA",
    item_id: "MLA2000000003",
    verdict: "real",
    reason: null,
    real_discount_pct: 5,
    history_days: 10,
    min_price_30d: 1000,
    max_price_30d: 1000,
    displayed_discount_pct: 5,
    price: 950,
  },
  {
    site: "MLB",
    item_id: "MLB1000000001",
    verdict: "real",
    reason: null,
    real_discount_pct: 30,
    history_days: 20,
    min_price_30d: 100,
    max_price_30d: 100,
    displayed_discount_pct: 30,
    price: 70,
  },
  {
    site: "MLB",
    item_id: "MLB1000000002",
    verdict: "inflated",
    reason: "real_discount_below_displayed",
    real_discount_pct: -20,
    history_days: 20,
    min_price_30d: 100,
    max_price_30d: 150,
    displayed_discount_pct: 20,
    price: 120,
  },
  {
    site: "MLB",
    item_id: "MLB1000000003",
    verdict: "insufficient_history",
    reason: "history_days_below_minimum",
    real_discount_pct: null,
    history_days: 0,
    min_price_30d: null,
    max_price_30d: null,
    displayed_discount_pct: 50,
    price: 50,
  },
  {
    site: "MLB",
    item_id: "MLB1000000004",
    verdict: "inflated",
    reason: "original_above_30d_high",
    real_discount_pct: -25,
    history_days: 20,
    min_price_30d: 160,
    max_price_30d: 200,
    displayed_discount_pct: 20,
    price: 200,
  },
  {
    site: "MLB",
    item_id: "MLB1000000006",
    verdict: "insufficient_history",
    reason: "history_days_below_minimum",
    real_discount_pct: 10,
    history_days: 3,
    min_price_30d: 100,
    max_price_30d: 100,
    displayed_discount_pct: 10,
    price: 90,
  },
  {
    site: "MLB",
    item_id: "MLB1000000007",
    verdict: "real",
    reason: null,
    real_discount_pct: 15,
    history_days: 20,
    min_price_30d: 100,
    max_price_30d: 100,
    displayed_discount_pct: 15,
    price: 85,
  },
];

/** daily_top_deals for REPORT_DAY with top_n = 20: every real deal, ranked. */
export const EXPECTED_TOP_DEALS = [
  { site: "MLA", item_id: "MLA2000000001", real_discount_pct: 40, rank_in_site: 1, rank_overall: 1 },
  { site: "MLB", item_id: "MLB1000000001", real_discount_pct: 30, rank_in_site: 1, rank_overall: 2 },
  { site: "MLB", item_id: "MLB1000000007", real_discount_pct: 15, rank_in_site: 2, rank_overall: 3 },
  { site: "MLA", item_id: "MLA2000000003", real_discount_pct: 5, rank_in_site: 2, rank_overall: 4 },
];

/** price_history of MLB1000000001 on REPORT_DAY: two observations, last one wins. */
export const EXPECTED_PRICE_HISTORY_ITEM1 = {
  item_id: "MLB1000000001",
  observations: 2,
  scrapes: 2,
  min_price: 70,
  max_price: 75,
  last_price: 70,
  original_price: 100,
  displayed_discount_pct: 30,
  labels: ["OFERTA DO DIA", "OFERTA RELÂMPAGO"],
};

/** The history as one load batch of warehouse rows. */
export async function historyBatch(spoolRoot: string): Promise<LoadBatch> {
  const messages = HISTORY.map((o, i) => {
    const day = o.nextUtcDay ? dayBefore(o.daysBefore - 1) : dayBefore(o.daysBefore);
    return sampleMessage({
      site: o.site,
      item_id: o.item,
      url: o.site === "MLB"
        ? `https://produto.mercadolivre.com.br/${o.item.slice(0, 3)}-${o.item.slice(3)}-x-_JM`
        : `https://articulo.mercadolibre.com.ar/${o.item.slice(0, 3)}-${o.item.slice(3)}-x-_JM`,
      currency: o.site === "MLB" ? "BRL" : "ARS",
      product_id: null,
      user_product_id: null,
      price: o.price,
      original_price: o.original ?? null,
      discount_pct: o.discount ?? null,
      installments: null,
      label: o.label ?? null,
      scrape_id: `history-${day}-${(o.at ?? "12:00").replace(":", "")}`,
      scraped_at: `${day}T${o.at ?? "12:00"}:00Z`,
      source_url: o.site === "MLB"
        ? "https://www.mercadolivre.com.br/ofertas"
        : "https://www.mercadolibre.com.ar/ofertas",
      position: 1 + (i % 48),
    });
  });
  const records = rawRecords("history", messages);
  const { rows, deadLetters } = await transform(records, "2026-07-01T00:00:00Z");
  if (deadLetters.length) throw new Error(`invalid synthetic offers: ${deadLetters.map((d) => d.reason).join("; ")}`);
  return stageRows(spoolRoot, shapeOf(DAILY_OFFERS), rows, [
    { topic: "history", partition: 0, first: "0", last: String(records.length - 1) },
  ]);
}

/** Numbers as numbers, for comparing engines that return decimals as strings. */
export function normalize(row: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(
    keys.map((
      k,
    ) => [
      k,
      typeof row[k] === "string" && /^-?\d+(\.\d+)?$/.test(row[k] as string) ? Number(row[k]) : (row[k] ?? null),
    ]),
  );
}
