/**
 * Alerts you can trust, on the real cluster: scripted prices over six days go through the real
 * consumer (local DuckDB, a row the warehouse refuses) and the real alerter, under a global
 * `below` rule, and what reaches a local webhook is compared with the reference model
 * (test/alert-model/reference.ts), ids included:
 *  - through faults: the consumer SIGKILLed twice (once between a load and its commit, so a batch
 *    is read and announced again), the alerter SIGKILLed twice (once between writing its alerts and
 *    its episodes), the webhook down for the first minute: every expected alert arrives, no id twice;
 *  - a second alerter stopped (SIGSTOP) for most of the run, then let go behind hours of data:
 *    it decides the same alerts;
 *  - the script holds a refused row beside an item that alerts, a dip inside one load, an item
 *    absent four days and back under the target (a second alert), and one absent three hours at
 *    the same price (none);
 * and a digest of 100 alerts reaches a Telegram- and a Discord-shaped receiver as several
 * messages, every alert in one of them.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTableSql } from "../shared/duckdb-schema.ts";
import { TOPICS } from "../shared/kafka.ts";
import { type RunningServer, serve } from "../shared/serve.ts";
import { BELOW, expectedAlerts, minutes, produceSteps, scriptStart, type Step } from "../test/alert-script.ts";
import {
  consumerEnv,
  createConsumerTopics,
  startConsumerProcess,
  uncommitted,
  waitFor,
  withLocalDatabase,
} from "../test/consumer-helpers.ts";
import { type DaemonProcess, startDaemon } from "../test/daemon-process.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { createTestTopic, readTopic, testKafka } from "../test/kafka-helpers.ts";
import { freePort } from "../test/route-process.ts";

const { hour, day } = minutes;
let hook: RunningServer;
let failHookUntil = 0;
const received: Array<{ key: string; at: number }> = [];
let root: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), "ofertas-trust-"));
  hook = serve(async (request) => {
    await request.text();
    if (Date.now() < failHookUntil) return new Response("down for a minute", { status: 500 });
    received.push({ key: request.headers.get("idempotency-key") ?? "", at: Date.now() });
    return new Response(null, { status: 204 });
  }, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 1 << 20 });
});

after(async () => {
  await hook?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function alertTopics(name: string) {
  return {
    OFERTAS_WATCHES_TOPIC: await createTestTopic(`${name}-watches`, TOPICS.watches),
    OFERTAS_WATCH_RUNS_TOPIC: await createTestTopic(`${name}-runs`, TOPICS.watchRuns),
    OFERTAS_ALERTS_TOPIC: await createTestTopic(`${name}-alerts`, TOPICS.alerts),
    OFERTAS_ALERT_STATE_TOPIC: await createTestTopic(`${name}-state`, TOPICS.alertState),
  };
}

function alerterOf(env: Record<string, string>): DaemonProcess {
  return startDaemon("alert/alerter.ts", { KAFKA_BROKERS: integrationEnv.kafkaBrokers, ...env });
}

/** Alert ids on an alerter's outbox (its alerts topic), read whole. */
async function decidedIds(topic: string, atLeast: number): Promise<Set<string>> {
  const alerts = (m: Array<{ key: string | null; value: string | null }>) =>
    new Set(m.filter((x) => x.value && !x.key?.includes("|")).map((x) => x.key!));
  const messages = await readTopic(topic, (m) => alerts(m).size >= atLeast, 60_000);
  return alerts(messages);
}

const sorted = (ids: Iterable<string>) => [...ids].sort();

