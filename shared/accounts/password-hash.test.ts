import { describe, expect, test } from "bun:test";
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
  test("the default is OWASP's scrypt: N = 2^17, r = 8, p = 1, written beside the hash", async () => {
    expect(OWASP_SCRYPT).toEqual({ logN: 17, r: 8, p: 1 });
    const stored = await hashPassword("correct horse battery staple");
    expect(stored.startsWith("scrypt$17$8$1$")).toBe(true);
    expect(parametersOf(stored)).toEqual(OWASP_SCRYPT);
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(needsRehash(stored)).toBe(false);
  }, 20_000);

  test("the right password verifies, a wrong one or a changed hash does not", async () => {
    const stored = await hashPassword("hunter2hunter2", FAST);
    expect(await verifyPassword("hunter2hunter2", stored)).toBe(true);
    expect(await verifyPassword("hunter2hunter3", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
    const parts = stored.split("$");
    parts[5] = parts[5]!.slice(0, -2) + (parts[5]!.endsWith("AA") ? "BB" : "AA");
    expect(await verifyPassword("hunter2hunter2", parts.join("$"))).toBe(false);
  });

  test("each hash has its own salt", async () => {
    const [a, b] = await Promise.all([hashPassword("same password!", FAST), hashPassword("same password!", FAST)]);
    expect(a).not.toBe(b);
  });

  test("weaker parameters ask for a rehash; a malformed or oversized record never verifies", async () => {
    const weak = await hashPassword("a password 1", FAST);
    expect(needsRehash(weak)).toBe(true);
    expect(await verifyPassword("a password 1", "plain text")).toBe(false);
    expect(parametersOf("scrypt$30$8$1$AAAAAAAAAAAAAAAAAAAAAA$" + "A".repeat(43))).toBeNull();
    expect(await verifyPassword("x".repeat(300), weak)).toBe(false);
  });

  test("a new password is bounded in length", () => {
    expect(passwordProblem("short")).toContain("at least");
    expect(passwordProblem("x".repeat(300))).toContain("at most");
    expect(passwordProblem("long enough now")).toBeNull();
  });
});
