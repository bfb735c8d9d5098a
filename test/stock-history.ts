/**
 * Stock messages of one subject over a few runs, and their load into a warehouse through the real
 * stock feed (batch/stock-transform.ts): the input of the stock rules' tests.
 */
import { transformRecord } from "../batch/stock-transform.ts";
import { shapeOf, type StageableRow, stageRows } from "../batch/staging.ts";
import { STOCK_OBSERVATIONS } from "../shared/tables.ts";
import type { LoadBatch } from "../batch/staging.ts";

export interface Seen {
  at: string;
  available: boolean;
  source?: "route" | "enricher";
  watchRun?: number;
}

/** One item watch's runs (and the enricher's fetches) of item MLB1234567890, as stock messages. */
export function itemStock(seen: readonly Seen[], watchId = "drill"): Array<Record<string, unknown>> {
  return seen.map((s) => ({
    schema_version: 1,
    site: "MLB",
    subject: "item",
    item_id: "MLB1234567890",
    product_id: null,
    title: "Furadeira de Impacto 650W",
    available: s.available,
    available_quantity: s.available ? 2 : null,
    price: s.available ? "249.90" : null,
    seller: s.available ? "FERRAGENS SILVA" : null,
    observed_at: s.at,
    source: s.source ?? "route",
    watch_id: (s.source ?? "route") === "route" ? watchId : null,
    watch_run: (s.source ?? "route") === "route" ? (s.watchRun ?? 2) : null,
    page_url: "https://produto.mercadolivre.com.br/MLB-1234567890-furadeira-_JM",
  }));
}

/** Stock messages through the stock feed's transform, staged as one batch (its Kafka positions from `first`). */
export async function stockBatch(
  root: string,
  messages: ReadonlyArray<Record<string, unknown>>,
  first: number,
): Promise<LoadBatch> {
  const enc = new TextEncoder();
  const rows: StageableRow[] = [];
  messages.forEach((m, i) => {
    const out = transformRecord({
      topic: "ofertas.stock",
      partition: 0,
      offset: String(first + i),
      key: null,
      value: enc.encode(JSON.stringify(m)),
      headers: {},
    }, new Date().toISOString());
    if (!("row" in out) || !out.row) throw new Error(`not a stock row: ${JSON.stringify(out)}`);
    rows.push(out.row);
  });
  return await stageRows(root, shapeOf(STOCK_OBSERVATIONS), rows);
}
