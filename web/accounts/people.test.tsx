/**
 * Accounts in the web view over its HTTP contract (in-memory topics): the session cookie's flags,
 * sign-in answers, forms from elsewhere, watches from a pasted link, what a second member cannot
 * see or change (by URL and by a replayed form), mute links, the private feed.
 */
import { describe, expect, test } from "bun:test";
import { createWebApp } from "../app.tsx";
import { MemorySource } from "../memory-source.ts";
import type { AlertView } from "../alerts.ts";
import { peopleFixture, TestBrowser } from "./people-fixture.ts";

const DAY = "2026-12-06";
/** An attribute's value as a browser reads it. */
const unescape = (text: string) =>
  text.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

async function setup(alerts: AlertView[] = []) {
  const f = await peopleFixture();
  const app = createWebApp({
    source: new MemorySource({ [DAY]: [] }, {}, alerts),
    demo: false,
    today: () => DAY,
    watches: f.watches,
    people: f.deps,
  });
  const ana = await f.accounts.createAccount("ana@example.com", "member", "ana's long password");
  const bob = await f.accounts.createAccount("bob@example.com", "member", "bob's long password");
  if (!ana.ok || !bob.ok) throw new Error("accounts not made");
  return { ...f, app, ana: ana.value, bob: bob.value, browser: () => new TestBrowser((r) => app.fetch(r)) };
}

