import { test } from "node:test";
import assert from "node:assert/strict";
import { discordRetryAfterMs, MAX_RETRY_AFTER_MS, retryAfterHeaderMs } from "./retry-after.ts";

const NOW = Date.parse("2026-12-04T12:00:00Z");

test("Retry-After: seconds or an HTTP-date; what is not a wait is ignored; every wait is clamped", () => {
  const table: Array<[string | null, number | undefined]> = [
    ["7", 7_000],
    [" 120 ", 120_000],
    ["0", 0],
    ["1.5", 1_500],
    ["Fri, 04 Dec 2026 12:00:30 GMT", 30_000],
    ["Friday, 04-Dec-26 12:01:00 GMT", 60_000],
    ["Fri Dec  4 12:00:10 2026", 10_000],
    ["Fri, 04 Dec 2026 11:00:00 GMT", 0], // already past: no wait
    ["Sat, 04 Dec 2027 12:00:00 GMT", MAX_RETRY_AFTER_MS],
    ["99999999", MAX_RETRY_AFTER_MS],
    ["1e308", undefined],
    ["Infinity", undefined],
    ["NaN", undefined],
    ["-5", undefined],
    ["+5", undefined],
    ["0x10", undefined],
    ["5 seconds", undefined],
    ["tomorrow", undefined],
    ["2026-12-05T00:00:00Z", undefined],
    ["9".repeat(400), undefined],
    ["", undefined],
    [null, undefined],
  ];
  for (const [header, ms] of table) assert.equal(retryAfterHeaderMs(header, NOW), ms, String(header));
});

test("Discord's retry_after: a finite, non-negative number of seconds, clamped", () => {
  const table: Array<[string, number | undefined]> = [
    ['{"message": "You are being rate limited.", "retry_after": 1.5, "global": false}', 1_500],
    ['{"retry_after": 0.001}', 1],
    ['{"retry_after": 1e308}', MAX_RETRY_AFTER_MS],
    ['{"retry_after": -1}', undefined],
    ['{"retry_after": "5"}', undefined],
    ['{"retry_after": null}', undefined],
    ["null", undefined],
    ['{"retry_after": 1', undefined],
    ["<html>", undefined],
  ];
  for (const [body, ms] of table) assert.equal(discordRetryAfterMs(body), ms, body);
});
