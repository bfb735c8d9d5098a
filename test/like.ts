/**
 * `like(actual, expected)`: every field `expected` names has that value in `actual` (objects
 * compared field by field, the rest deep-equal), for tests that run on Bun and Deno alike with
 * node:assert (what expect().toMatchObject does on Bun alone).
 */
import assert from "node:assert/strict";

export function like(actual: unknown, expected: unknown, path = "value"): void {
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    assert.ok(
      actual !== null && typeof actual === "object",
      `${path}: expected an object, got ${JSON.stringify(actual)}`,
    );
    for (const [k, v] of Object.entries(expected)) like((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  assert.deepEqual(actual, expected, path);
}
