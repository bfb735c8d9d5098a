/**
 * One's account over HTTP (in-memory topics): a password change costs hashes, so it is limited
 * as sign-ins are, per login and per client, with the same 429 and Retry-After.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createWebApp } from "../app.tsx";
import { MemorySource } from "../memory-source.ts";
import { peopleFixture, TestBrowser } from "./people-fixture.ts";

const DAY = "2026-12-06";
const PASSWORD = "ana's long password";

async function setup(env: Record<string, string>) {
  const f = await peopleFixture(env);
  const app = createWebApp({
    source: new MemorySource({ [DAY]: [] }),
    demo: false,
    today: () => DAY,
    watches: f.watches,
    people: f.deps,
  });
  const ana = await f.accounts.createAccount("ana@example.com", "member", PASSWORD);
  if (!ana.ok) throw new Error(ana.error);
  return { ...f, app, ana: ana.value, browser: () => new TestBrowser((r) => app.fetch(r)) };
}

describe("changing one's password", () => {
  test("wrong current passwords are limited per login like sign-ins: 429 with Retry-After, no hash", async () => {
    const s = await setup({ OFERTAS_LOGIN_ATTEMPTS: "3" });
    const b = s.browser();
    await b.signIn("ana@example.com", PASSWORD);
    const csrf = await b.csrf();
    const change = (current: string) =>
      b.request("/account/password", {
        form: { _csrf: csrf, current, password: "a brand new password" },
        headers: { "x-test-client": "thief" },
      });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await change(`guess number ${i}`)).status);
    assert.deepEqual(statuses, [400, 400, 400, 429, 429]);
    const refused = await change(PASSWORD);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get("retry-after")) > 0);
    assert.match(await refused.text(), /Too many attempts/);
    // the login's allowance is the sign-in's too
    const signIn = await s.browser().signIn("ana@example.com", PASSWORD);
    assert.equal(signIn.status, 429);
    assert.notEqual(await s.accounts.checkPassword("ana@example.com", PASSWORD), null);
  });

  test("a client's allowance counts every change it tries; the right password still works under it", async () => {
    const s = await setup({ OFERTAS_LOGIN_ATTEMPTS_PER_CLIENT: "3" });
    const b = s.browser();
    await b.signIn("ana@example.com", PASSWORD); // the client's first attempt
    const csrf = await b.csrf();
    const first = await b.request("/account/password", {
      form: { _csrf: csrf, current: PASSWORD, password: "a brand new password" },
    });
    assert.equal(first.status, 303);
    const csrf2 = await b.csrf();
    const second = await b.request("/account/password", {
      form: { _csrf: csrf2, current: "a brand new password", password: "another new password" },
    });
    assert.equal(second.status, 303);
    const third = await b.request("/account/password", {
      form: { _csrf: await b.csrf(), current: "another new password", password: "yet another password" },
    });
    assert.equal(third.status, 429);
    assert.notEqual(await s.accounts.checkPassword("ana@example.com", "another new password"), null);
  });
});