test(
  "alerts you can trust: every expected alert once, ids as the reference model's, through consumer and alerter SIGKILLs, a webhook down for a minute, a refused row and an alerter far behind",
  {
    timeout: 600_000,
  },
  async () => {
    const start = scriptStart();
    const item = (n: number) => `MLB83000000${String(n).padStart(2, "0")}`;
    // in time order; each phase is produced, then loaded, before the next
    const phases: Step[][] = [
      [
        { item: item(1), price: "70.00", at: 0 }, // alert
        { item: item(3), price: "72.00", at: 0 }, // alert, then absent four days
        { item: item(4), price: "72.00", at: 0 }, // alert, then absent three hours
        { item: item(1), price: "90.00", at: hour },
        { item: item(1), price: "70.00", at: 2 * hour }, // the same episode
      ],
      [
        { item: item(2), price: "85.00", at: 3 * hour },
        { item: item(2), price: "70.00", at: 3 * hour + 30 }, // a dip between two rounds of one load
        { item: item(2), price: "85.00", at: 4 * hour },
        { item: item(4), price: "72.00", at: 3 * hour }, // back at the same price: nothing
        { item: item(5), price: "60.00", at: 5 * hour, title: "REFUSED by the warehouse" }, // never loaded
        { item: item(6), price: "61.00", at: 5 * hour }, // the same batch: it alerts
      ],
      [
        { item: item(1), price: "95.00", at: 10 * hour },
        { item: item(1), price: "75.00", at: 20 * hour }, // false for 10 h: a second episode
        { item: item(6), price: "99.00", at: day + 2 * hour },
      ],
      [
        { item: item(3), price: "72.00", at: 4 * day }, // absent four days: a second alert
        { item: item(6), price: "62.00", at: 4 * day + hour }, // false since a day and more: again
      ],
    ];

    const offers = await createConsumerTopics("trust");
    const topics = {
      ...await alertTopics("trust"),
      OFERTAS_LOADS_TOPIC: await createTestTopic("trust-loads", TOPICS.loads),
    };
    const behind = await alertTopics("trust-behind");
    const warehouse = join(root, "trust");
    mkdirSync(warehouse, { recursive: true });
    // an operator's stricter table: DuckDB refuses a title holding REFUSED for its value
    await withLocalDatabase(warehouse, async (run) => {
      await run(
        createTableSql().replace("title VARCHAR NOT NULL", "title VARCHAR NOT NULL CHECK (title NOT LIKE '%REFUSED%')"),
      );
    });
    const consumerOf = (extra: Record<string, string> = {}) =>
      startConsumerProcess(consumerEnv(offers, {
        ...topics,
        OFERTAS_LOCAL_DIR: warehouse,
        OFERTAS_BATCH_INTERVAL_MS: "1000",
        ...extra,
      }));
    const alerterEnv = (own: Record<string, string>, group: string, extra: Record<string, string> = {}) => ({
      ...topics,
      ...own,
      OFERTAS_TOPIC: offers.topic,
      OFERTAS_LOCAL_DIR: warehouse,
      OFERTAS_ALERTER_GROUP: group,
      OFERTAS_CONSUMER_GROUP: offers.group,
      OFERTAS_ALERT_RULES: JSON.stringify([BELOW]),
      OFERTAS_ALERT_MAX_AGE_DAYS: "30",
      OFERTAS_ALERT_CHANNELS: JSON.stringify({ hook: `json://127.0.0.1:${hook.port}/hook` }),
      OFERTAS_ALERT_ALLOW_LOOPBACK: "true",
      OFERTAS_ALERT_RETRY_BASE: "500ms",
      OFERTAS_ALERT_RETRY_MAX: "3s",
      OFERTAS_ALERTER_PORT: "0",
      ...extra,
    });
    const group = `trust-alerter-${Date.now()}`;
    // the second alerter delivers nowhere: it decides, on topics of its own
    const behindGroup = `trust-behind-${Date.now()}`;
    const behindEnv = alerterEnv(behind, behindGroup, { OFERTAS_ALERT_CHANNELS: "{}" });
    failHookUntil = Date.now() + 60_000;
    const daemons: DaemonProcess[] = [];
    // what each daemon last said of loads, alerts and trouble: the message of a wait that times out
    const lastWords = () =>
      daemons.map((d, i) =>
        `--- daemon ${i}\n${
          d.output().split("\n").filter((l) =>
            /"event":"(load_evaluated|alert|alerter_loaded|alerter_started|batch_loaded|partitions_assigned)"|"level":"(warn|error)"/
              .test(l)
          ).map((l) => l.slice(0, 300)).slice(-12).join("\n")
        }`
      ).join("\n");
    const loaded = async (what: string) =>
      await waitFor(what, () => uncommitted(offers.topic, offers.group), (left) => left === 0, 120_000)
        .catch((error) => {
          throw new Error(`${(error as Error).message}\n${lastWords()}`);
        });
    try {
      let alerter = alerterOf(alerterEnv({}, group, { OFERTAS_FAULT_POINT: "after_alerts" }));
      const late = alerterOf(behindEnv);
      daemons.push(alerter, late);
      await waitFor(
        "the alerters up",
        async () => alerter.output() + late.output(),
        (o) => (o.match(/"event":"alerter_started"/g) ?? []).length === 2,
      );
      // the consumer dies right after its first load is announced, before its commit
      let consumer = consumerOf({ OFERTAS_FAULT_POINT: "after_load" });
      daemons.push(consumer);
      const sent = await produceSteps(offers.topic, start, phases[0]!);
      assert.equal((await consumer.exited).signal, "SIGKILL", consumer.output().slice(-2000));
      consumer = consumerOf();
      daemons.push(consumer);
      await loaded("phase 1 loaded");
      // the first alerter died between writing its alerts and its episodes
      assert.equal((await alerter.exited).signal, "SIGKILL", alerter.output().slice(-2000));
      alerter = alerterOf(alerterEnv({}, group));
      daemons.push(alerter);
      // the second alerter stops here, and is let go only once everything else is loaded. It is
      // stopped between loads, as a paused process would be: stopped inside one, it would hold
      // the local warehouse's file open and no later load could be written (DuckDB's one writer)
      await waitFor(
        "the second alerter done with the first loads",
        () => uncommitted(topics.OFERTAS_LOADS_TOPIC, behindGroup),
        (left) => left === 0,
        60_000,
      );
      late.child.kill("SIGSTOP");

      sent.push(...await produceSteps(offers.topic, start, phases[1]!));
      await loaded("phase 2 loaded");
      consumer.child.kill("SIGKILL");
      alerter.child.kill("SIGKILL");
      await Promise.all([consumer.exited, alerter.exited]);
      sent.push(...await produceSteps(offers.topic, start, phases[2]!));
      consumer = consumerOf();
      alerter = alerterOf(alerterEnv({}, group));
      daemons.push(consumer, alerter);
      await loaded("phase 3 loaded");
      sent.push(...await produceSteps(offers.topic, start, phases[3]!));
      await loaded("phase 4 loaded");

      const expected = await expectedAlerts(sent.filter((m) => !m.title.startsWith("REFUSED")));
      const ids = expected.map((a) => a.id);
      assert.deepEqual(
        expected.map((a) => `${a.item}@${(a.observed_at - start) / 60_000}`).sort(),
        [
          `${item(1)}@0`,
          `${item(1)}@${20 * hour}`,
          `${item(2)}@${3 * hour + 30}`,
          `${item(3)}@0`,
          `${item(3)}@${4 * day}`,
          `${item(4)}@0`,
          `${item(6)}@${5 * hour}`,
          `${item(6)}@${4 * day + hour}`,
        ].sort(),
        "the script's alerts, as the model decides them",
      );
      await waitFor(
        "every expected alert at the webhook",
        async () => new Set(received.map((r) => r.key)),
        (keys) => ids.every((id) => keys.has(id)),
        180_000,
      ).catch((error) => {
        throw new Error(`${(error as Error).message}\nexpected ${ids.join(" ")}\n${lastWords()}`);
      });
      assert.ok(received[0]!.at >= failHookUntil, "nothing got through while the webhook was down");
      await new Promise((r) => setTimeout(r, 3_000));
      assert.deepEqual(sorted(new Set(received.map((r) => r.key))), sorted(ids), "no alert the model did not decide");
      const repeats = received.length - new Set(received.map((r) => r.key)).size;
      assert.ok(repeats <= 2, `${repeats} repeats (only a kill between a send and its record may repeat one)`);
      assert.deepEqual(sorted(await decidedIds(topics.OFERTAS_ALERTS_TOPIC, ids.length)), sorted(ids));

      // the alerter far behind: let go after hours (of data) of loads, it decides the same
      late.child.kill("SIGCONT");
      assert.deepEqual(sorted(await decidedIds(behind.OFERTAS_ALERTS_TOPIC, ids.length)), sorted(ids));
    } finally {
      for (const d of daemons) {
        d.child.kill("SIGCONT");
        await d.stop();
      }
    }
  },
);

