/**
 * Watches saved from the form (in-memory topics): an admin changing a member's watch keeps the
 * member's channels, whatever the admin ticks.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createWebApp } from "../app.tsx";
import { MemorySource } from "../memory-source.ts";
import { peopleFixture, TestBrowser } from "./people-fixture.ts";

const DAY = "2026-12-06";
/** An attribute's value as a browser reads it. */
const unescape = (text: string) =>
  text.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

describe("saving a watch from the form", () => {
  test("an admin saving a member's watch keeps the member's channels", async () => {
    const f = await peopleFixture();
    const app = createWebApp({
      source: new MemorySource({ [DAY]: [] }),
      demo: false,
      today: () => DAY,
      watches: f.watches,
      people: f.deps,
    });
    const admin = await f.accounts.createAccount("root@example.com", "admin", "the admin's password");
    const ana = await f.accounts.createAccount("ana@example.com", "member", "ana's long password");
    if (!admin.ok || !ana.ok) throw new Error("accounts not made");
    const addChannel = async (b: TestBrowser, name: string) => {
      const posted = await b.request("/channels", {
        form: { _csrf: await b.csrf("/channels"), name, kind: "webhook", value: `https://hooks.example/${name}` },
      });
      assert.equal(posted.status, 303);
    };
    const member = new TestBrowser((r) => app.fetch(r));
    await member.signIn("ana@example.com", "ana's long password");
    await addChannel(member, "anas-phone");
    const anasChannel = f.accounts.book.channelsOf(ana.value.id)[0]!.id;
    const put = await f.watches.put("anas-drill", {
      name: "a drill",
      target: { site: "MLB", view: "search", query: "furadeira", pages: 1 },
      period: { every: "1h" },
      enabled: true,
      owner: ana.value.id,
      alerts: {
        rules: [{ kind: "below", price: 299.9, clear_after: "6h", rearm_after: null, absent_after: "3d" }],
        first_run: "alert",
        channels: [anasChannel],
      },
    });
    assert.equal(put.ok, true);

    const root = new TestBrowser((r) => app.fetch(r));
    await root.signIn("root@example.com", "the admin's password");
    await addChannel(root, "admins-pager");
    const adminsChannel = f.accounts.book.channelsOf(admin.value.id)[0]!.id;
    const edit = await (await root.request("/watches/anas-drill/edit")).text();
    const fields = Object.fromEntries(
      [...edit.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, unescape(m[2]!)]),
    );
    const saved = await root.request("/watches/anas-drill/save", {
      form: {
        ...fields,
        channel: adminsChannel,
        name: "a drill, cheaper",
        every: "1h",
        below: "249.90",
        clear_after: "6h",
        absent_after: "3d",
        enabled: "on",
      },
    });
    assert.equal(saved.status, 303);
    const watch = f.watches.get("anas-drill")!;
    assert.equal(watch.name, "a drill, cheaper");
    assert.equal(watch.owner, ana.value.id);
    assert.deepEqual(watch.alerts?.channels, [anasChannel]);
  });
});
