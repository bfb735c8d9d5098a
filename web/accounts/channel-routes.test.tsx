/**
 * Channels over HTTP (in-memory topics): the cap of channels per person holds against posts at
 * once, decided in log order: the ones past it are refused and removed from the topic.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MAX_CHANNELS_PER_PERSON } from "../../shared/accounts/channel-record.ts";
import { createWebApp } from "../app.tsx";
import { MemorySource } from "../memory-source.ts";
import { peopleFixture, TestBrowser } from "./people-fixture.ts";

const DAY = "2026-12-06";

describe("a person's channels", () => {
  test("40 posts at once leave the cap of channels; the others are refused and removed", async () => {
    const f = await peopleFixture();
    const app = createWebApp({
      source: new MemorySource({ [DAY]: [] }),
      demo: false,
      today: () => DAY,
      watches: f.watches,
      people: f.deps,
    });
    const ana = await f.accounts.createAccount("ana@example.com", "member", "ana's long password");
    if (!ana.ok) throw new Error(ana.error);
    const b = new TestBrowser((r) => app.fetch(r));
    await b.signIn("ana@example.com", "ana's long password");
    const csrf = await b.csrf("/channels");
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      b.request("/channels", {
        form: { _csrf: csrf, name: `c${i}`, kind: "webhook", value: `https://hooks.example/h${i}` },
      })));
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 303).length, MAX_CHANNELS_PER_PERSON);
    assert.equal(statuses.filter((s) => s === 400).length, 40 - MAX_CHANNELS_PER_PERSON);
    const refused = answers.find((a) => a.status === 400)!;
    assert.match(await refused.text(), new RegExp(`at most ${MAX_CHANNELS_PER_PERSON} channels`));
    assert.equal(f.accounts.book.channelsOf(ana.value.id).length, MAX_CHANNELS_PER_PERSON);
    // on the topic: each refused channel's last record is a tombstone
    const last = new Map<string, string | null>();
    for (const r of f.accountsLog.records.get("accounts")!) if (r.key.startsWith("channel/")) last.set(r.key, r.value);
    assert.equal([...last.values()].filter((v) => v !== null).length, MAX_CHANNELS_PER_PERSON);
  });
});
