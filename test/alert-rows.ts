/** Alert and delivery records as the consumer turns them into `alerts` rows (its real transform). */
import assert from "node:assert/strict";
import { transformRecord } from "../batch/alerts-transform.ts";
import type { StageableRow } from "../batch/staging.ts";

export function alertRows(records: readonly unknown[], ingestedAt: string): StageableRow[] {
  const enc = new TextEncoder();
  return records.map((r, i) => {
    const t = transformRecord(
      {
        topic: "ofertas.alerts",
        partition: 0,
        offset: String(i),
        key: null,
        value: enc.encode(JSON.stringify(r)),
        headers: {},
      },
      ingestedAt,
    );
    assert.ok("row" in t, JSON.stringify(t));
    return t.row as StageableRow;
  });
}
