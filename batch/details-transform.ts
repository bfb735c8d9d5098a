/**
 * The product-details feed: one Kafka record of `product-details` → one `product_details` row,
 * or a dead letter saying why not. Same decoding steps as the offers (transform.ts), then the
 * details message contract (shared/contract/details-message.ts). Runs in the daemon's main thread (the feed is
 * small: batch/consumer.ts opens an in-thread lane for it).
 */
import type { StageableRow } from "./staging.ts";
import { DETAILS_SCHEMA_VERSION, validateDetailsMessage } from "../shared/contract/details-message.ts";
import { toDetailsRow } from "../shared/contract/details-row.ts";
import { decodeJsonObject, type Transformed } from "./transform.ts";
import type { RawRecord } from "./backend/backend.ts";

export function transformRecord(record: RawRecord, ingestedAt: string): Transformed<StageableRow> {
  const decoded = decodeJsonObject(record, DETAILS_SCHEMA_VERSION);
  if ("kind" in decoded) return { deadLetter: { record, kind: decoded.kind, reason: decoded.reason } };
  const checked = validateDetailsMessage(decoded.body);
  if (!checked.ok) return { deadLetter: { record, kind: "schema", reason: `schema: ${checked.errors.join("; ")}` } };
  return { row: toDetailsRow(checked.value, record, ingestedAt) as StageableRow };
}
