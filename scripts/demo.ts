/**
 * `npm run demo`: the web view with every verdict in two minutes. Starts the local cluster, a
 * route and a consumer of their own (topic ofertas-demo.offers, data in .ofertas/demo), sends
 * 31 days of history made from the saved pages through the route (POST /offers, with a backfill
 * window opened for the demo), waits until the consumer has loaded it all, then serves the view
 * (every page labelled as demo data) and prints its address. An alerter with one global rule (a
 * real discount of at least 10% today) tells its (absent) channels and the view's Atom feed about
 * the real deals of today. Ctrl-C stops everything.
 */
import { Kafka, logLevel } from "kafkajs";
import { rmSync } from "node:fs";
import { kafkaConfigFromEnv, TOPICS } from "../shared/kafka.ts";
import { logRuntimeWarnings } from "../shared/runtime-warnings.ts";
import { topicOffsets } from "../shared/topic-offsets.ts";
import { realCards } from "../test/real-offers.ts";
import { demoHistory } from "./demo-history.ts";
import { DuckDbEngine } from "../query/engine.ts";
import { REPO, say, Supervisor } from "./lib/supervisor.ts";

const TOPIC = "ofertas-demo.offers";
const DEMO_TOPICS = {
  loads: "ofertas-demo.loads",
  alerts: "ofertas-demo.alerts",
  alertState: "ofertas-demo.alert-state",
  alertsDeadLetters: "ofertas-demo.alerts.dlq",
  // the demo's pages never become the real site's scraper baseline
  scraperDrift: "ofertas-demo.scraper-drift",
} as const;
const ROUTE_PORT = "8081";
const s = new Supervisor();
const env = s.env;

async function freshTopics(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    const mine = [TOPIC, `${TOPIC}.dlq`, ...Object.values(DEMO_TOPICS)];
    const old = mine.filter((t) => existing.includes(t));
    if (old.length) {
      await admin.deleteTopics({ topics: old });
      await Bun.sleep(2_000); // deletion completes in the background
    }
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        ...[TOPIC, `${TOPIC}.dlq`].map((topic) => ({
          topic,
          numPartitions: 6,
          replicationFactor: 3,
          configEntries: [{ name: "min.insync.replicas", value: "2" }],
        })),
        // the demo's loads, alerts and episodes: shaped like the project's own (shared/kafka.ts)
        ...Object.entries(DEMO_TOPICS).map(([key, topic]) => {
          const spec = TOPICS[key as keyof typeof DEMO_TOPICS];
          return {
            topic,
            numPartitions: spec.partitions,
            replicationFactor: spec.replicationFactor,
            configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
          };
        }),
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

async function consumed(kafka: Kafka, group: string): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [ends, committed] = await Promise.all([
      topicOffsets(admin, TOPIC),
      admin.fetchOffsets({ groupId: group, topics: [TOPIC] }),
    ]);
    const at = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
    return ends.every((e) => (at.get(e.partition) ?? -1) >= Number(e.high));
  } finally {
    await admin.disconnect();
  }
}

/** Alerts in the demo's warehouse (0 until the consumer loaded the first). */
async function alertsLoaded(root: string): Promise<number> {
  try {
    const engine = await DuckDbEngine.open(root);
    try {
      return Number((await engine.run("SELECT count(*) AS n FROM alerts WHERE event = 'alert'"))[0]!.n);
    } finally {
      await engine.close();
    }
  } catch {
    return 0; // no file or table yet, or the consumer holds the file for a moment
  }
}

// the demo's own Kafka client is quiet like the daemons: runtime warnings as JSON lines
logRuntimeWarnings();

