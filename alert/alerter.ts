/**
 * The alerter daemon: `bun run alert/alerter.ts`. Settings: docs/configuration.md, "Alerter".
 *
 *   ofertas.loads ──▶ candidates (item_days, the scheduled queries' verdicts) ──▶ rules and episodes
 *        ──▶ alerts (the outbox, ofertas.alerts) ──▶ episodes (ofertas.alert-state) ──▶ commit
 *   ofertas.alerts ──▶ deliverer ──▶ channels ──▶ delivery records (ofertas.alerts)
 *
 * It reads the watches (their rules), the alert states and the outbox whole at start (compacted
 * topics), then evaluates each announced load in order, within moments of the load. An alert is
 * written before anything is sent; a crash anywhere repeats work with the same alert ids, never
 * loses a decision (docs/alerts.md). Operator checks run on a timer of their own.
 */
import { listenHost } from "../shared/listen-host.ts";
import { type Admin, Kafka } from "kafkajs";
import process from "node:process";
import * as v from "valibot";
import { type Alert, AlertRecordSchema, type Delivery, deliveryKey, NO_ITEM } from "../shared/alert/alert-record.ts";
import { LoadAnnouncementSchema } from "../batch/load-announcer.ts";
import { WATCH_SETTINGS } from "../shared/watch/watch-settings.ts";
import { KAFKA_SETTINGS, kafkaConfigFromEnv } from "../shared/kafka.ts";
import { KafkaKeyedLog } from "../shared/keyed-log.ts";
import { log } from "../shared/log.ts";
import { PROMETHEUS_CONTENT_TYPE, Registry } from "../shared/metrics.ts";
import { untilKafkaAnswers } from "../shared/kafka-start.ts";
import { type RunningServer, serve } from "../shared/serve.ts";
import { runDaemon } from "../shared/shutdown.ts";
import { onConsumerCrash } from "../shared/kafka-crash.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { offerDate } from "../shared/timestamp.ts";
import { addDays } from "../reports/sql-templates.ts";
import { hexPrefix, sha256 } from "../shared/sha256.ts";
import { warehouseLocationFromEnv } from "../shared/warehouse-settings.ts";
import { WatchBook } from "../shared/watch/watch-book.ts";
import { alerterSettingsFromEnv } from "./alerter-config.ts";
import { BigQueryCandidates, type CandidateSource, DuckDbCandidates } from "./candidates.ts";
import { channelsOf } from "./channels/channels.ts";
import { Deliverer } from "./deliverer.ts";
import type { Episode } from "./episodes.ts";
import { step } from "./episodes.ts";
import { activeRules, episodeKey, evaluate, lowDaysOf } from "./evaluator.ts";
import { DriftConditions } from "./drift-conditions.ts";
import { OperatorChecks, type OperatorCondition } from "./operator-checks.ts";
import { parseJsonText } from "../shared/json-text.ts";

/** Operator episodes: one alert when a condition starts; over once it has been gone 15 minutes. */
const OPERATOR_RULE = { clear_after: "15m", rearm_after: null };

