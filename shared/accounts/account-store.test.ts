import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MemoryKeyedLog } from "../keyed-log.ts";
import { LaggyKeyedLog } from "../../test/laggy-keyed-log.ts";
import { accountKey } from "./account-book.ts";
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
    assert.equal(made.ok, true);
    assert.equal((await s.checkPassword("ana@example.com", "correct horse battery"))?.role, "admin");
    assert.equal(await s.checkPassword("ana@example.com", "wrong password!"), null);
    assert.equal(await s.checkPassword("nobody@example.com", "correct horse battery"), null);
    const written = JSON.stringify([...log.records.values()]);
    assert.ok(!written.includes("correct horse"));
    assert.equal((await s.createAccount("ana@example.com", "member", "another password")).ok, false);
  });

  test("two writers claiming one login at once make one account", async () => {
    const log = new MemoryKeyedLog();
    const [a, b] = await Promise.all([store(log), store(log)]);
    const results = await Promise.all([
      a.createAccount("bob@example.com", "member", "password one!"),
      b.createAccount("bob@example.com", "member", "password two!"),
    ]);
    assert.equal(results.filter((r) => r.ok).length, 1);
    assert.equal(a.book.allAccounts().length, 1);
  });

  test("sessions: the token signs in, sign out ends one, sign out everywhere ends all, a bound on how many", async () => {
    let now = Date.parse("2026-12-06T12:00:00Z");
    const s = await store(new MemoryKeyedLog(), () => now);
    const made = await s.createAccount("carla@example.com", "member", "carla's password");
    if (!made.ok) throw new Error(made.error);
    const t1 = await s.newSession(made.value.id);
    const t2 = await s.newSession(made.value.id);
    assert.equal((await s.sessionAccount(t1))?.account.id, made.value.id);
    assert.ok(!(JSON.stringify(s.book.sessionsOf(made.value.id))).includes(t1));
    await s.endSession((await s.sessionAccount(t1))!.hash);
    assert.equal(await s.sessionAccount(t1), null);
    assert.notEqual(await s.sessionAccount(t2), null);
    await s.endAllSessions(made.value.id);
    assert.equal(await s.sessionAccount(t2), null);
    const t3 = await s.newSession(made.value.id);
    assert.notEqual(await s.sessionAccount(t3), null);
    now += 31 * 86_400_000;
    assert.equal(await s.sessionAccount(t3), null);
    for (let i = 0; i < MAX_SESSIONS_PER_ACCOUNT + 5; i++) await s.newSession(made.value.id);
    assert.equal(s.book.sessionsOf(made.value.id).length, MAX_SESSIONS_PER_ACCOUNT);
  });

  test("a changed password ends every session; the old one no longer signs in", async () => {
    const s = await store();
    const made = await s.createAccount("dora@example.com", "member", "first password");
    if (!made.ok) throw new Error(made.error);
    const token = await s.newSession(made.value.id);
    assert.equal((await s.changePassword(made.value.id, "not it at all", "second password")).ok, false);
    assert.equal((await s.changePassword(made.value.id, "first password", "second password")).ok, true);
    assert.equal(await s.sessionAccount(token), null);
    assert.equal(await s.checkPassword("dora@example.com", "first password"), null);
    assert.notEqual(await s.checkPassword("dora@example.com", "second password"), null);
  });

  test("an invitation makes the account once; a feed token can be replaced", async () => {
    const s = await store();
    const invited = await s.invite("eva@example.com", "member", "u-aaaaaaaaaaaa");
    if (!invited.ok) throw new Error(invited.error);
    assert.equal((await s.openInvite(invited.value))?.login, "eva@example.com");
    const made = await s.acceptInvite(invited.value, "eva's password");
    assert.equal(made.ok, true);
    assert.equal((await s.acceptInvite(invited.value, "eva's password")).ok, false);
    if (!made.ok) return;
    const feed = await s.newFeedToken(made.value.id);
    assert.equal((await s.feedAccount(feed!))?.id, made.value.id);
    const again = await s.newFeedToken(made.value.id);
    assert.equal(await s.feedAccount(feed!), null);
    assert.equal((await s.feedAccount(again!))?.id, made.value.id);
  });
});

