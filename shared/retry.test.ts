import { test } from "node:test";
import assert from "node:assert/strict";
import { backoffDelay, retry } from "./retry.ts";

test("retry: exponential delays, capped, with the chosen jitter", () => {
  const b = { baseMs: 100, maxMs: 1_000, jitter: "none" } as const;
  assert.deepEqual([0, 1, 2, 3, 4, 60].map((a) => backoffDelay(a, b)), [100, 200, 400, 800, 1_000, 1_000]);
  assert.equal(backoffDelay(3, { ...b, jitter: "full" }, () => 0.5), 400);
  assert.equal(backoffDelay(3, { ...b, jitter: "equal" }, () => 0), 400);
  assert.equal(backoffDelay(3, { ...b, jitter: "equal" }, () => 1), 800);
});

test("retry: retries until success, waiting between attempts", async () => {
  const waits: number[] = [];
  let calls = 0;
  const value = await retry(
    () => (++calls < 3 ? Promise.reject(new Error("flaky")) : Promise.resolve("ok")),
    {
      attempts: 5,
      backoff: { baseMs: 10, maxMs: 100, jitter: "none" },
      sleep: (ms) => (waits.push(ms), Promise.resolve()),
    },
  );
  assert.equal(value, "ok");
  assert.deepEqual(waits, [10, 20]);
});

test("retry: stops at the attempt bound and on an error that is not retryable", async () => {
  const none = { baseMs: 1, maxMs: 1, jitter: "none" } as const;
  let calls = 0;
  await assert.rejects(
    retry(() => (calls++, Promise.reject(new Error(`fail ${calls}`))), {
      attempts: 3,
      backoff: none,
      sleep: () => Promise.resolve(),
    }),
    /fail 3/,
  );
  calls = 0;
  await assert.rejects(
    retry(() => (calls++, Promise.reject(new RangeError("bad"))), {
      attempts: Infinity,
      backoff: none,
      retryable: (e) => !(e instanceof RangeError),
      sleep: () => Promise.resolve(),
    }),
    RangeError,
  );
  assert.equal(calls, 1);
});
