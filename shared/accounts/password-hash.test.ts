import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  hashPassword,
  needsRehash,
  OWASP_SCRYPT,
  parametersOf,
  passwordProblem,
  verifyPassword,
} from "./password-hash.ts";

// a cheap cost for the round trips; the default's own parameters are checked separately
const FAST = { logN: 10, r: 8, p: 1 };

describe("password hashes", () => {
  test(
    "the default is OWASP's scrypt: N = 2^17, r = 8, p = 1, written beside the hash",
    { timeout: 20_000 },
    async () => {
      assert.deepEqual(OWASP_SCRYPT, { logN: 17, r: 8, p: 1 });
      const stored = await hashPassword("correct horse battery staple");
      assert.equal(stored.startsWith("scrypt$17$8$1$"), true);
      assert.deepEqual(parametersOf(stored), OWASP_SCRYPT);
      assert.equal(await verifyPassword("correct horse battery staple", stored), true);
      assert.equal(needsRehash(stored), false);
    },
  );

  test("the right password verifies, a wrong one or a changed hash does not", async () => {
    const stored = await hashPassword("hunter2hunter2", FAST);
    assert.equal(await verifyPassword("hunter2hunter2", stored), true);
    assert.equal(await verifyPassword("hunter2hunter3", stored), false);
    assert.equal(await verifyPassword("", stored), false);
    const parts = stored.split("$");
    parts[5] = parts[5]!.slice(0, -2) + (parts[5]!.endsWith("AA") ? "BB" : "AA");
    assert.equal(await verifyPassword("hunter2hunter2", parts.join("$")), false);
  });

  test("each hash has its own salt", async () => {
    const [a, b] = await Promise.all([hashPassword("same password!", FAST), hashPassword("same password!", FAST)]);
    assert.notEqual(a, b);
  });

  test("weaker parameters ask for a rehash; a malformed or oversized record never verifies", async () => {
    const weak = await hashPassword("a password 1", FAST);
    assert.equal(needsRehash(weak), true);
    assert.equal(await verifyPassword("a password 1", "plain text"), false);
    assert.equal(parametersOf("scrypt$30$8$1$AAAAAAAAAAAAAAAAAAAAAA$" + "A".repeat(43)), null);
    assert.equal(await verifyPassword("x".repeat(300), weak), false);
  });

  test("a new password is bounded in length", () => {
    assert.ok(passwordProblem("short")!.includes("at least"));
    assert.ok(passwordProblem("x".repeat(300))!.includes("at most"));
    assert.equal(passwordProblem("long enough now"), null);
  });
});
