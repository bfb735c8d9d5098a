import { test } from "node:test";
import assert from "node:assert/strict";
import { isUtcTimestamp, offerDate } from "./timestamp.ts";

test("timestamp: accepts UTC instants with or without fractions", () => {
  assert.ok(isUtcTimestamp("2026-06-17T03:00:00Z"));
  assert.ok(isUtcTimestamp("2026-06-17T03:00:00.123Z"));
  assert.ok(isUtcTimestamp("2024-02-29T23:59:59Z"));
});

test("timestamp: rejects offsets, missing zone and impossible dates", () => {
  for (
    const bad of [
      "2026-06-17T03:00:00+00:00",
      "2026-06-17T03:00:00",
      "2025-02-29T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-06-17T03:60:00Z",
      "2026-06-17",
    ]
  ) {
    assert.equal(isUtcTimestamp(bad), false, bad);
  }
});

test("offerDate: the Sao Paulo calendar day, not the UTC one", () => {
  // 02:30 UTC is still the previous evening in Brazil (UTC-3)
  assert.equal(offerDate("2026-06-17T02:30:00Z"), "2026-06-16");
  assert.equal(offerDate("2026-06-17T03:00:00Z"), "2026-06-17");
  assert.equal(offerDate("2026-01-01T02:59:59.999Z"), "2025-12-31");
  assert.throws(() => offerDate("2026-06-17T03:00:00-03:00"), /UTC/);
});
