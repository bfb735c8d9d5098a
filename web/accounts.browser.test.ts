/**
 * Accounts in a real browser (Debian's Chromium, playwright-core), on the web view with accounts
 * on in-memory topics (web/accounts/people-fixture.ts) and the alerter's own modules for the path
 * of an alert: the rules' channels per owner (activeRules), the outbox's mute step, the directory
 * of people's channels (sealed records opened with the key), the deliverer with mute links, each
 * person's local webhook. Two members: Ana and Bob.
 *
 * Sign in; paste a product URL and a search URL and get the proposals; save one with a target;
 * see it run; its alert reaches Ana's webhook and not Bob's; mute the item from the alert's link
 * and no further alert comes; Bob cannot see, change or delete Ana's watches or channels (by URL
 * and by replayed form); a form from another origin is refused; the cookie's flags; sign out
 * everywhere ends an open session. JavaScript is off throughout: the pages need none.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { type RunningServer, serve } from "../shared/serve.ts";
import type { Alert } from "../shared/alert/alert-record.ts";
import { createWebApp } from "./app.tsx";
import { MemorySource } from "./memory-source.ts";
import { peopleFixture } from "./accounts/people-fixture.ts";
import { activeRules } from "../alert/evaluator.ts";
import { EpisodeStates } from "../alert/episode-states.ts";
import { Outbox } from "../alert/outbox.ts";
import { mutedBy } from "../alert/mutes.ts";
import { muteLinks } from "../alert/mute-links.ts";
import { ChannelDirectory } from "../alert/person-channels.ts";
import { Deliverer } from "../alert/deliverer.ts";

const DAY = "2026-12-06";
const PASSWORD = { ana: "ana's long password", bob: "bob's long password" };
let f: Awaited<ReturnType<typeof peopleFixture>>;
let server: RunningServer;
let base: string;
let browser: Browser;
const hooks: Record<string, { server: Server; url: string; bodies: Array<{ text: string; alerts: Alert[] }> }> = {};

async function hook(name: string) {
  const bodies: Array<{ text: string; alerts: Alert[] }> = [];
  const srv = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      bodies.push(JSON.parse(body));
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  hooks[name] = { server: srv, url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/${name}`, bodies };
}

before(async () => {
  f = await peopleFixture();
  await f.accounts.createAccount("ana@example.com", "member", PASSWORD.ana);
  await f.accounts.createAccount("bob@example.com", "member", PASSWORD.bob);
  const app = createWebApp({
    source: new MemorySource({ [DAY]: [] }),
    watches: { list: () => f.watches.list(), close: () => Promise.resolve() },
    demo: false,
    today: () => DAY,
    people: f.deps,
  });
  server = serve(app.fetch, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 16 * 1024 });
  base = `http://127.0.0.1:${server.port}`;
  await Promise.all([hook("ana"), hook("bob")]);
  const executablePath = execFileSync("bash", [new URL("../scripts/ensure-chromium", import.meta.url).pathname], {
    encoding: "utf8",
  }).trim();
  browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  for (const h of Object.values(hooks)) h.server.close();
});

async function signIn(login: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("Login (your e-mail address)").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  assert.match(page.url(), /\/watches$/);
  return { context, page };
}

async function addWebhook(page: Page, name: string, url: string) {
  await page.goto(`${base}/channels`);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Kind").selectOption("webhook");
  await page.getByLabel("Address").fill(url);
  await page.getByRole("button", { name: "Add the channel" }).click();
  await page.getByRole("button", { name: `Test ${name}` }).click();
  assert.match(await page.getByRole("status").innerText(), /sent/);
}

/** The alerter's path for one alert of `watchId`'s rule on an item, as the alerter runs it. */
async function alertFor(watchId: string, item: string, since: string): Promise<void> {
  const directory = new ChannelDirectory(new Map(), f.box, f.deps.relays, { allowLoopback: true, allowPrivate: false });
  for (const record of f.accounts.book.allChannels()) directory.apply(record.id, record);
  await directory.settled();
  const ownerOf = (id: string) => f.watches.get(id)?.owner;
  const [rule] = activeRules(f.watches.list(), [], [], (o) => directory.channelsOf(o)).filter((r) =>
    r.watchId === watchId
  );
  assert.ok(rule, "the watch has a rule");
  const alert = {
    type: "alert",
    schema_version: 1,
    alert_id: `${watchId}-${item}-${since}`.slice(0, 24),
    rule_key: rule.key,
    kind: "below",
    watch_id: watchId,
    site: "MLB",
    item_id: item,
    title: "Cafeteira <b>elétrica</b>",
    url: null,
    currency: "BRL",
    price: "279.90",
    observed_at: since,
    verdict: null,
    real_discount_pct: null,
    why: "at or below BRL 300",
    channels: rule.channels,
    decided_at: since,
    source: "browser-test",
  } as unknown as Alert;
  const written: Alert[] = [];
  const outbox = new Outbox(
    { appendMany: (_t, r) => (written.push(...r.map((x) => JSON.parse(x.value!))), Promise.resolve()) },
    { alerts: "a", state: "s" },
    new EpisodeStates(),
    () => {},
    mutedBy(f.accounts.book, ownerOf),
  );
  await outbox.write([alert], new Map());
  const deliverer = new Deliverer({
    channels: directory.channels,
    record: () => Promise.resolve(),
    retry: { baseMs: 10, maxMs: 10 },
    decorate: muteLinks(f.signer, base, 14, ownerOf),
  });
  for (const a of written) deliverer.apply(a);
  await deliverer.runOnce();
}

