/**
 * Alerts on the real cluster, end to end: the real route (a watch of a deals page whose prices a
 * test script changes), the real consumer (loads, item_days, announcements, the alerts feed) and
 * the real alerter, delivering to a local webhook receiver and a local SMTP server.
 *
 *  - a 10-day history at 100.00, then a deals page with item A at 70.00 (30% off, real) and B at
 *    95.00: one `real_deal` and one `below` alert for A, on each channel (the webhook answers 500
 *    for the first seconds: it gets them afterwards);
 *  - the same prices on the next runs: nothing;
 *  - A back above the target (90.00) for longer than clear_after, then under it again (75.00):
 *    a second episode, a second pair of alerts;
 *  - the alerter SIGKILLed right after a channel took a message and before the delivery was
 *    recorded: restarted, it delivers everything, a repeat only with the same idempotency key;
 *  - item A's title is a seller's feed injection with a control character: both Atom feeds of
 *    the web view over the same warehouse stay valid XML and show it as text.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { SMTPServer } from "smtp-server";
import { TOPICS } from "../shared/kafka.ts";
import { type RunningServer, serve } from "../shared/serve.ts";
import {
  consumerEnv,
  createConsumerTopics,
  localCounts,
  startConsumerProcess,
  waitFor,
} from "../test/consumer-helpers.ts";
import { startDaemon } from "../test/daemon-process.ts";
import { dealsPage, type PageCard } from "../test/deals-page.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { createTestTopic } from "../test/kafka-helpers.ts";
import { sampleOffer } from "../test/sample-offer.ts";
import { freePort, startRouteProcess, waitReady } from "../test/route-process.ts";
import { createWebApp } from "../web/app.tsx";
import { DuckDbSource } from "../web/duckdb-source.ts";
import { MemoryWatchSource } from "../web/watch-source.ts";

const TOKEN = "alerts-token-0123456789";
const SECRET = "hook-secret-0123";
const A = "MLB8100000001";
const B = "MLB8100000002";
/** What a seller could call item A: a CDATA breakout to a link of its own, and a control character. */
const TITLE_A = ']]>]]></title><link href="https://evil.example/"/><title><![CDATA[ Fone\u0001 A';
/** What a reader must show: the same text, minus the character XML 1.0 cannot carry. */
const SHOWN_A = ']]>]]></title><link href="https://evil.example/"/><title><![CDATA[ Fone A';
/** The title as a page carries it: markup escaped, the control character as a reference (raw, the page would look binary). */
const asHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replaceAll("\u0001", "&#1;");
// deno-lint-ignore no-control-regex -- the control characters are what it finds
const NOT_XML_1_0 = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;

let cards: PageCard[] = [];
let site: RunningServer;
let hook: RunningServer;
let failHookUntil = 0;
const hooks: Array<{ key: string; id: string; timestamp: string; signature: string; body: string }> = [];
let smtp: SMTPServer;
let smtpPort = 0;
const mails: string[] = [];
let root: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), "ofertas-alerts-"));
  site = serve(() => new Response(dealsPage(cards), { headers: { "content-type": "text/html" } }), {
    port: 0,
    hostname: "127.0.0.1",
    maxRequestBodySize: 1024,
  });
  hook = serve(async (request) => {
    const body = await request.text();
    if (Date.now() < failHookUntil) return new Response("down for a while", { status: 500 });
    hooks.push({
      key: request.headers.get("idempotency-key") ?? "",
      id: request.headers.get("webhook-id") ?? "",
      timestamp: request.headers.get("webhook-timestamp") ?? "",
      signature: request.headers.get("webhook-signature") ?? "",
      body,
    });
    return new Response(null, { status: 204 });
  }, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 1 << 20 });
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    onData: (stream, _session, callback) => {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString()));
      stream.on("end", () => {
        mails.push(raw);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
  smtpPort = (smtp.server.address() as { port: number }).port;
});

