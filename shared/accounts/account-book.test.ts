import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AccountBook, accountKey, channelKey, muteKey, sessionKey } from "./account-book.ts";
import type { Account } from "./account-record.ts";
import { MAX_CHANNELS_PER_PERSON } from "./channel-record.ts";
import type { Mute } from "./mute-record.ts";

const T0 = "2026-12-06T12:00:00.000Z";
const account = (id: string, login: string, over: Partial<Account> = {}): Account => ({
  type: "account",
  id,
  login,
  role: "member",
  password_hash: "scrypt$17$8$1$x$y",
  session_epoch: 0,
  version: 0,
  feed_token_hash: null,
  created_at: T0,
  updated_at: T0,
  ...over,
});
const A = "u-aaaaaaaaaaaa";
const B = "u-bbbbbbbbbbbb";

describe("the accounts topic read in log order", () => {
  test("a login belongs to the first account that claims it", () => {
    const book = new AccountBook();
    book.apply(accountKey(A), JSON.stringify(account(A, "ana@example.com")));
    book.apply(accountKey(B), JSON.stringify(account(B, "ana@example.com")));
    assert.equal(book.accountByLogin("ana@example.com")?.id, A);
    assert.equal(book.account(B), null);
    // the holder renames itself: the login is free again
    book.apply(accountKey(A), JSON.stringify(account(A, "ana2@example.com", { version: 1 })));
    book.apply(accountKey(B), JSON.stringify(account(B, "ana@example.com")));
    assert.equal(book.accountByLogin("ana@example.com")?.id, B);
  });

  test("a change of an account is taken only as the next version: the first in log order wins", () => {
    const book = new AccountBook();
    // first seen: taken whatever its version (compaction removed the older ones)
    assert.equal(book.apply(accountKey(A), JSON.stringify(account(A, "ana@example.com", { version: 7 }))), true);
    const changed = account(A, "ana@example.com", { version: 8, password_hash: "scrypt$17$8$1$new$hash" });
    const stale = account(A, "ana@example.com", { version: 8, feed_token_hash: "a".repeat(64) });
    assert.equal(book.apply(accountKey(A), JSON.stringify(changed)), true);
    assert.equal(book.apply(accountKey(A), JSON.stringify(stale)), false);
    assert.equal(book.apply(accountKey(A), JSON.stringify({ ...stale, version: 7 })), false);
    assert.equal(book.apply(accountKey(A), JSON.stringify({ ...stale, version: 10 })), false);
    assert.equal(book.account(A)?.password_hash, "scrypt$17$8$1$new$hash");
    assert.equal(book.account(A)?.feed_token_hash, null);
    // a record written before versions existed reads as version 0
    const { version: _, ...old } = account(B, "bea@example.com");
    book.apply(accountKey(B), JSON.stringify(old));
    assert.equal(book.account(B)?.version, 0);
  });

  test("a session signs in until it ends, expires, or the account signs out everywhere", () => {
    const book = new AccountBook();
    book.apply(accountKey(A), JSON.stringify(account(A, "ana@example.com")));
    const session = {
      type: "session",
      account_id: A,
      epoch: 0,
      created_at: "2026-12-06T13:00:00.000Z",
      expires_at: "2026-12-07T13:00:00.000Z",
    };
    book.apply(sessionKey("h1"), JSON.stringify(session));
    const at = Date.parse("2026-12-06T14:00:00Z");
    assert.equal(book.sessionAccount("h1", at)?.id, A);
    assert.equal(book.sessionAccount("h1", Date.parse("2026-12-07T13:00:01Z")), null);
    assert.deepEqual(book.sessionsOf(A), ["h1"]);
    book.apply(
      accountKey(A),
      JSON.stringify(account(A, "ana@example.com", { session_epoch: 1, version: 1 })),
    );
    assert.equal(book.sessionAccount("h1", at), null);
    book.apply(sessionKey("h1"), null);
    assert.deepEqual(book.sessionsOf(A), []);
  });

  test("channels and mutes are kept per owner; a mute covers its item, rule or watch until it ends", () => {
    const book = new AccountBook();
    const seen: Array<string | null> = [];
    book.onChannel = (_id, c) => seen.push(c?.name ?? null);
    const channel = {
      type: "channel",
      id: "c-aaaaaaaaaaaa",
      owner: A,
      name: "phone",
      kind: "ntfy",
      sealed: "v1.x.y.z",
      shown: "ntfys://ntfy.sh/***",
      created_at: T0,
    };
    book.apply(channelKey(channel.id), JSON.stringify(channel));
    assert.deepEqual(book.channelsOf(A).map((c) => c.name), ["phone"]);
    assert.deepEqual(book.channelsOf(B), []);
    book.apply(channelKey(channel.id), null);
    assert.deepEqual(seen, ["phone", null]);

    const mute: Mute = {
      type: "mute",
      id: "m-aaaaaaaaaaaa",
      owner: A,
      kind: "item",
      watch_id: "drill",
      rule_id: null,
      site: "MLB",
      item_id: "MLB123456",
      label: "a drill",
      until: "2026-12-08T00:00:00.000Z",
      created_at: T0,
    };
    book.apply(muteKey(mute.id), JSON.stringify(mute));
    const alert = { watch_id: "other", rule_key: "watch:other:below", site: "MLB", item_id: "MLB123456" };
    const now = Date.parse("2026-12-07T00:00:00Z");
    assert.equal(book.isMuted(A, alert, now), true);
    assert.equal(book.isMuted(B, alert, now), false);
    assert.equal(book.isMuted(A, { ...alert, item_id: "MLB999999" }, now), false);
    assert.equal(book.isMuted(A, alert, Date.parse("2026-12-08T00:00:01Z")), false);
    const rule: Mute = {
      ...mute,
      id: "m-bbbbbbbbbbbb",
      kind: "rule",
      watch_id: "w",
      rule_id: "below",
      site: null,
      item_id: null,
    };
    book.apply(muteKey(rule.id), JSON.stringify(rule));
    assert.equal(
      book.isMuted(A, { watch_id: "w", rule_key: "watch:w:below", site: "MLB", item_id: "MLB1" }, now),
      true,
    );
    assert.equal(
      book.isMuted(A, { watch_id: "w", rule_key: "watch:w:drop", site: "MLB", item_id: "MLB1" }, now),
      false,
    );
    book.apply(muteKey(rule.id), null);
    assert.equal(
      book.isMuted(A, { watch_id: "w", rule_key: "watch:w:below", site: "MLB", item_id: "MLB1" }, now),
      false,
    );
  });

  test("a person's channels past the cap in log order are ignored; a channel already held may change", () => {
    const book = new AccountBook();
    const channel = (n: number, owner = A) => ({
      type: "channel",
      id: `c-${String.fromCharCode(97 + n).repeat(12)}`,
      owner,
      name: `ch${n}`,
      kind: "ntfy",
      sealed: "v1.x.y.z",
      shown: "ntfys://ntfy.sh/***",
      created_at: T0,
    });
    const taken = Array.from(
      { length: MAX_CHANNELS_PER_PERSON + 2 },
      (_, n) => book.apply(channelKey(channel(n).id), JSON.stringify(channel(n))),
    );
    assert.deepEqual(taken, [...Array(MAX_CHANNELS_PER_PERSON).fill(true), false, false]);
    assert.equal(book.channelsOf(A).length, MAX_CHANNELS_PER_PERSON);
    assert.equal(book.channel(channel(MAX_CHANNELS_PER_PERSON).id), null);
    assert.equal(book.apply(channelKey(channel(0).id), JSON.stringify({ ...channel(0), name: "renamed" })), true);
    // another person's cap is their own
    assert.equal(book.apply(channelKey(channel(11, B).id), JSON.stringify(channel(11, B))), true);
    // one removed: room for one more
    book.apply(channelKey(channel(3).id), null);
    assert.equal(book.apply(channelKey(channel(10).id), JSON.stringify(channel(10))), true);
  });

  test("a record that does not parse, or names another id than its key, is ignored", () => {
    const book = new AccountBook();
    book.apply(accountKey(A), "not json");
    book.apply(accountKey(A), JSON.stringify(account(B, "x@example.com")));
    book.apply("nonsense", "{}");
    assert.deepEqual(book.allAccounts(), []);
  });
});