test("browser: accounts, a watch from a pasted link, its alert to its owner only, a mute from the alert", async () => {
  const ana = await signIn("ana@example.com", PASSWORD.ana);
  const [cookie] = await ana.context.cookies();
  assert.equal(cookie?.name, "ofertas-session");
  assert.equal(cookie?.httpOnly, true);
  assert.equal(cookie?.sameSite, "Lax");
  assert.equal(cookie?.secure, false, "loopback: development over http (Secure elsewhere: people.test.tsx)");
  await addWebhook(ana.page, "ana-hook", hooks.ana!.url);

  const bob = await signIn("bob@example.com", PASSWORD.bob);
  await addWebhook(bob.page, "bob-hook", hooks.bob!.url);

  // paste a product URL, then a search URL: each proposed
  const p = ana.page;
  await p.goto(`${base}/watches/new`);
  await p.getByLabel("A link, or words").fill("https://www.mercadolivre.com.br/cafeteira-x/p/MLB31067313#reco");
  await p.getByRole("button", { name: "See what ofertas proposes" }).click();
  assert.match(
    await p.locator("main").innerText(),
    /MLB item https:\/\/www\.mercadolivre\.com\.br\/cafeteira-x\/p\/MLB31067313 \(recognised as a product page\)/,
  );
  await p.goto(`${base}/watches/new`);
  await p.getByLabel("A link, or words").fill("https://lista.mercadolivre.com.br/cafeteira-eletrica");
  await p.getByRole("button", { name: "See what ofertas proposes" }).click();
  assert.match(await p.locator("main").innerText(), /MLB search "cafeteira eletrica"/);
  // a wrong target price is said next to its field, then the right one saves
  await p.getByLabel("The price is at or below").fill("cheap");
  await p.getByRole("button", { name: "Save this watch" }).click();
  assert.equal(await p.getByLabel("The price is at or below").getAttribute("aria-invalid"), "true");
  assert.match(await p.locator("#f-below-error").innerText(), /a price above 0/);
  await p.getByLabel("The price is at or below").fill("300");
  await p.getByRole("button", { name: "Save this watch" }).click();
  const watch = f.watches.list().find((w) => w.target.query === "cafeteira eletrica")!;
  assert.equal(watch.owner, f.accounts.book.accountByLogin("ana@example.com")!.id);

  // see it run: a run recorded by the route shows on the page
  const now = new Date().toISOString();
  await f.watches.recordRun({
    type: "run",
    watch_id: watch.id,
    watch_created_at: watch.created_at,
    host: "lista.mercadolivre.com.br",
    slot: now,
    tick_id: "t1",
    started_at: now,
    finished_at: now,
    outcome: "ok",
    scrape_id: null,
    pages_fetched: 1,
    offers: 48,
    produced: 48,
    invalid: 0,
    errors: [],
    run: 1,
    failures: 0,
    backoff_until: null,
  });
  await p.goto(`${base}/watches`);
  assert.match(await p.locator(`tr[data-watch="${watch.id}"] .last-run`).innerText(), /ok[\s\S]*48 offers/);

  // its alert reaches Ana's webhook, not Bob's, with a mute link
  await alertFor(watch.id, "MLB5387688522", "2026-12-06T12:00:00.000Z");
  assert.equal(hooks.ana!.bodies.filter((b) => !b.alerts.length).length, 1, "the test message");
  const [sent] = hooks.ana!.bodies.filter((b) => b.alerts.length);
  assert.ok(sent, "Ana's webhook got the alert");
  assert.equal(hooks.bob!.bodies.filter((b) => b.alerts.length).length, 0, "Bob's webhook got nothing");
  const link = /Silence it: (\S+)/.exec(sent.text)![1]!;

  // mute the item from the alert's link (signed out: the link is the authority)
  const visitor = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await visitor.goto(link);
  assert.match(await visitor.locator("main").innerText(), /Cafeteira <b>elétrica<\/b>/, "the title is text");
  await visitor.getByRole("button", { name: "Silence it" }).click();
  assert.match(await visitor.getByRole("status").innerText(), /Silenced until/);
  await alertFor(watch.id, "MLB5387688522", "2026-12-10T12:00:00.000Z");
  assert.equal(hooks.ana!.bodies.filter((b) => b.alerts.length).length, 1, "no further alert");

  // Bob: not by URL, not by form replay
  await bob.page.goto(`${base}/watches`);
  assert.doesNotMatch(await bob.page.locator("main").innerText(), /cafeteira/);
  const edit = await bob.page.goto(`${base}/watches/${watch.id}/edit`);
  assert.equal(edit?.status(), 404);
  const bobCsrf = await bob.page.goto(`${base}/account`).then(() =>
    bob.page.locator('input[name="_csrf"]').first().getAttribute("value")
  );
  for (const action of ["delete", "pause", "save"]) {
    const replay = await bob.context.request.post(`${base}/watches/${watch.id}/${action}`, {
      form: { _csrf: bobCsrf!, name: "bob's now", every: "1h" },
      headers: { origin: base },
    });
    assert.equal(replay.status(), 404, action);
  }
  const anaChannel = f.accounts.book.channelsOf(watch.owner!)[0]!;
  for (const action of ["test", "delete"]) {
    const replay = await bob.context.request.post(`${base}/channels/${anaChannel.id}/${action}`, {
      form: { _csrf: bobCsrf! },
      headers: { origin: base },
    });
    assert.equal(replay.status(), 404, action);
  }
  await bob.page.goto(`${base}/channels`);
  assert.doesNotMatch(await bob.page.locator("main").innerText(), /ana-hook/);
  assert.ok(f.watches.get(watch.id), "Ana's watch is still there");

  // a form posted from another origin is refused
  const forged = await ana.context.request.post(`${base}/logout-everywhere`, {
    form: { _csrf: await p.locator('input[name="_csrf"]').first().getAttribute("value") ?? "" },
    headers: { origin: "https://evil.example" },
  });
  assert.equal(forged.status(), 403);

  // sign out everywhere ends an open session
  const other = await signIn("ana@example.com", PASSWORD.ana);
  await other.page.goto(`${base}/account`);
  await other.page.getByRole("button", { name: "Sign out everywhere" }).click();
  await p.goto(`${base}/account`);
  assert.match(p.url(), /\/login\?next=%2Faccount$/);
});