try {
  const started = performance.now();
  await s.startKafka();
  const kafka = new Kafka({ ...kafkaConfigFromEnv(env, "ofertas-demo"), logLevel: logLevel.NOTHING });
  await freshTopics(kafka);
  const root = `${REPO}/.ofertas/demo/warehouse`;
  rmSync(root, { recursive: true, force: true });
  const group = `ofertas-demo-${Date.now()}`;
  const demoEnv = {
    OFERTAS_TOPIC: TOPIC,
    OFERTAS_DLQ_TOPIC: `${TOPIC}.dlq`,
    OFERTAS_LOCAL_DIR: root,
    OFERTAS_LOADS_TOPIC: DEMO_TOPICS.loads,
    OFERTAS_ALERTS_TOPIC: DEMO_TOPICS.alerts,
    OFERTAS_ALERT_STATE_TOPIC: DEMO_TOPICS.alertState,
    OFERTAS_ALERTS_DLQ_TOPIC: DEMO_TOPICS.alertsDeadLetters,
    OFERTAS_SCRAPER_DRIFT_TOPIC: DEMO_TOPICS.scraperDrift,
  };

  s.daemon("demo route", ["bun", "run", "edge/scrape-route.ts"], {
    ...demoEnv,
    PORT: ROUTE_PORT,
    OFERTAS_BACKFILL_DAYS: "32",
  });
  s.daemon("demo consumer", ["bun", "run", "batch/consumer.ts"], {
    ...demoEnv,
    OFERTAS_CONSUMER_GROUP: group,
    OFERTAS_BATCH_INTERVAL_MS: "1000",
    OFERTAS_CONSUMER_DETAILS: "false", // the demo history has no product details
  });
  // every real discount of today of at least 10% is an alert (a global rule: the demo has no watch)
  s.daemon("demo alerter", ["bun", "run", "alert/alerter.ts"], {
    ...demoEnv,
    OFERTAS_CONSUMER_GROUP: group,
    OFERTAS_ALERTER_GROUP: `${group}.alerter`,
    OFERTAS_ALERT_RULES: JSON.stringify([{ kind: "real_deal", min_real_discount_pct: 10 }]),
  });
  await s.waitHttp(`http://127.0.0.1:${ROUTE_PORT}/readyz`, 60_000);

  const history = demoHistory(realCards());
  let sent = 0;
  for (const day of history) {
    for (let i = 0; i < day.offers.length; i += 1_000) {
      const res = await fetch(`http://127.0.0.1:${ROUTE_PORT}/offers`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-scrape-id": `demo-${day.day}-${i}` },
        body: JSON.stringify(day.offers.slice(i, i + 1_000)),
      });
      const answer = (await res.json()) as { produced: number; rejected_offers?: unknown };
      if (res.status !== 200) {
        throw new Error(`the route refused the demo history (${res.status}): ${JSON.stringify(answer).slice(0, 500)}`);
      }
      sent += answer.produced;
    }
  }
  say(`${sent} offers over ${history.length} days sent through the route; waiting for the consumer`);
  for (let i = 0; !(await consumed(kafka, group)); i++) {
    if (i > 300) throw new Error("the consumer did not load the demo history in 60 s");
    await Bun.sleep(200);
  }

  for (let i = 0; (await alertsLoaded(root)) === 0; i++) {
    if (i > 300) throw new Error("no alert reached the warehouse in 60 s");
    await Bun.sleep(200);
  }
  say(`${await alertsLoaded(root)} alerts decided and loaded (the demo's real discounts of today)`);

  const webPort = env.OFERTAS_WEB_PORT ?? "8088";
  s.daemon("web view", ["bun", "run", "web/server.ts"], {
    ...demoEnv,
    OFERTAS_WEB_PORT: webPort,
    OFERTAS_WEB_DEMO: "true",
  });
  await s.waitHttp(`http://127.0.0.1:${webPort}/healthz`, 30_000);
  say(`demo ready in ${Math.round((performance.now() - started) / 1000)} s: open http://127.0.0.1:${webPort}/`);
  say(`its alerts, in any feed reader: http://127.0.0.1:${webPort}/alerts.atom`);
  say("Ctrl-C stops everything.");
} catch (error) {
  say(`the demo could not start: ${(error as Error).message}`);
  await s.shutdown(1);
}