export async function startAlerter(
  env: Record<string, string | undefined> = process.env,
  onFail: (error: Error) => void = () => {},
) {
  const settings = alerterSettingsFromEnv(env);
  const kafkaSettings = KAFKA_SETTINGS.read(env);
  const channels = channelsOf(settings.channels, env, {
    allowLoopback: settings.allowLoopback,
    allowPrivate: settings.allowPrivate,
    discordApi: settings.discordApi ?? undefined,
    telegramApi: settings.telegramApi ?? undefined,
  });
  const channelNames = [...channels.keys()];
  const operatorChannels = settings.operatorChannels.includes("*")
    ? channelNames
    : settings.operatorChannels.filter((n) => channels.has(n));
  const where = warehouseLocationFromEnv(env);
  const source: CandidateSource = where.kind === "local"
    ? new DuckDbCandidates(where.localDir)
    : new BigQueryCandidates({
      projectId: where.projectId,
      dataset: where.dataset,
      location: where.location,
      apiEndpoint: where.bigqueryEndpoint,
    });

  const kafkaConfig = kafkaConfigFromEnv(env, "ofertas-alerter");
  const kafka = new Kafka(kafkaConfig);
  const registry = new Registry();
  const alertsTotal = registry.counter("ofertas_alerts_total", "Alerts decided, by kind.");
  const deliveries = registry.counter("ofertas_alert_deliveries_total", "Delivery attempts, by channel and outcome.");
  const waiting = registry.gauge("ofertas_alert_deliveries_waiting", "Alerts waiting for a channel, by channel.");
  const evaluations = registry.histogram(
    "ofertas_alert_evaluation_seconds",
    "Time to evaluate one announced load (all its days).",
    [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  const lagGauge = registry.gauge(
    "ofertas_alerter_consumer_lag",
    "The batch consumer's lag, as the operator check saw it.",
  );

  const topics = {
    watches: kafkaSettings.watchesTopic,
    runs: kafkaSettings.watchRunsTopic,
    alerts: kafkaSettings.alertsTopic,
    state: kafkaSettings.alertStateTopic,
    drift: kafkaSettings.scraperDriftTopic,
  };
  const book = new WatchBook({
    pagesPerHourPerHost: WATCH_SETTINGS.settings.pagesPerHour.read(env),
    runTimeoutMs: WATCH_SETTINGS.settings.runTimeout.read(env),
  });
  const states = new Map<string, Episode>();
  const drift = new DriftConditions();
  const logs = new KafkaKeyedLog(
    { ...kafkaConfig, retry: { retries: 3 } },
    [topics.watches, topics.runs, topics.alerts, topics.state, topics.drift],
    "alerter",
  );
  const deliverer = new Deliverer({
    channels,
    record: async (d: Delivery) =>
      void (await logs.append(topics.alerts, deliveryKey(d.alert_id, d.channel), JSON.stringify(d))),
    retry: { baseMs: settings.retryBase, maxMs: settings.retryMax },
    onDelivered: (_a, channel) => deliveries.inc({ channel, outcome: "delivered" }),
    onFailed: (channel) => deliveries.inc({ channel, outcome: "failed" }),
  });
  let loaded = false;
  const loading = logs.start((record) => {
    if (record.topic === topics.watches) book.applyWatch(record.key, record.value);
    else if (record.topic === topics.runs) book.applyRun(record.key, record.value);
    else if (record.topic === topics.drift) drift.apply(record.key, record.value);
    else if (record.topic === topics.state) {
      if (record.value === null) states.delete(record.key);
      else states.set(record.key, JSON.parse(record.value) as Episode);
    } else if (record.topic === topics.alerts && record.value !== null) {
      const parsed = v.safeParse(AlertRecordSchema, parseJsonText(record.value));
      if (parsed.success) deliverer.apply(parsed.output);
    }
  }).then(() => {
    loaded = true;
    deliverer.start();
    log("info", "alerter_loaded", { watches: book.size, episodes: states.size, channels: channelNames });
  });
  // the start retries until Kafka answers; what is left (a bug) stops the daemon, never unseen
  loading.catch(onFail);

  /** Alerts first (the outbox), then the episodes: a crash between repeats the alerts, never loses one. */
  async function write(alerts: Alert[], changed: Map<string, Episode>): Promise<void> {
    for (const alert of alerts) {
      await logs.append(topics.alerts, alert.alert_id, JSON.stringify(alert));
      alertsTotal.inc({ kind: alert.kind });
      log("info", "alert", {
        alert_id: alert.alert_id,
        rule: alert.rule_key,
        item_id: alert.item_id,
        price: alert.price,
        channels: alert.channels,
      });
    }
    for (const [key, state] of changed) {
      await logs.append(topics.state, key, JSON.stringify(state));
      states.set(key, state);
    }
  }

  async function evaluateLoad(value: string): Promise<void> {
    const parsed = v.safeParse(LoadAnnouncementSchema, parseJsonText(value));
    if (!parsed.success) {
      log("warn", "load_announcement_ignored", { reason: "not a load announcement" });
      return;
    }
    const load = parsed.output;
    if (load.table !== DAILY_OFFERS.name) return;
    const started = performance.now();
    const rules = activeRules(book.watches(), settings.globalRules, channelNames, (id) => book.lastRun(id)?.run === 1);
    if (rules.length === 0) return;
    let decided = 0;
    let candidates = 0;
    const oldest = addDays(offerDate(new Date().toISOString()), -settings.maxAgeDays);
    for (const day of load.dates.filter((d) => d >= oldest)) {
      const found = await source.candidates(load.batch_id, day, lowDaysOf(rules));
      candidates += found.length;
      const result = await evaluate(found, rules, states, { now: Date.now(), day, source: `batch:${load.batch_id}` });
      await write(result.alerts, result.states);
      decided += result.alerts.length;
    }
    const seconds = (performance.now() - started) / 1000;
    evaluations.observe(seconds);
    log("info", "load_evaluated", {
      batch_id: load.batch_id,
      days: load.dates,
      candidates,
      rules: rules.length,
      alerts: decided,
      ms: Math.round(seconds * 1000),
    });
  }

  // the loads, in order, one at a time; a start during an outage keeps trying
  const consumer = kafka.consumer({ groupId: settings.groupId, allowAutoTopicCreation: false });
  onConsumerCrash(consumer, "alerter loads", onFail);
  await untilKafkaAnswers(async () => {
    await consumer.connect();
    await consumer.subscribe({ topic: kafkaSettings.loadsTopic, fromBeginning: false });
  }, { daemon: "alerter", what: "loads group", cleanup: () => consumer.disconnect() });
  await consumer.run({
    eachMessage: async ({ message }) => {
      await loading;
      if (message.value) await evaluateLoad(message.value.toString());
    },
  });

  // operator checks on a clock of their own
  const admin: Admin = kafka.admin();
  const checks = new OperatorChecks({
    admin,
    consumerGroup: settings.consumerGroup,
    offersTopic: kafkaSettings.topic,
    deadLetterTopics: [kafkaSettings.deadLetterTopic, kafkaSettings.detailsDeadLetterTopic],
    book,
    lagMax: settings.lagMax,
    drift: () => drift.conditions(),
  });
  let adminConnected = false;
  const runChecks = async () => {
    if (!loaded) return;
    try {
      if (!adminConnected) {
        await admin.connect();
        adminConnected = true;
      }
      const conditions = await checks.check();
      if (checks.lastLag !== null) lagGauge.set({ group: settings.consumerGroup }, checks.lastLag);
      await write(...await operatorAlerts(conditions, states, operatorChannels));
    } catch (error) {
      log("info", "operator_check_failed", { message: (error as Error).message, transient: true });
    }
  };
  const checkTimer = setInterval(() => void runChecks(), settings.checkEvery);

  let server: RunningServer | null = null;
  if (settings.port !== null) {
    server = serve((request) => {
      const path = new URL(request.url).pathname;
      if (path === "/healthz") return Response.json({ status: "ok" });
      if (path === "/readyz") {
        const channelState = deliverer.state();
        return Response.json(
          { status: loaded ? "ready" : "loading", channels: channelState },
          { status: loaded ? 200 : 503 },
        );
      }
      if (path === "/metrics") {
        for (const [name, s] of Object.entries(deliverer.state())) waiting.set({ channel: name }, s.waiting);
        return new Response(registry.render(), { headers: { "content-type": PROMETHEUS_CONTENT_TYPE } });
      }
      return new Response("not found", { status: 404 });
    }, { port: settings.port, hostname: listenHost(env), maxRequestBodySize: 1024 });
  }
  log("info", "alerter_started", {
    channels: [...channels.values()].map((c) => ({ name: c.name, url: c.redacted, digest: c.digest })),
    global_rules: settings.globalRules.length,
    warehouse: where.kind,
    port: server?.port ?? null,
  });

  return {
    port: server?.port ?? null,
    deliverer,
    ready: () => loaded,
    stop: async () => {
      clearInterval(checkTimer);
      await consumer.disconnect().catch(() => {});
      await deliverer.stop();
      await Promise.allSettled([logs.close(), adminConnected ? admin.disconnect() : Promise.resolve(), server?.stop()]);
      for (const c of channels.values()) c.close?.();
    },
  };
}

/** Operator conditions through the same episodes as the rules: alerts when one starts. */
async function operatorAlerts(
  conditions: readonly OperatorCondition[],
  states: ReadonlyMap<string, Episode>,
  channels: string[],
): Promise<[Alert[], Map<string, Episode>]> {
  const alerts: Alert[] = [];
  const changed = new Map<string, Episode>();
  const now = Date.now();
  for (const c of conditions) {
    const key = episodeKey(`operator:${c.kind}`, "-", c.subject);
    const { next, fire } = step(states.get(key), c.holds, now, OPERATOR_RULE);
    if (next !== states.get(key)) changed.set(key, next);
    if (!fire) continue;
    const source = `check:${new Date(now).toISOString()}`;
    alerts.push({
      type: "alert",
      schema_version: 1,
      alert_id: hexPrefix(await sha256(`${key}|${source}`), 12),
      rule_key: `operator:${c.kind}`,
      kind: c.kind,
      watch_id: c.kind === "watch_backoff" ? c.subject : null,
      ...NO_ITEM,
      why: c.why.slice(0, 1000),
      channels,
      decided_at: new Date(now).toISOString(),
      source,
    });
  }
  return [alerts, changed];
}

if (import.meta.main) await runDaemon("alerter", (fail) => startAlerter(process.env, fail));
