import { describe, expect, test } from "bun:test";
import { MemoryKeyedLog } from "../keyed-log.ts";
import { AccountStore, MAX_SESSIONS_PER_ACCOUNT } from "./account-store.ts";

const FAST = { logN: 10, r: 8, p: 1 };
const TOPIC = "ofertas.accounts";

async function store(log = new MemoryKeyedLog(), clock = () => Date.parse("2026-12-06T12:00:00Z")) {
  const s = new AccountStore(log.reader(), TOPIC, { sessionDays: 30, hashParameters: FAST, clock });
  await s.start();
  return s;
}

describe("accounts on the topic", () => {
  test("an account signs in with its password only, and the topic never holds the password", async () => {
    const log = new MemoryKeyedLog();
    const s = await store(log);
    const made = await s.createAccount(" Ana@Example.com ", "admin", "correct horse battery");
    expect(made.ok).toBe(true);
    expect((await s.checkPassword("ana@example.com", "correct horse battery"))?.role).toBe("admin");
    expect(await s.checkPassword("ana@example.com", "wrong password!")).toBeNull();
    expect(await s.checkPassword("nobody@example.com", "correct horse battery")).toBeNull();
    const written = JSON.stringify([...log.records.values()]);
    expect(written).not.toContain("correct horse");
    expect((await s.createAccount("ana@example.com", "member", "another password")).ok).toBe(false);
  });

  test("two writers claiming one login at once make one account", async () => {
    const log = new MemoryKeyedLog();
    const [a, b] = await Promise.all([store(log), store(log)]);
    const results = await Promise.all([
      a.createAccount("bob@example.com", "member", "password one!"),
      b.createAccount("bob@example.com", "member", "password two!"),
    ]);
    expect(results.filter((r) => r.ok).length).toBe(1);
    expect(a.book.allAccounts().length).toBe(1);
  });

  test("sessions: the token signs in, sign out ends one, sign out everywhere ends all, a bound on how many", async () => {
    let now = Date.parse("2026-12-06T12:00:00Z");
    const s = await store(new MemoryKeyedLog(), () => now);
    const made = await s.createAccount("carla@example.com", "member", "carla's password");
    if (!made.ok) throw new Error(made.error);
    const t1 = await s.newSession(made.value.id);
    const t2 = await s.newSession(made.value.id);
    expect((await s.sessionAccount(t1))?.account.id).toBe(made.value.id);
    expect(JSON.stringify(s.book.sessionsOf(made.value.id))).not.toContain(t1);
    await s.endSession((await s.sessionAccount(t1))!.hash);
    expect(await s.sessionAccount(t1)).toBeNull();
    expect(await s.sessionAccount(t2)).not.toBeNull();
    await s.endAllSessions(made.value.id);
    expect(await s.sessionAccount(t2)).toBeNull();
    const t3 = await s.newSession(made.value.id);
    expect(await s.sessionAccount(t3)).not.toBeNull();
    now += 31 * 86_400_000;
    expect(await s.sessionAccount(t3)).toBeNull();
    for (let i = 0; i < MAX_SESSIONS_PER_ACCOUNT + 5; i++) await s.newSession(made.value.id);
    expect(s.book.sessionsOf(made.value.id).length).toBe(MAX_SESSIONS_PER_ACCOUNT);
  });

  test("a changed password ends every session; the old one no longer signs in", async () => {
    const s = await store();
    const made = await s.createAccount("dora@example.com", "member", "first password");
    if (!made.ok) throw new Error(made.error);
    const token = await s.newSession(made.value.id);
    expect((await s.changePassword(made.value.id, "not it at all", "second password")).ok).toBe(false);
    expect((await s.changePassword(made.value.id, "first password", "second password")).ok).toBe(true);
    expect(await s.sessionAccount(token)).toBeNull();
    expect(await s.checkPassword("dora@example.com", "first password")).toBeNull();
    expect(await s.checkPassword("dora@example.com", "second password")).not.toBeNull();
  });

  test("an invitation makes the account once; a feed token can be replaced", async () => {
    const s = await store();
    const invited = await s.invite("eva@example.com", "member", "u-aaaaaaaaaaaa");
    if (!invited.ok) throw new Error(invited.error);
    expect((await s.openInvite(invited.value))?.login).toBe("eva@example.com");
    const made = await s.acceptInvite(invited.value, "eva's password");
    expect(made.ok).toBe(true);
    expect((await s.acceptInvite(invited.value, "eva's password")).ok).toBe(false);
    if (!made.ok) return;
    const feed = await s.newFeedToken(made.value.id);
    expect((await s.feedAccount(feed!))?.id).toBe(made.value.id);
    const again = await s.newFeedToken(made.value.id);
    expect(await s.feedAccount(feed!)).toBeNull();
    expect((await s.feedAccount(again!))?.id).toBe(made.value.id);
  });
});