describe("changes of one account at once, on a log that lags like Kafka", () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const laggyStore = async (log: LaggyKeyedLog, hashParameters = FAST) => {
    const s = new AccountStore(log.reader(), TOPIC, { sessionDays: 30, hashParameters });
    await s.start();
    return s;
  };

  test("a password change is not undone by feed requests in flight: the new password holds, sessions end", async () => {
    const log = new LaggyKeyedLog(15);
    const [mine, theirs] = [await laggyStore(log), await laggyStore(log)];
    const made = await mine.createAccount("ana@example.com", "member", "old password 123");
    if (!made.ok) throw new Error(made.error);
    const id = made.value.id;
    const stolen = await theirs.newSession(id);
    const change = mine.changePassword(id, "old password 123", "new password 456");
    // the other session keeps asking for a new feed address, from both processes
    const feeds = Array.from(
      { length: 10 },
      (_, i) => sleep(i * 4).then(() => (i % 2 ? theirs : mine).newFeedToken(id)),
    );
    assert.deepEqual(await change, { ok: true, value: null });
    // a feed request that kept colliding may give up with an error; none may undo the change
    const given = (await Promise.allSettled(feeds)).flatMap((r) => (r.status === "fulfilled" ? [r.value!] : []));
    assert.ok(given.length > 0);
    for (const s of [mine, theirs]) {
      await s.catchUp();
      assert.equal(await s.checkPassword("ana@example.com", "old password 123"), null);
      assert.equal((await s.checkPassword("ana@example.com", "new password 456"))?.id, id);
      assert.equal(s.book.account(id)?.session_epoch, 1);
      assert.equal(await s.sessionAccount(stolen), null);
      const working = await Promise.all(given.map((t) => s.feedAccount(t)));
      assert.equal(working.filter((a) => a?.id === id).length, 1);
    }
    // one version per change made, and more records written than taken: collisions happened
    assert.equal(mine.book.account(id)?.version, 1 + given.length);
    assert.ok(log.valuesOf(accountKey(id)).length > 2 + given.length);
  });

  test("a rehash at sign-in never writes over a password changed meanwhile", async () => {
    const log = new LaggyKeyedLog(15);
    const mine = await laggyStore(log);
    // the other process hashes with stronger parameters: a sign-in there rehashes
    const theirs = await laggyStore(log, { logN: 11, r: 8, p: 1 });
    const made = await mine.createAccount("bea@example.com", "member", "old password 123");
    if (!made.ok) throw new Error(made.error);
    await theirs.catchUp();
    const signIn = theirs.checkPassword("bea@example.com", "old password 123");
    const change = mine.changePassword(made.value.id, "old password 123", "new password 456");
    await Promise.all([signIn, change]);
    for (const s of [mine, theirs]) {
      await s.catchUp();
      assert.equal(await s.checkPassword("bea@example.com", "old password 123"), null);
      assert.notEqual(await s.checkPassword("bea@example.com", "new password 456"), null);
    }
  });

  test("sign out everywhere from two places and a new feed at once: every change is kept", async () => {
    const log = new LaggyKeyedLog(10);
    const [a, b] = [await laggyStore(log), await laggyStore(log)];
    const made = await a.createAccount("cris@example.com", "member", "cris's password");
    if (!made.ok) throw new Error(made.error);
    await b.catchUp();
    const session = await a.newSession(made.value.id);
    const [, , feed] = await Promise.all([
      a.endAllSessions(made.value.id),
      b.endAllSessions(made.value.id),
      b.newFeedToken(made.value.id),
    ]);
    await a.catchUp();
    // two identical sign-outs in the same millisecond may be one record: the epoch rose at least once
    assert.ok(a.book.account(made.value.id)!.session_epoch >= 1);
    assert.equal(await a.sessionAccount(session), null);
    assert.equal((await a.feedAccount(feed!))?.id, made.value.id);
  });
});
