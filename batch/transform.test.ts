import { test } from "node:test";
import assert from "node:assert/strict";
import { offerKey } from "../shared/contract/offer-key.ts";
import { validateWarehouseRow } from "../shared/contract/warehouse-row.ts";
import { sampleMessage } from "../test/sample-offer.ts";
import { decodeOffer, transform } from "./transform.ts";
import type { RawRecord } from "./backend/backend.ts";

const enc = new TextEncoder();
let offset = 100;
function record(value: string | Uint8Array | null, headers: Record<string, string> = {}): RawRecord {
  return {
    topic: "deal-of-the-day",
    partition: 2,
    offset: String(offset++),
    key: enc.encode("MLB6225112300"),
    value: typeof value === "string" ? enc.encode(value) : value,
    headers,
  };
}

test("transform: a valid message becomes a valid warehouse row with exact money and provenance", async () => {
  const message = sampleMessage({ scraped_at: "2026-06-17T02:30:00Z", price: "3149.00", original_price: "5609.00" });
  const r = record(JSON.stringify(message));
  const { rows, deadLetters } = await transform([r], "2026-06-17T02:35:00.000Z");
  assert.deepEqual(deadLetters, []);
  const row = rows[0]!;
  assert.ok(validateWarehouseRow(row).ok);
  assert.equal(row.offer_date, "2026-06-16", "02:30 UTC is still the 16th in São Paulo");
  assert.equal(row.price, "3149.00");
  assert.equal(row.computed_discount_pct, "43.86");
  assert.equal(row.discount_pct, 43);
  assert.equal(row.installments_count, 10);
  assert.equal(row.installment_amount, "349.99");
  assert.equal(row.installments_interest_free, true);
  assert.equal(row.full_fulfilment, true);
  assert.equal(row.kafka_topic, "deal-of-the-day");
  assert.equal(row.kafka_partition, 2);
  assert.equal(row.kafka_offset, Number(r.offset));
  assert.equal(row.ingested_at, "2026-06-17T02:35:00.000Z");
  assert.equal(row.offer_key, await offerKey(message as never));
});

test("transform: the watch and its run that found the offer reach the row; null for an ad-hoc scrape", async () => {
  const { rows } = await transform([
    record(JSON.stringify(sampleMessage({ watch_id: "iphone", watch_run: 7 }))),
    record(JSON.stringify(sampleMessage({ scrape_id: "scrape-0002" }))),
  ], "2026-06-17T02:35:00.000Z");
  assert.deepEqual(rows.map((r) => [r.watch_id, r.watch_run]), [["iphone", 7], [null, null]]);
  for (const row of rows) assert.ok(validateWarehouseRow(row).ok);
  // the columns added since the first release come last, where ALTER TABLE appends them
  assert.deepEqual(Object.keys(rows[0]!).slice(-4), [
    "watch_id",
    "watch_run",
    "seller_reputation",
    "seller_power_status",
  ]);
});

test("transform: no original price means no recomputed discount and no installment columns when absent", async () => {
  const { rows } = await transform([
    record(JSON.stringify(sampleMessage({ original_price: null, discount_pct: null, installments: null }))),
  ], "2026-06-17T00:00:00Z");
  assert.equal(rows[0]!.computed_discount_pct, null);
  assert.equal(rows[0]!.installments_count, null);
  assert.equal(rows[0]!.installment_amount, null);
});

test("transform: poison messages become dead letters with a reason; the good ones go on", async () => {
  const bad = [
    record(null),
    record(new Uint8Array([0xff, 0xfe, 0xfd])),
    record("{not json"),
    record("[1,2]"),
    record(JSON.stringify(sampleMessage({ schema_version: 2 }))),
    record(JSON.stringify({ ...sampleMessage(), schema_version: undefined }), { schema_version: "7" }),
    record(JSON.stringify(sampleMessage({ price: "-3.00" }))),
  ];
  const good = record(JSON.stringify(sampleMessage({ item_id: "MLB1111111111" })));
  const { rows, deadLetters } = await transform([...bad, good], "2026-06-17T00:00:00Z");
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.item_id, "MLB1111111111");
  assert.deepEqual(
    deadLetters.map((d) => d.reason.replace(/:.*/s, "")),
    [
      "empty message",
      "not UTF-8",
      "malformed JSON",
      "not a JSON object",
      "unknown schema_version 2 (this consumer reads 1)",
      'unknown schema_version "7" (this consumer reads 1)',
      "schema",
    ],
  );
  assert.match(deadLetters[6]!.reason, /schema: price: must be a non-negative decimal/);
  assert.equal(deadLetters[2]!.record, bad[2], "the original record (bytes, offset) is kept");
});

test("transform: the same offer twice in one batch is loaded once", async () => {
  const value = JSON.stringify(sampleMessage());
  const { rows, duplicates } = await transform([record(value), record(value)], "2026-06-17T00:00:00Z");
  assert.equal(rows.length, 1);
  assert.equal(duplicates, 1);
});

test("decodeOffer: a version in the header alone does not make a v2 body readable", () => {
  const result = decodeOffer(record(JSON.stringify(sampleMessage({ schema_version: 2 })), { schema_version: "1" }));
  assert.ok("reason" in result && /unknown schema_version 2/.test(result.reason));
});
