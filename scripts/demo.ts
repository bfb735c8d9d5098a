/**
 * `npm run demo`: the web view with every verdict in two minutes. Starts the local cluster, a
 * route and a consumer of their own (topic ofertas-demo.offers, data in .ofertas/demo), sends
 * 31 days of history made from the saved pages through the route (POST /offers, with a backfill
 * window opened for the demo), waits until the consumer has loaded it all, then serves the view
 * (every page labelled as demo data) and prints its address. Ctrl-C stops everything.
 */
import { Kafka, logLevel } from "kafkajs";
import { rmSync } from "node:fs";
import { kafkaConfigFromEnv } from "../shared/kafka.ts";
import { realCards } from "../test/real-offers.ts";
import { demoHistory } from "./demo-history.ts";
import { REPO, say, Supervisor } from "./lib/supervisor.ts";

const TOPIC = "ofertas-demo.offers";
const ROUTE_PORT = "8081";
const s = new Supervisor();
const env = s.env;

async function freshTopics(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    const mine = [TOPIC, `${TOPIC}.dlq`];
    const old = mine.filter((t) => existing.includes(t));
    if (old.length) {
      await admin.deleteTopics({ topics: old });
      await Bun.sleep(2_000); // deletion completes in the background
    }
    await admin.createTopics({
      waitForLeaders: true,
      topics: mine.map((topic) => ({
        topic,
        numPartitions: 6,
        replicationFactor: 3,
        configEntries: [{ name: "min.insync.replicas", value: "2" }],
      })),
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
      admin.fetchTopicOffsets(TOPIC),
      admin.fetchOffsets({ groupId: group, topics: [TOPIC] }),
    ]);
    const at = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
    return ends.every((e) => (at.get(e.partition) ?? -1) >= Number(e.high));
  } finally {
    await admin.disconnect();
  }
}

try {
  const started = performance.now();
  await s.startKafka();
  const kafka = new Kafka({ ...kafkaConfigFromEnv(env, "ofertas-demo"), logLevel: logLevel.NOTHING });
  await freshTopics(kafka);
  const root = `${REPO}/.ofertas/demo/warehouse`;
  rmSync(root, { recursive: true, force: true });
  const group = `ofertas-demo-${Date.now()}`;
  const demoEnv = { OFERTAS_TOPIC: TOPIC, OFERTAS_DLQ_TOPIC: `${TOPIC}.dlq`, OFERTAS_LOCAL_DIR: root };

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

  const webPort = env.OFERTAS_WEB_PORT ?? "8088";
  s.daemon("web view", ["bun", "run", "web/server.ts"], {
    ...demoEnv,
    OFERTAS_WEB_PORT: webPort,
    OFERTAS_WEB_DEMO: "true",
  });
  await s.waitHttp(`http://127.0.0.1:${webPort}/healthz`, 30_000);
  say(`demo ready in ${Math.round((performance.now() - started) / 1000)} s: open http://127.0.0.1:${webPort}/`);
  say("Ctrl-C stops everything.");
} catch (error) {
  say(`the demo could not start: ${(error as Error).message}`);
  await s.shutdown(1);
}
