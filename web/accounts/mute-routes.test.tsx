/**
 * Mutes over HTTP (in-memory topics): a signed link pressed again changes one record, a person
 * holds a bounded number of mutes in force, mutes whose time is over leave the topic, and a link
 * undoes only a mute of exactly what it names.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MAX_MUTES_PER_PERSON } from "../../shared/accounts/mute-record.ts";
import type { MuteLink } from "../../shared/accounts/mute-link.ts";
import { DAY_MS } from "../../shared/duration.ts";
import { createWebApp } from "../app.tsx";
import { MemorySource } from "../memory-source.ts";
import { peopleFixture, TestBrowser } from "./people-fixture.ts";

const DAY = "2026-12-06";

async function setup() {
  const f = await peopleFixture();
  let now = Date.parse("2026-12-06T12:00:00Z");
  f.deps.clock = () => now;
  const app = createWebApp({
    source: new MemorySource({ [DAY]: [] }),
    demo: false,
    today: () => DAY,
    watches: f.watches,
    people: f.deps,
  });
  const ana = await f.accounts.createAccount("ana@example.com", "member", "ana's long password");
  if (!ana.ok) throw new Error(ana.error);
  const link = (over: Partial<MuteLink> = {}) =>
    f.signer.sign(
      { o: ana.value.id, w: "anas-drill", r: "below", s: "MLB", i: "MLB123456789", t: "a drill", ...over },
      now + 365 * DAY_MS,
    );
  const muteRecords = () =>
    [...new Set(f.accountsLog.records.get("accounts")!.map((r) => r.key))].filter((k) => k.startsWith("mute/"));
  return {
    ...f,
    ana: ana.value,
    link,
    muteRecords,
    visitor: new TestBrowser((r) => app.fetch(r)),
    mutes: () => f.accounts.book.mutesOf(ana.value.id, now),
    later: (ms: number) => (now += ms),
  };
}

describe("mutes", () => {
  test("one link pressed again and again changes one mute in place", async () => {
    const s = await setup();
    const token = await s.link();
    for (let i = 0; i < 20; i++) {
      const kind = ["item", "rule", "watch"][i % 3]!;
      const posted = await s.visitor.request("/mute", { form: { t: token, kind, for: "365d" } });
      assert.equal(posted.status, 200);
    }
    assert.equal(s.mutes().length, 3);
    assert.equal(s.muteRecords().length, 3);
    // pressed later for a shorter time: the same mute, its end moved
    s.later(DAY_MS);
    await s.visitor.request("/mute", { form: { t: token, kind: "item", for: "7d" } });
    const item = s.mutes().find((m) => m.kind === "item")!;
    assert.equal(Date.parse(item.until), Date.parse("2026-12-07T12:00:00Z") + 7 * DAY_MS);
    assert.equal(s.muteRecords().length, 3);
  });

  test("a person holds at most MAX_MUTES_PER_PERSON mutes in force; ones whose time is over leave", async () => {
    const s = await setup();
    for (let i = 0; i < MAX_MUTES_PER_PERSON; i++) {
      const token = await s.link({ i: `MLB${100000 + i}` });
      assert.equal((await s.visitor.request("/mute", { form: { t: token, kind: "item", for: "7d" } })).status, 200);
    }
    const over = await s.visitor.request("/mute", { form: { t: await s.link({ i: "MLB999999" }), kind: "item" } });
    assert.equal(over.status, 409);
    assert.match(await over.text(), new RegExp(`${MAX_MUTES_PER_PERSON} mutes in force`));
    assert.equal(s.mutes().length, MAX_MUTES_PER_PERSON);
    // one already held may still be muted again
    const again = await s.visitor.request("/mute", { form: { t: await s.link({ i: "MLB100000" }), kind: "item" } });
    assert.equal(again.status, 200);
    // a week on, the old ones are over: a new mute is taken and the old records are removed
    s.later(8 * DAY_MS);
    const after = await s.visitor.request("/mute", { form: { t: await s.link({ i: "MLB999999" }), kind: "item" } });
    assert.equal(after.status, 200);
    assert.equal(s.mutes().length, 1);
    // every mute the book still holds, in force or not: the new one only
    assert.equal(s.accounts.book.expiredMutesOf(s.ana.id, Infinity).length, 1);
  });

  test("a link undoes only a mute of exactly its item, its rule or its watch", async () => {
    const s = await setup();
    const below = await s.link({ r: "below", i: "MLB111111" });
    const drop = await s.link({ r: "drop", i: "MLB222222" });
    const muteId = async (token: string, kind: string) => {
      const html = await (await s.visitor.request("/mute", { form: { t: token, kind, for: "7d" } })).text();
      return /name="mute" value="([^"]+)"/.exec(html)![1]!;
    };
    const dropRule = await muteId(drop, "rule");
    const dropItem = await muteId(drop, "item");
    const belowRule = await muteId(below, "rule");
    const watch = await muteId(drop, "watch");
    // the same watch, another rule or another item: not the `below` link's to undo
    for (const other of [dropRule, dropItem]) {
      assert.equal((await s.visitor.request("/mute/undo", { form: { t: below, mute: other } })).status, 404);
    }
    assert.equal(s.mutes().length, 4);
    for (const own of [belowRule, watch]) {
      assert.equal((await s.visitor.request("/mute/undo", { form: { t: below, mute: own } })).status, 200);
    }
    assert.deepEqual(s.mutes().map((m) => m.id).sort(), [dropRule, dropItem].sort());
  });
});
