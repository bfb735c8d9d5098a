/** The bounded map: entries and bytes both held, least recently used dropped first, pinned keys kept. */
import { expect, test } from "bun:test";
import { BoundedLru } from "./bounded-lru.ts";

test("lru: at most maxEntries; a read makes an entry the most recent", () => {
  const lru = new BoundedLru<number>({ maxEntries: 3, maxBytes: 1_000 });
  for (const k of ["a", "b", "c"]) lru.set(k, 1, 10);
  lru.get("a");
  lru.set("d", 1, 10);
  expect(["a", "b", "c", "d"].map((k) => lru.has(k))).toEqual([true, false, true, true]);
  expect([lru.size, lru.bytes]).toEqual([3, 30]);
});

test("lru: at most maxBytes, counting sizes learnt later; a value too big alone is not kept", () => {
  const lru = new BoundedLru<string>({ maxEntries: 100, maxBytes: 100 });
  lru.set("a", "A", 40);
  lru.set("b", "B", 0); // still being computed
  lru.resize("b", "B", 50);
  expect(lru.bytes).toBe(90);
  lru.set("c", "C", 30);
  expect([lru.has("a"), lru.has("b"), lru.has("c"), lru.bytes]).toEqual([false, true, true, 80]);
  lru.resize("b", "other", 999); // b no longer holds that value: nothing changes
  expect(lru.bytes).toBe(80);
  lru.set("huge", "H", 500);
  expect([lru.has("huge"), lru.bytes <= 100]).toEqual([false, true]);
});

test("lru: a pinned key is never dropped, even over the bounds", () => {
  const lru = new BoundedLru<number>({ maxEntries: 2, maxBytes: 100 }, (k) => k === "today");
  lru.set("today", 1, 80);
  for (let i = 0; i < 50; i++) lru.set(`day${i}`, i, 10);
  expect(lru.has("today")).toBe(true);
  expect(lru.size).toBe(2);
  lru.set("big", 0, 200);
  expect([lru.has("today"), lru.has("big")]).toEqual([true, false]);
});
