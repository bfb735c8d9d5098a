/**
 * The alerts feed: one record of `ofertas.alerts` (an alert, or a delivery of one) → one row of
 * `alerts`, or a dead letter saying why not (shared/alert/alert-record.ts); a tombstone is skipped.
 */
import * as v from "valibot";
import { ALERT_SCHEMA_VERSION, AlertRecordSchema, toAlertRow } from "../shared/alert/alert-record.ts";
import type { StageableRow } from "./staging.ts";
import { decodeJsonObject, type Transformed } from "./transform.ts";
import type { RawRecord } from "./backend/backend.ts";

export function transformRecord(record: RawRecord, _ingestedAt: string): Transformed<StageableRow> {
  // the alerter tombstones delivered alerts after a day (its topic is compacted): the rows stay
  if (record.value === null) return { skip: true };
  const decoded = decodeJsonObject(record, ALERT_SCHEMA_VERSION);
  if ("kind" in decoded) return { deadLetter: { record, kind: decoded.kind, reason: decoded.reason } };
  const checked = v.safeParse(AlertRecordSchema, decoded.body);
  if (!checked.success) {
    const reasons = checked.issues.slice(0, 5).map((i) => `${v.getDotPath(i) ?? "(record)"}: ${i.message}`);
    return { deadLetter: { record, kind: "schema", reason: `schema: ${reasons.join("; ")}` } };
  }
  return { row: toAlertRow(checked.output, record) as StageableRow };
}
