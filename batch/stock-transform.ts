/**
 * The stock feed: one record of `ofertas.stock` → one `stock_observations` row, or a dead letter
 * saying why not (shared/contract/stock-message.ts). Runs in the daemon's main thread (a small feed).
 */
import type { StageableRow } from "./staging.ts";
import { STOCK_SCHEMA_VERSION, validateStockMessage } from "../shared/contract/stock-message.ts";
import { toStockRow } from "../shared/contract/stock-row.ts";
import { decodeJsonObject, type Transformed } from "./transform.ts";
import type { RawRecord } from "./backend/backend.ts";

export function transformRecord(record: RawRecord, ingestedAt: string): Transformed<StageableRow> {
  const decoded = decodeJsonObject(record, STOCK_SCHEMA_VERSION);
  if ("kind" in decoded) return { deadLetter: { record, kind: decoded.kind, reason: decoded.reason } };
  const checked = validateStockMessage(decoded.body);
  if (!checked.ok) return { deadLetter: { record, kind: "schema", reason: `schema: ${checked.errors.join("; ")}` } };
  return { row: toStockRow(checked.value, record, ingestedAt) as StageableRow };
}
