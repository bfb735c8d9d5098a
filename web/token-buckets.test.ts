/**
 * The buckets: a burst up to the capacity, then a token per 60/perMinute seconds; a bounded
 * number of clients however many ask (the least recently seen forgotten); and the limiter on
 * top, which also holds all clients together to their own bucket.
 */
import { expect, test } from "bun:test";
import { TokenBuckets } from "./token-buckets.ts";
import { QueryLimiter, RateLimited } from "./query-limiter.ts";

function clock(start = 1_000_000) {
  const c = { now: start, read: () => c.now };
  return c;
}

test("buckets: a burst up to the capacity, then refilled at the rate, never above the capacity", () => {
  const time = clock();
  const buckets = new TokenBuckets({ capacity: 3, perMinute: 6 }, 10, time.read);
  expect([buckets.take("a"), buckets.take("a"), buckets.take("a"), buckets.take("a")]).toEqual([
    true,
    true,
    true,
    false,
  ]);
  expect(buckets.waitSeconds("a")).toBe(10); // 6 a minute: one every 10 s
  time.now += 4_000;
  expect(buckets.waitSeconds("a")).toBe(6);
  expect(buckets.take("a")).toBe(false);
  time.now += 6_000;
  expect(buckets.take("a")).toBe(true);
  expect(buckets.take("a")).toBe(false);
  time.now += 3_600_000; // an hour idle: a full bucket, not 360 tokens
  for (let i = 0; i < 3; i++) expect(buckets.take("a")).toBe(true);
  expect(buckets.take("a")).toBe(false);
  expect(buckets.take("b")).toBe(true); // every client has its own
});

test("buckets: memory is bounded under many clients; the least recently seen is forgotten first", () => {
  const time = clock();
  const buckets = new TokenBuckets({ capacity: 1, perMinute: 1 }, 1_000, time.read);
  expect(buckets.take("kept")).toBe(true);
  for (let i = 0; i < 100_000; i++) {
    buckets.take(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    if (i % 500 === 0) buckets.take("kept"); // seen often: stays (and stays empty)
    expect(buckets.size).toBeLessThanOrEqual(1_000);
  }
  expect(buckets.size).toBe(1_000);
  expect(buckets.take("kept")).toBe(false);
  expect(buckets.take("10.0.0.0")).toBe(true); // long forgotten: a new, full bucket
});

test("buckets: a bad rule is refused", () => {
  expect(() => new TokenBuckets({ capacity: 0, perMinute: 1 }, 10)).toThrow(/capacity/);
  expect(() => new TokenBuckets({ capacity: 1, perMinute: 0 }, 10)).toThrow(/capacity/);
  expect(() => new TokenBuckets({ capacity: 1, perMinute: 1 }, 0)).toThrow(/capacity/);
});

test("limiter: one client's burst, then 429s saying when; others are not held up; all clients share a bound", () => {
  const time = clock();
  const limiter = new QueryLimiter({
    perClient: { capacity: 2, perMinute: 12 },
    allClients: { capacity: 5, perMinute: 60 },
    maxClients: 100,
  }, time.read);
  limiter.take("a");
  limiter.take("a");
  const refused = (() => {
    try {
      limiter.take("a");
    } catch (e) {
      return e;
    }
  })();
  expect(refused).toBeInstanceOf(RateLimited);
  expect([(refused as RateLimited).scope, (refused as RateLimited).retryAfterSeconds]).toEqual(["client", 5]);
  limiter.take("b");
  limiter.take("c");
  limiter.take("d");
  // everyone's bucket (5) is empty now: a fresh client is refused too, and its own token is not spent
  expect(() => limiter.take("e")).toThrow(RateLimited);
  try {
    limiter.take("e");
  } catch (e) {
    expect([(e as RateLimited).scope, (e as RateLimited).retryAfterSeconds]).toEqual(["all", 1]);
  }
  time.now += 1_000;
  limiter.take("e");
  expect(limiter.trackedClients).toBe(5);
});

test("limiter: one token per request, however many queries it needs", () => {
  const limiter = new QueryLimiter({
    perClient: { capacity: 2, perMinute: 1 },
    allClients: { capacity: 100, perMinute: 100 },
    maxClients: 10,
  });
  for (let request = 0; request < 2; request++) {
    const admit = limiter.forRequest("a");
    for (let query = 0; query < 5; query++) admit();
  }
  expect(() => limiter.forRequest("a")()).toThrow(RateLimited);
});

test("a token given back is there again, never above a full bucket", () => {
  const buckets = new TokenBuckets({ capacity: 2, perMinute: 1 }, 10, () => 0);
  buckets.take("a");
  buckets.take("a");
  expect(buckets.take("a")).toBe(false);
  buckets.give("a");
  expect(buckets.take("a")).toBe(true);
  for (let i = 0; i < 3; i++) buckets.give("a");
  expect(buckets.take("a") && buckets.take("a")).toBe(true);
  expect(buckets.take("a")).toBe(false);
});
