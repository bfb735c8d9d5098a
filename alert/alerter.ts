/**
 * The alerter daemon: `bun run alert/alerter.ts`. Settings: docs/configuration.md, "Alerter".
 *
 *   ofertas.loads ──▶ observations (daily_offers at the load's positions, context from item_days)
 *        ──▶ episodes, in scrape order ──▶ alerts (the outbox, ofertas.alerts)
 *        ──▶ episodes (ofertas.alert-state) ──▶ commit            (load-evaluation.ts, outbox.ts)
 *   ofertas.alerts ──▶ deliverer ──▶ channels ──▶ delivery records (deliverer.ts)
 *   ofertas.accounts ──▶ people's channels (person-channels.ts), their mutes (mutes.ts: a muted
 *        alert is written with no channel), mute links in their alerts (mute-links.ts)
 *   a timer ──▶ operator checks ──▶ the same episodes and outbox  (operator-checks.ts)
 *
 * It reads the watches (their rules), the open episodes and the outbox whole at start (compacted
 * topics), then judges each announced load in order. An alert is written before anything is
 * sent, and its id comes from its episode: a crash anywhere repeats work with the same ids, never
 * loses a decision (docs/alerts.md).
 */
import { type Admin, Kafka } from "kafkajs";
import process from "node:process";
import * as v from "valibot";
import { AlertRecordSchema } from "../shared/alert/alert-record.ts";
import { DAILY_OFFERS, STOCK_OBSERVATIONS } from "../shared/tables.ts";
import { WATCH_SETTINGS } from "../shared/watch/watch-settings.ts";
import { KAFKA_SETTINGS, kafkaConfigFromEnv } from "../shared/kafka.ts";
import { onConsumerCrash } from "../shared/kafka-crash.ts";
import { untilKafkaAnswers } from "../shared/kafka-start.ts";
import { KafkaKeyedLog, type LogRecord } from "../shared/keyed-log.ts";
import { parseJsonText } from "../shared/json-text.ts";
import { LoadAnnouncementSchema } from "../shared/load-announcement.ts";
import { log } from "../shared/log.ts";
import { Registry } from "../shared/metrics.ts";
import type { RunningServer } from "../shared/serve.ts";
import { runDaemon } from "../shared/shutdown.ts";
import { warehouseLocationFromEnv } from "../shared/warehouse-settings.ts";
import { WatchBook } from "../shared/watch/watch-book.ts";
import { alerterSettingsFromEnv } from "./alerter-config.ts";
import { serveAlerterHttp } from "./alerter-http.ts";
import { BigQueryCandidates, type CandidateSource, DuckDbCandidates } from "./candidates.ts";
import { channelsOf } from "./channels/channels.ts";
import { Deliverer } from "./deliverer.ts";
import { DriftConditions } from "./drift-conditions.ts";
import { EpisodeStates } from "./episode-states.ts";
import { activeRules } from "./evaluator.ts";
import { LoadEvaluator } from "./load-evaluation.ts";
import { OPERATOR_PREFIX, OPERATOR_RULE, operatorAlerts } from "./operator-alerts.ts";
import { OperatorChecks } from "./operator-checks.ts";
import { Outbox } from "./outbox.ts";
import { AccountBook } from "../shared/accounts/account-book.ts";
import { accountsSettingsFromEnv } from "../shared/accounts/accounts-settings.ts";
import { SecretBox } from "../shared/accounts/secret-box.ts";
import { LinkSigner } from "../shared/accounts/signed-token.ts";
import { ChannelDirectory } from "./person-channels.ts";
import { mutedBy } from "./mutes.ts";
import { muteLinks } from "./mute-links.ts";

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
  const accountsSettings = accountsSettingsFromEnv(env);
  const directory = new ChannelDirectory(
    channels,
    accountsSettings.secretsKey ? await SecretBox.fromBase64(accountsSettings.secretsKey) : null,
    { telegramBotToken: accountsSettings.telegramBotToken, smtpUrl: accountsSettings.smtpUrl, env },
    {
      allowLoopback: settings.allowLoopback,
      allowPrivate: settings.allowPrivate,
      discordApi: settings.discordApi ?? undefined,
      telegramApi: settings.telegramApi ?? undefined,
    },
  );
  const signer = accountsSettings.linkKey ? await LinkSigner.fromSecret(accountsSettings.linkKey) : null;
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
    accounts: kafkaSettings.accountsTopic,
  };
  const book = new WatchBook({
    pagesPerHourPerHost: WATCH_SETTINGS.settings.pagesPerHour.read(env),
    runTimeoutMs: WATCH_SETTINGS.settings.runTimeout.read(env),
  });
  const states = new EpisodeStates();
  // people: their channels (opened into the directory as read) and their mutes
  const people = new AccountBook();
  people.onChannel = (id, record) => directory.apply(id, record);
  const ownerOf = (watchId: string) => book.watch(watchId)?.owner;
  const drift = new DriftConditions();
  const logs = new KafkaKeyedLog(
    { ...kafkaConfig, retry: { retries: 3 } },
    [topics.watches, topics.runs, topics.alerts, topics.state, topics.drift, topics.accounts],
    "alerter",
  );
  const deliverer = new Deliverer({
    channels: directory.channels,
    record: (d) => logs.append(topics.alerts, `${d.alert_id}|${d.channel}`, JSON.stringify(d)).then(() => {}),
    forget: (keys) => logs.appendMany(topics.alerts, keys.map((key) => ({ key, value: null }))),
    retry: { baseMs: settings.retryBase, maxMs: settings.retryMax },
    onDelivered: (_a, channel) => deliveries.inc({ channel, outcome: "delivered" }),
    onFailed: (channel) => deliveries.inc({ channel, outcome: "failed" }),
    ...(signer && accountsSettings.publicUrl
      ? { decorate: muteLinks(signer, accountsSettings.publicUrl, accountsSettings.muteLinkDays, ownerOf) }
      : {}),
  });
  const outbox = new Outbox(logs, topics, states, (a) => alertsTotal.inc({ kind: a.kind }), mutedBy(people, ownerOf));

  let loaded = false;
  const apply = (record: LogRecord) => {
    if (record.topic === topics.watches) book.applyWatch(record.key, record.value);
    else if (record.topic === topics.runs) book.applyRun(record.key, record.value);
    else if (record.topic === topics.drift) drift.apply(record.key, record.value);
    else if (record.topic === topics.accounts) people.apply(record.key, record.value);
    // every episode record, also after the start: what this process wrote it has applied already
    // (the same value comes back), and what another alerter wrote meanwhile (a rollout's overlap,
    // a replaced process) is not lost to a snapshot taken at the start
    else if (record.topic === topics.state) states.apply(record.key, record.value);
    else if (record.topic === topics.alerts) applyAlertRecord(deliverer, record);
  };
  const loading = logs.start(apply).then(() => directory.settled()).then(() => {
    loaded = true;
    deliverer.start();
    log("info", "alerter_loaded", { watches: book.size, episodes: states.size, channels: channelNames });
  });
  // the start retries until Kafka answers; what is left (a bug) stops the daemon, never unseen
  loading.catch(onFail);

  const evaluator = new LoadEvaluator({
    source,
    rules: () =>
      activeRules(book.watches(), settings.globalRules, channelNames, (owner) => directory.channelsOf(owner)),
    states,
    outbox,
    maxAgeDays: settings.maxAgeDays,
  });

  // the loads, in order, one at a time; a start during an outage keeps trying. A group with no
  // committed position (its first start, or every evaluation so far interrupted) reads the loads
  // topic from its start: announcements made meanwhile are judged, not skipped (what was judged
  // already is skipped by the episodes, what is older than OFERTAS_ALERT_MAX_AGE_DAYS is not judged)
  const consumer = kafka.consumer({ groupId: settings.groupId, allowAutoTopicCreation: false });
  onConsumerCrash(consumer, "alerter loads", onFail);
  await untilKafkaAnswers(async () => {
    await consumer.connect();
    await consumer.subscribe({ topic: kafkaSettings.loadsTopic, fromBeginning: true });
  }, { daemon: "alerter", what: "loads group", cleanup: () => consumer.disconnect() });
  await consumer.run({
    eachMessage: async ({ message }) => {
      await loading;
      const parsed = v.safeParse(LoadAnnouncementSchema, parseJsonText(message.value?.toString() ?? ""));
      if (!parsed.success) {
        log("warn", "load_announcement_ignored", { reason: "not a load announcement" });
        return;
      }
      // offers (the price rules) and stock observations (the stock rules) are judged; other tables are not
      if (parsed.output.table !== DAILY_OFFERS.name && parsed.output.table !== STOCK_OBSERVATIONS.name) return;
      // the episodes as written before this load, by this process or another: read back first, so
      // a record of ours read back late cannot overwrite what this evaluation decides
      await logs.catchUp([topics.state]).catch((error) =>
        log("warn", "alert_state_catch_up_failed", { message: (error as Error).message })
      );
      const summary = await evaluator.evaluate(parsed.output);
      if (!summary) return;
      evaluations.observe(summary.ms / 1000);
      log("info", "load_evaluated", { ...summary });
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
      const now = Date.now();
      const decided = await operatorAlerts(conditions, states.view, operatorChannels, now);
      const expired = states.expired(now, () => OPERATOR_RULE, (key) => key.startsWith(OPERATOR_PREFIX));
      await outbox.write(decided.alerts, decided.states, expired);
    } catch (error) {
      log("info", "operator_check_failed", { message: (error as Error).message, transient: true });
    }
  };
  const checkTimer = setInterval(() => void runChecks(), settings.checkEvery);

  const server: RunningServer | null = settings.port === null ? null : serveAlerterHttp({
    port: settings.port,
    env,
    registry,
    loaded: () => loaded,
    channels: () => deliverer.state(),
    beforeMetrics: () => {
      for (const [name, s] of Object.entries(deliverer.state())) waiting.set({ channel: name }, s.waiting);
    },
  });
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
      for (const c of directory.channels.values()) c.close?.();
    },
  };
}

/** A record of the alerts topic to the deliverer: an alert, a delivery, or an alert's tombstone. */
function applyAlertRecord(deliverer: Deliverer, record: LogRecord): void {
  if (record.value === null) {
    if (!record.key.includes("|")) deliverer.forget(record.key);
    return;
  }
  const parsed = v.safeParse(AlertRecordSchema, parseJsonText(record.value));
  if (parsed.success) deliverer.apply(parsed.output);
}

if (import.meta.main) await runDaemon("alerter", (fail) => startAlerter(process.env, fail));
