/**
 * The warehouse's in-memory twin for the stock rules' property test: stock_observations (one row
 * per stock key, the first load wins, with its Kafka position), and what stock_candidates.sql
 * answers: the rows at a load's positions on a day, each with its subject's observation just
 * before it (any source, within 30 days).
 */
import type { LoadPositions } from "../../alert/candidates.ts";
import type { Observation } from "../../alert/observation.ts";
import type { StockObservation } from "../../alert/stock-observation.ts";
import type { ModelStock } from "./stock-reference.ts";

export interface StoredStock extends ModelStock {
  partition: number;
  offset: number;
}

const LOOK_BACK_MS = 30 * 86_400_000;
const order = (a: ModelStock, b: ModelStock) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export class MemoryStockWarehouse {
  readonly rows = new Map<string, StoredStock>();

  load(rows: readonly StoredStock[]): void {
    for (const row of rows) if (!this.rows.has(row.key)) this.rows.set(row.key, row);
  }

  observations(): Promise<Observation[]> {
    return Promise.resolve([]);
  }

  stockObservations(ranges: LoadPositions, day: string): Promise<StockObservation[]> {
    const inRange = (r: StoredStock) =>
      ranges.some((x) => x.partition === r.partition && r.offset >= Number(x.first) && r.offset <= Number(x.last));
    const all = [...this.rows.values()].sort(order);
    const out = all.filter((r) => r.day === day && inRange(r)).map((r): StockObservation => {
      const before = all.filter((b) =>
        b.site === r.site && b.subject === r.subject && b.id === r.id && order(b, r) < 0 && r.at - b.at <= LOOK_BACK_MS
      ).at(-1);
      return {
        site: r.site,
        subject: r.subject,
        item_id: r.subject === "item" ? r.id : null,
        product_id: r.subject === "product" ? r.id : null,
        title: `Subject ${r.id}`,
        available: r.available,
        available_quantity: r.available ? 1 : null,
        price: r.available ? "100.00" : null,
        seller: null,
        observed_at: new Date(r.at).toISOString(),
        observed_date: r.day,
        stock_key: r.key,
        source: r.watch_id ? "route" : "enricher",
        watch_id: r.watch_id,
        watch_run: r.watch_run,
        page_url: "https://www.mercadolivre.com.br/x",
        previous_available: before ? before.available : null,
        previous_at: before ? new Date(before.at).toISOString() : null,
      };
    });
    return Promise.resolve(out);
  }
}