test(
  "a digest of 100 alerts reaches a Telegram- and a Discord-shaped receiver as several messages, every alert in one of them",
  {
    timeout: 180_000,
  },
  async () => {
    const telegram: string[] = [];
    const discord: string[] = [];
    const receiver = serve(async (request) => {
      const body = JSON.parse(await request.text());
      const path = new URL(request.url).pathname;
      if (path.includes("/sendMessage")) {
        telegram.push(body.text);
        return Response.json({ ok: true, result: { message_id: telegram.length } });
      }
      discord.push(body.content);
      return new Response(null, { status: 204 });
    }, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 1 << 20 });
    const topics = await alertTopics("digest");
    const alerter = alerterOf({
      ...topics,
      OFERTAS_LOADS_TOPIC: await createTestTopic("digest-loads", TOPICS.loads),
      OFERTAS_LOCAL_DIR: join(root, "digest"),
      OFERTAS_ALERTER_GROUP: `digest-${Date.now()}`,
      OFERTAS_ALERT_CHANNELS: JSON.stringify({
        chat: "tgram://${TG_TOKEN}/4242?digest=hourly",
        room: "discord://1234567890/abcdefghijklmnopqrstuvwxyz0123?digest=hourly",
      }),
      TG_TOKEN: "123456:AAbbCCddEEffGGhhIIjjKKllMM",
      OFERTAS_ALERT_TELEGRAM_API: `http://127.0.0.1:${receiver.port}`,
      OFERTAS_ALERT_DISCORD_API: `http://127.0.0.1:${receiver.port}`,
      OFERTAS_ALERT_ALLOW_LOOPBACK: "true",
      OFERTAS_ALERTER_PORT: String(await freePort()),
    });
    try {
      // 100 alerts decided an hour ago, as the outbox holds them: the hourly digest is due now
      const decided = new Date(Date.now() - 3_600_000).toISOString();
      const producer = testKafka().producer();
      await producer.connect();
      const titles = Array.from({ length: 100 }, (_, i) => `Digest item ${String(i).padStart(3, "0")}`);
      await producer.send({
        topic: topics.OFERTAS_ALERTS_TOPIC,
        messages: titles.map((title, i) => {
          const id = (0xd16e57 * 1000 + i).toString(16).padStart(24, "0");
          return {
            key: id,
            value: JSON.stringify({
              type: "alert",
              schema_version: 1,
              alert_id: id,
              rule_key: "global:target",
              kind: "below",
              watch_id: null,
              site: "MLB",
              item_id: `MLB${8_400_000_000 + i}`,
              offer_date: decided.slice(0, 10),
              title,
              currency: "BRL",
              url: `https://produto.mercadolivre.com.br/MLB-${8_400_000_000 + i}-x-_JM`,
              price: "70.00",
              verdict: null,
              real_discount_pct: null,
              why: "R$ 70,00 is at or below your price of R$ 80,00.",
              channels: ["chat", "room"],
              decided_at: decided,
              source: "load:digest",
            }),
          };
        }),
      });
      await producer.disconnect();
      const every = (messages: string[]) => titles.every((t) => messages.some((m) => m.includes(t)));
      await waitFor(
        "every alert on both channels",
        async () => ({ telegram, discord }),
        (s) => every(s.telegram) && every(s.discord.map((m) => m.replaceAll("\\", ""))),
        90_000,
      );
      assert.ok(telegram.length > 1 && discord.length > 1, `${telegram.length} and ${discord.length} messages`);
      for (const m of telegram) {
        assert.ok(m.length <= 4096);
      }
      for (const m of discord) assert.ok(m.length <= 2000);
      // each alert in exactly one message of each channel
      for (const t of titles) {
        assert.equal(telegram.filter((m) => m.includes(t)).length, 1, t);
        assert.equal(discord.filter((m) => m.replaceAll("\\", "").includes(t)).length, 1, t);
      }
    } finally {
      await alerter.stop();
      await receiver.stop();
    }
  },
);