describe("sessions", () => {
  test("the cookie is HttpOnly, SameSite=Lax, Path=/; Secure with __Host- outside loopback", async () => {
    const s = await setup();
    const local = await s.browser().signIn("ana@example.com", "ana's long password");
    const flags = local.headers.get("set-cookie") ?? "";
    expect(flags).toMatch(/^ofertas-session=/);
    expect(flags).toMatch(/HttpOnly/);
    expect(flags).toMatch(/SameSite=Lax/);
    expect(flags).toMatch(/Path=\//);
    expect(flags).not.toMatch(/Secure/);
    const remote = await new TestBrowser((r) => s.app.fetch(r), "https://ofertas.example")
      .signIn("ana@example.com", "ana's long password");
    const secure = remote.headers.get("set-cookie") ?? "";
    expect(secure).toMatch(/^__Host-ofertas-session=/);
    expect(secure).toMatch(/Secure/);
    expect(secure).not.toMatch(/Domain=/);
  });

  test("a wrong password and an unknown login get the same answer; the right one signs in", async () => {
    const s = await setup();
    const wrong = await s.browser().signIn("ana@example.com", "not the password");
    const unknown = await s.browser().signIn("nobody@example.com", "not the password");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (t: string) => t.replace(/value="[^"]*"/g, "");
    expect(strip(await wrong.text())).toBe(strip(await unknown.text()));
    const b = s.browser();
    expect((await b.signIn("ana@example.com", "ana's long password")).status).toBe(303);
    expect(await (await b.request("/account")).text()).toContain("ana@example.com");
  });

  test("sign out everywhere ends another open session", async () => {
    const s = await setup();
    const phone = s.browser();
    const laptop = s.browser();
    await phone.signIn("ana@example.com", "ana's long password");
    await laptop.signIn("ana@example.com", "ana's long password");
    expect((await phone.request("/account")).status).toBe(200);
    const out = await laptop.request("/logout-everywhere", { form: { _csrf: await laptop.csrf() } });
    expect(out.status).toBe(200);
    const after = await phone.request("/account");
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toContain("/login");
  });

  test("a form posted from another origin is refused, and so is one without the session's token", async () => {
    const s = await setup();
    const b = s.browser();
    await b.signIn("ana@example.com", "ana's long password");
    const csrf = await b.csrf();
    const elsewhere = await b.request("/logout-everywhere", {
      form: { _csrf: csrf },
      headers: { origin: "https://evil.example" },
    });
    expect(elsewhere.status).toBe(403);
    const tokenless = await b.request("/logout-everywhere", { form: {} });
    expect(tokenless.status).toBe(403);
    expect((await b.request("/account")).status).toBe(200); // still signed in: nothing happened
  });
});

describe("watches from a pasted link", () => {
  test("a product URL and a search URL are proposed; one saved with a target price is the person's", async () => {
    const s = await setup();
    const b = s.browser();
    await b.signIn("ana@example.com", "ana's long password");
    const csrf = await b.csrf("/watches/new");
    const product = await b.request("/watches/propose", {
      form: { _csrf: csrf, paste: "https://www.mercadolibre.com.co/cafetera-x/p/MCO31067313?x=1", site: "MLB" },
    });
    const productPage = await product.text();
    expect(product.status).toBe(200);
    expect(productPage).toContain("MCO item https://www.mercadolibre.com.co/cafetera-x/p/MCO31067313");
    expect(productPage).toContain("recognised as a product page");
    const search = await b.request("/watches/propose", {
      form: {
        _csrf: csrf,
        paste: "https://lista.mercadolivre.com.br/cafeteira-eletrica_PriceRange_100-400",
        site: "MLB",
      },
    });
    const searchPage = await search.text();
    expect(searchPage).toContain("MLB search &quot;cafeteira eletrica&quot;, 100–400");
    const refused = await b.request("/watches/propose", {
      form: { _csrf: csrf, paste: "https://www.amazon.com/dp/1", site: "MLB" },
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("not Mercado Livre");

    const fields = Object.fromEntries(
      [...searchPage.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, unescape(m[2]!)]),
    );
    const saved = await b.request("/watches/save", {
      form: {
        ...fields,
        _csrf: csrf,
        every: "1h",
        below: "299.90",
        clear_after: "6h",
        absent_after: "3d",
        enabled: "on",
      },
    });
    expect(saved.status).toBe(303);
    const watch = s.watches.list().find((w) => w.owner === s.ana.id)!;
    expect(watch.target).toMatchObject({ site: "MLB", view: "search", query: "cafeteira eletrica", price_max: 400 });
    expect(watch.alerts?.rules[0]).toMatchObject({ kind: "below", price: 299.9 });
    expect(watch.name).toBe('MLB search "cafeteira eletrica"');
    expect(await (await b.request("/watches")).text()).toContain(`/watches/${watch.id}/edit`);
  });

  test("a second member cannot see, change or delete the first's watches or channels, by URL or replayed form", async () => {
    const s = await setup();
    const ana = s.browser();
    await ana.signIn("ana@example.com", "ana's long password");
    const anaCsrf = await ana.csrf("/watches/new");
    await ana.request("/channels", {
      form: { _csrf: anaCsrf, name: "ana-phone", kind: "ntfy", value: "https://ntfy.sh/ana-secret-topic" },
    });
    const channel = s.accounts.book.channelsOf(s.ana.id)[0]!;
    expect(channel.sealed).not.toContain("ana-secret-topic");
    const put = await s.watches.put("anas-drill", {
      target: { site: "MLB", view: "search", query: "furadeira" },
      period: { every: "1h" },
      owner: s.ana.id,
    });
    expect(put.ok).toBe(true);

    const bob = s.browser();
    await bob.signIn("bob@example.com", "bob's long password");
    const bobCsrf = await bob.csrf("/watches/new");
    expect(await (await bob.request("/watches")).text()).not.toContain("anas-drill");
    expect(JSON.stringify(await (await bob.request("/api/watches")).json())).not.toContain("anas-drill");
    expect((await bob.request("/watches/anas-drill/edit")).status).toBe(404);
    for (const action of ["delete", "pause", "save"]) {
      const replay = await bob.request(`/watches/anas-drill/${action}`, {
        form: { _csrf: bobCsrf, name: "mine now", every: "1h" },
      });
      expect(replay.status).toBe(404);
    }
    // ana's form token replayed in bob's session is refused: a token is its session's own
    expect((await bob.request("/logout-everywhere", { form: { _csrf: anaCsrf } })).status).toBe(403);
    expect(s.watches.get("anas-drill")?.name).not.toBe("mine now");
    expect(await (await bob.request("/channels")).text()).not.toContain("ana-phone");
    expect((await bob.request(`/channels/${channel.id}/delete`, { form: { _csrf: bobCsrf } })).status).toBe(404);
    expect((await bob.request(`/channels/${channel.id}/test`, { form: { _csrf: bobCsrf } })).status).toBe(404);
    expect(s.accounts.book.channel(channel.id)).not.toBeNull();
    // nobody signed in: the watch has no public feed
    expect((await s.browser().request("/watches/anas-drill/alerts.atom")).status).toBe(404);
    expect(await (await ana.request("/channels")).text()).not.toContain("ana-secret-topic");
  });
});

describe("mutes and the private feed", () => {
  test("a mute link silences the item after a button press (a GET changes nothing), and undoes", async () => {
    const s = await setup();
    const token = await s.signer.sign(
      { o: s.ana.id, w: "anas-drill", r: "below", s: "MLB", i: "MLB123456789", t: "Furadeira <b>" },
      Date.now() + 86_400_000,
    );
    const visitor = s.browser();
    const page = await visitor.request(`/mute?t=${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Furadeira &lt;b&gt;");
    const alert = { watch_id: "anas-drill", rule_key: "watch:anas-drill:below", site: "MLB", item_id: "MLB123456789" };
    expect(s.accounts.book.isMuted(s.ana.id, alert, Date.now())).toBe(false);
    const done = await visitor.request("/mute", { form: { t: token, kind: "item", for: "365d" } });
    const html = await done.text();
    expect(s.accounts.book.isMuted(s.ana.id, alert, Date.now())).toBe(true);
    const muteId = /name="mute" value="([^"]+)"/.exec(html)![1]!;
    await visitor.request("/mute/undo", { form: { t: token, mute: muteId } });
    expect(s.accounts.book.isMuted(s.ana.id, alert, Date.now())).toBe(false);
    expect((await visitor.request(`/mute?t=${token.slice(0, -3)}abc`)).status).toBe(400);
  });

  test("the private feed carries only the person's watches' alerts, until revoked", async () => {
    const alert = (watch: string, title: string): AlertView => ({
      alert_id: `a-${watch}`,
      kind: "below",
      rule_key: `watch:${watch}:below`,
      watch_id: watch,
      site: "MLB",
      item_id: "MLB123456789",
      title,
      currency: "BRL",
      url: null,
      price: "10.00",
      verdict: null,
      real_discount_pct: null,
      why: "under",
      decided_at: `${DAY}T12:00:00.000Z`,
      deliveries: [],
    });
    const s = await setup([alert("anas-drill", "Drill of Ana"), alert("bobs-tv", "Tv of Bob")]);
    await s.watches.put("anas-drill", {
      target: { site: "MLB", view: "search", query: "drill" },
      period: { every: "1h" },
      owner: s.ana.id,
    });
    await s.watches.put("bobs-tv", {
      target: { site: "MLB", view: "search", query: "tv" },
      period: { every: "1h" },
      owner: s.bob.id,
    });
    const ana = s.browser();
    await ana.signIn("ana@example.com", "ana's long password");
    const made = await (await ana.request("/account/feed", { form: { _csrf: await ana.csrf() } })).text();
    const feedPath = new URL(/(http:\/\/[^<\s]+\.atom)/.exec(made)![1]!).pathname;
    const feed = await (await s.browser().request(feedPath)).text();
    expect(feed).toContain("Drill of Ana");
    expect(feed).not.toContain("Tv of Bob");
    // the public feed of every alert carries neither
    expect(await (await s.browser().request("/alerts.atom")).text()).not.toContain("Drill of Ana");
    await ana.request("/account/feed/revoke", { form: { _csrf: await ana.csrf() } });
    expect((await s.browser().request(feedPath)).status).toBe(404);
  });
});

describe("reading the deals behind a sign-in", () => {
  test("OFERTAS_WEB_SIGN_IN=required: pages ask for a sign-in, the API answers 401, the sign-in page is open", async () => {
    const f = await peopleFixture({ OFERTAS_WEB_SIGN_IN: "required" });
    const app = createWebApp({
      source: new MemorySource({ [DAY]: [] }),
      demo: false,
      today: () => DAY,
      people: f.deps,
    });
    await f.accounts.createAccount("ana@example.com", "member", "ana's long password");
    const b = new TestBrowser((r) => app.fetch(r));
    const home = await b.request("/");
    expect(home.status).toBe(303);
    expect(home.headers.get("location")).toBe("/login?next=%2F");
    expect((await b.request("/api/deals")).status).toBe(401);
    expect((await b.request("/login")).status).toBe(200);
    await b.signIn("ana@example.com", "ana's long password");
    expect((await b.request("/")).status).toBe(200);
  });
});