after(async () => {
  await Promise.all([site?.stop(), hook?.stop()]);
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

const messageIds = () =>
  new Set(mails.map((m) => /Message-ID: <([0-9a-f]{24})@ofertas>/i.exec(m)?.[1]).filter(Boolean));
const hookKeys = () => new Set(hooks.map((h) => h.key));
const alertKinds = () => hooks.map((h) => JSON.parse(h.body).alerts[0]).map((a) => `${a.kind}:${a.item_id}:${a.price}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("alerts end to end: once per episode on each channel, through a failing channel and an alerter crash", {
  timeout: 300_000,
}, async () => {
  const offers = await createConsumerTopics("alerts");
  const topics = {
    OFERTAS_WATCHES_TOPIC: await createTestTopic("a-watches", TOPICS.watches),
    OFERTAS_WATCH_RUNS_TOPIC: await createTestTopic("a-runs", TOPICS.watchRuns),
    OFERTAS_LOADS_TOPIC: await createTestTopic("a-loads", TOPICS.loads),
    OFERTAS_ALERTS_TOPIC: await createTestTopic("a-alerts", TOPICS.alerts),
    OFERTAS_ALERT_STATE_TOPIC: await createTestTopic("a-state", TOPICS.alertState),
    OFERTAS_ALERTS_DLQ_TOPIC: await createTestTopic("a-alerts-dlq", TOPICS.alertsDeadLetters),
  };
  const shared = { KAFKA_BROKERS: integrationEnv.kafkaBrokers, OFERTAS_TOPIC: offers.topic, ...topics };
  const route = await startRouteProcess("bun", {
    ...shared,
    OFERTAS_TOKEN: TOKEN,
    OFERTAS_ML_BASE_URL: `http://127.0.0.1:${site.port}`,
    OFERTAS_MIN_INTERVAL_MS: "0",
    OFERTAS_BACKFILL_DAYS: "12",
    OFERTAS_WATCH_TICK_EVERY: "1s",
    OFERTAS_WATCH_MIN_PERIOD: "1s",
    OFERTAS_WATCH_PAGES_PER_HOUR: "3600",
  });
  const consumer = startConsumerProcess(
    consumerEnv(offers, {
      ...topics,
      OFERTAS_LOCAL_DIR: root,
      OFERTAS_BATCH_INTERVAL_MS: "1000",
      OFERTAS_CONSUMER_ALERTS: "true",
    }),
  );
  const alerterEnv = {
    ...shared,
    OFERTAS_LOCAL_DIR: root,
    OFERTAS_ALERTER_GROUP: `alerter-${Date.now()}`,
    OFERTAS_CONSUMER_GROUP: offers.group,
    OFERTAS_ALERT_CHANNELS: JSON.stringify({
      hook: `json://127.0.0.1:${hook.port}/hook?secret=\${HOOK_SECRET}`,
      mail: `mailto://127.0.0.1:${smtpPort}?to=deals@example.com&from=ofertas@example.com`,
    }),
    HOOK_SECRET: SECRET,
    OFERTAS_ALERT_ALLOW_LOOPBACK: "true",
    OFERTAS_ALERT_RETRY_BASE: "300ms",
    OFERTAS_ALERT_RETRY_MAX: "2s",
    OFERTAS_ALERTER_PORT: String(await freePort()),
  };
  let alerter = startDaemon("alert/alerter.ts", alerterEnv);
  const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
  try {
    assert.equal((await waitReady(route.url)).status, 200);
    // ten days at 100.00 for both items (scraped then, sent now: the backfill window), a scrape a day
    for (let d = 1; d <= 10; d++) {
      const scrapedAt = new Date(Date.now() - d * 86_400_000).toISOString();
      const day = [A, B].map((item, i) => ({
        ...sampleOffer({
          item_id: item,
          price: "100.00",
          original_price: null,
          discount_pct: null,
          position: i + 1,
          label: null,
        }),
        scraped_at: scrapedAt,
      }));
      const sent = await fetch(`${route.url}/offers`, {
        method: "POST",
        headers: { ...auth, "x-scrape-id": `history-${d}-${Date.now()}` },
        body: JSON.stringify(day),
      });
      assert.equal(sent.status, 200, await sent.clone().text());
    }
    await waitFor("the history in the warehouse", () => localCounts(root), (c) => c.rows >= 20, 60_000);
    await waitFor(
      "the alerter to load",
      () => fetch(`http://127.0.0.1:${alerterEnv.OFERTAS_ALERTER_PORT}/readyz`).then((r) => r.status),
      (s) => s === 200,
      60_000,
    );

    // phase 1: A at 70.00 (30% off its 100.00: real), B at 95.00; the webhook fails for a while
    cards = [{ itemId: A, title: asHtml(TITLE_A), price: 7_000, original: 10_000 }, {
      itemId: B,
      title: "TV B",
      price: 9_500,
      original: 10_000,
    }];
    failHookUntil = Date.now() + 6_000;
    const put = await fetch(`${route.url}/watches/deals`, {
      method: "PUT",
      headers: auth,
      body: JSON.stringify({
        target: { site: "MLB", view: "all", pages: 1 },
        period: { every: "3s" },
        alerts: {
          rules: [{ kind: "real_deal", min_real_discount_pct: 20, clear_after: "2s" }, {
            kind: "below",
            price: 80,
            clear_after: "2s",
          }],
        },
      }),
    });
    assert.equal(put.status, 201, await put.clone().text());
    await waitFor(
      "two alerts on each channel",
      () => Promise.resolve([hookKeys().size, messageIds().size]),
      ([h, m]) => h === 2 && m === 2,
      90_000,
    );
    assert.deepEqual(alertKinds().sort(), [`below:${A}:70.00`, `real_deal:${A}:70.00`]);
    assert.ok(Date.now() > failHookUntil, "the webhook got them after it came back");

    // phase 2: the same prices on the next runs say nothing
    await sleep(8_000);
    assert.equal(hookKeys().size, 2);
    assert.equal(messageIds().size, 2);

    // phase 3: above the target (and only 10% off) for longer than clear_after
    cards = [{ itemId: A, title: asHtml(TITLE_A), price: 9_000, original: 10_000 }, {
      itemId: B,
      title: "TV B",
      price: 9_500,
      original: 10_000,
    }];
    await sleep(10_000);
    assert.equal(hookKeys().size, 2, "no alert while above the target");

    // phase 4: under again; the alerter dies right after the first channel takes the first message
    await alerter.stop();
    alerter = startDaemon("alert/alerter.ts", { ...alerterEnv, OFERTAS_FAULT_POINT: "after_send" });
    cards = [{ itemId: A, title: asHtml(TITLE_A), price: 7_500, original: 10_000 }, {
      itemId: B,
      title: "TV B",
      price: 9_500,
      original: 10_000,
    }];
    const died = await Promise.race([alerter.exited, sleep(90_000).then(() => null)]);
    assert.equal(died?.signal, "SIGKILL", `the fault point was reached:\n${alerter.output().slice(-2000)}`);
    alerter = startDaemon("alert/alerter.ts", alerterEnv);
    await waitFor(
      "the second episode's alerts on each channel",
      () => Promise.resolve([hookKeys().size, messageIds().size]),
      ([h, m]) => h === 4 && m === 4,
      90_000,
    );
    assert.deepEqual(
      alertKinds().filter((k) => k.endsWith(":75.00")).sort().filter((k, i, all) => all.indexOf(k) === i),
      [
        `below:${A}:75.00`,
        `real_deal:${A}:75.00`,
      ],
    );

    // the feeds, read from the warehouse the consumer keeps loading: valid, the title as text
    // the view knows the watch as the operator's (no owner): a watch it cannot place has no public feed
    const web = createWebApp({
      source: new DuckDbSource(root),
      watches: new MemoryWatchSource([{ id: "deals", name: "deals" } as never]),
      demo: false,
    });
    const feedOf = async (path: string) => await (await web.fetch(new Request(`http://ofertas.local${path}`))).text();
    await waitFor(
      "the four alerts in the watch's feed",
      async () => parseFeed(await feedOf("/watches/deals/alerts.atom")).items.length,
      (n) => n >= 4,
      60_000,
    );
    for (const path of ["/alerts.atom", "/watches/deals/alerts.atom"]) {
      const xml = await feedOf(path);
      assert.doesNotMatch(xml, NOT_XML_1_0, `${path}: a character XML 1.0 cannot carry`);
      assert.doesNotMatch(xml, /<!\[CDATA\[/, path);
      assert.equal(XMLValidator.validate(xml), true, path);
      const entries = (new XMLParser({ ignoreAttributes: false, isArray: (n) => n === "entry" || n === "link" })
        .parse(xml) as { feed: { entry: Array<{ link: Array<Record<string, string>> }> } }).feed.entry;
      const items = parseFeed(xml).items;
      assert.equal(items.length, entries.length, path);
      const pageA = `http://ofertas.local/items/MLB/${A}`;
      for (const [i, item] of items.entries()) {
        // every link is the view's own (operator alerts, if any, link to /watches)
        for (const l of entries[i]!.link) {
          assert.ok(l["@_href"]!.startsWith("http://ofertas.local/"), `${path}: ${l["@_href"]}`);
        }
        if (item.url === pageA) assert.ok(item.title?.startsWith(`${SHOWN_A} — BRL `), `${path}: ${item.title}`);
      }
      assert.ok(items.filter((item) => item.url === pageA).length >= 4, `${path}: item A's four alerts`);
    }
  } finally {
    await alerter.stop();
    await route.stop();
    await consumer.stop();
  }

  // a repeat is only ever the same alert with the same key (the crash), each signed (Standard Webhooks)
  const byKey = new Map<string, Set<string>>();
  for (const h of hooks) {
    assert.equal(h.id, h.key, "webhook-id is the idempotency key");
    const signed = `${h.id}.${h.timestamp}.${h.body}`;
    assert.equal(h.signature, `v1,${createHmac("sha256", SECRET).update(signed).digest("base64")}`);
    const alerts = JSON.parse(h.body).alerts as Array<{ alert_id: string }>;
    assert.equal(alerts[0]!.alert_id, h.key);
    byKey.set(h.key, (byKey.get(h.key) ?? new Set()).add(alerts[0]!.alert_id));
  }
  assert.equal(byKey.size, 4, "four alerts: two per episode");
  assert.ok(hooks.length <= 5, `at most one repeat (the crash): ${hooks.length} webhook calls`);
  assert.equal(messageIds().size, 4);
  assert.ok(mails.length <= 5);
});
