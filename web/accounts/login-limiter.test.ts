import { describe, expect, test } from "bun:test";
import { LoginLimiter } from "./login-limiter.ts";

describe("sign-in limits", () => {
  test("a flood of wrong passwords locks the login for the window only, and the right one works after it", async () => {
    let now = 0;
    const limiter = new LoginLimiter({ perLogin: 5, perClient: 1_000, windowMs: 15 * 60_000, tracked: 100 }, () => now);
    for (let i = 0; i < 5; i++) {
      const a = await limiter.admit("ana@example.com", `client-${i}`);
      if (!a.ok) throw new Error("refused too early");
      a.release(true);
    }
    const refused = await limiter.admit("ana@example.com", "the-owner");
    expect(refused.ok).toBe(false);
    expect(refused.ok ? 0 : refused.retryAfterSeconds).toBeGreaterThan(0);
    // another login is not affected
    expect((await limiter.admit("bob@example.com", "the-owner")).ok).toBe(true);
    now += 15 * 60_000;
    expect((await limiter.admit("ana@example.com", "the-owner")).ok).toBe(true);
  });

  test("a client is limited on every attempt; memory stays bounded however many logins and clients", async () => {
    const limiter = new LoginLimiter({ perLogin: 1_000, perClient: 3, windowMs: 60_000, tracked: 100 }, () => 0);
    for (let i = 0; i < 3; i++) {
      const a = await limiter.admit(`login-${i}`, "flooder");
      if (a.ok) a.release(false);
    }
    expect((await limiter.admit("login-x", "flooder")).ok).toBe(false);
    for (let i = 0; i < 5_000; i++) {
      const a = await limiter.admit(`login-${i}`, `client-${i}`);
      if (a.ok) a.release(true);
    }
    expect(limiter.size.logins).toBeLessThanOrEqual(100);
    expect(limiter.size.clients).toBeLessThanOrEqual(100);
  });

  test("hashes run two at a time; a full queue is answered at once", async () => {
    const limiter = new LoginLimiter({
      perLogin: 100,
      perClient: 100,
      windowMs: 60_000,
      tracked: 100,
      concurrent: 2,
      queue: 1,
    });
    const a = await limiter.admit("a", "1");
    const b = await limiter.admit("b", "2");
    let thirdIn = false;
    const third = limiter.admit("c", "3").then((r) => {
      thirdIn = true;
      return r;
    });
    const fourth = await limiter.admit("d", "4");
    expect(fourth).toEqual({ ok: false, retryAfterSeconds: 1 });
    await Promise.resolve();
    expect(thirdIn).toBe(false);
    if (a.ok) a.release(false);
    const t = await third;
    expect(t.ok).toBe(true);
    if (b.ok) b.release(false);
    if (t.ok) t.release(false);
    expect(limiter.size.waiting).toBe(0);
  });
});
