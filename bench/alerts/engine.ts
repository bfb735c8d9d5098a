/**
 * Benchmark (not a test): what the alert engine writes and reads, on the real cluster, before and
 * after issue 28, in one run.
 *
 *  A. A global `below` rule over a 50,000-offer load (1% of the offers under the target): the
 *     evaluation and its state writes. Before: a state record for every (rule, item) looked at,
 *     appended one acks=all record at a time (what the engine did). After: the engine
 *     (alert/evaluator.ts) writes the alerts and the episodes that opened, each as one batch
 *     (alert/outbox.ts).
 *  B. The alerter's start after 100,000 alerts were delivered (200,000 records: each alert and its
 *     delivery). Before: every record is read back at each start. After: the deliverer tombstones
 *     what was delivered more than a day ago, the log cleaner drops it, and a start reads what is
 *     left (the bench's topic rolls its segments every second so the cleaner runs within the run).
 *
 *   scripts/kafka-local start && bun run bench/alerts/engine.ts [offers=50000] [alerts=100000]
 */
import process from "node:process";
import { Kafka, logLevel } from "kafkajs";
import { activeRules, evaluate } from "../../alert/evaluator.ts";
import { EpisodeStates } from "../../alert/episode-states.ts";
import { Outbox } from "../../alert/outbox.ts";
import type { Observation } from "../../alert/observation.ts";
import { Deliverer } from "../../alert/deliverer.ts";
import { type AlertRecord, AlertRecordSchema } from "../../shared/alert/alert-record.ts";
import type { Rule } from "../../shared/alert/rule.ts";
import { kafkaConfigFromEnv } from "../../shared/kafka.ts";
import { KafkaKeyedLog } from "../../shared/keyed-log.ts";
import * as v from "valibot";

const offers = Number(process.argv[2] ?? 50_000);
const delivered = Number(process.argv[3] ?? 100_000);
const config = { ...kafkaConfigFromEnv(process.env, "bench-alert-engine"), logLevel: logLevel.NOTHING };
const admin = new Kafka(config).admin();
await admin.connect();
const info = console.log;
console.log = () => {}; // the engine logs a line per alert
const say = (line: Record<string, unknown>) => info(JSON.stringify(line));

async function topic(name: string, configs: Record<string, string> = {}): Promise<string> {
  const t = `bench.${name}.${Date.now()}`;
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{
      topic: t,
      numPartitions: 1,
      replicationFactor: 3,
      configEntries: Object.entries({ "cleanup.policy": "compact", "min.insync.replicas": "2", ...configs })
        .map(([name, value]) => ({ name, value })),
    }],
  });
  return t;
}

// ------------------------------------------------------------------ A. one load, one global rule
const TARGET = 100;
const rule = { kind: "below", price: TARGET, clear_after: "6h", rearm_after: null, absent_after: "3d" } as Rule;
const rules = activeRules([], [rule], ["hook"]);
const at = new Date().toISOString();
const observations: Observation[] = Array.from({ length: offers }, (_, i) => ({
  site: "MLB",
  item_id: `MLB${9_100_000_000 + i}`,
  offer_key: `bench-${i}`,
  kafka_partition: i % 6,
  kafka_offset: i,
  scraped_at: at,
  offer_date: at.slice(0, 10),
  title: `Item ${i}`,
  currency: "BRL",
  url: null,
  price: i % 100 === 0 ? "99.00" : "150.00",
  original_price: null,
  displayed_discount_pct: null,
  watch_id: null,
  watch_run: null,
  previous_price: null,
  previous_day: null,
  lows: { 30: null },
  verdict: null,
  real_discount_pct: null,
  min_price_30d: null,
  history_days: null,
}));

{
  const stateTopic = await topic("state-before");
  const log = new KafkaKeyedLog(config, [stateTopic], "bench-before");
  await log.start(() => {});
  const started = performance.now();
  // the engine before: every (rule, item) looked at became a state record, written one at a time
  for (const o of observations) {
    const holds = Number(o.price) <= TARGET;
    await log.append(
      stateTopic,
      `global:below|MLB|${o.item_id}`,
      JSON.stringify({ active: holds, since: holds ? at : null, fired_at: holds ? at : null, false_since: null }),
    );
  }
  say({
    case: `A. a global below rule over a ${offers}-offer load`,
    engine: "before",
    records: offers,
    ms: Math.round(performance.now() - started),
  });
  await log.close();
}
{
  const [stateTopic, alertsTopic] = [await topic("state-after"), await topic("alerts-after")];
  const log = new KafkaKeyedLog(config, [stateTopic, alertsTopic], "bench-after");
  await log.start(() => {});
  const states = new EpisodeStates();
  const outbox = new Outbox(log, { alerts: alertsTopic, state: stateTopic }, states);
  const started = performance.now();
  const result = await evaluate(observations, rules, states.view, { decidedAt: at, source: "load:bench" });
  const evaluated = performance.now();
  await outbox.write(result.alerts, result.states);
  say({
    case: `A. a global below rule over a ${offers}-offer load`,
    engine: "after",
    alerts: result.alerts.length,
    state_records: result.states.size,
    evaluation_ms: Math.round(evaluated - started),
    writes_ms: Math.round(performance.now() - evaluated),
    ms: Math.round(performance.now() - started),
  });
  await log.close();
}

// ------------------------------------------------------------------ B. a start after many deliveries
const alertsTopic = await topic("alerts-start", {
  "segment.ms": "1000",
  "min.cleanable.dirty.ratio": "0.01",
  "delete.retention.ms": "1000",
  "min.compaction.lag.ms": "0",
});
{
  const log = new KafkaKeyedLog(config, [alertsTopic], "bench-fill");
  await log.start(() => {});
  const dayAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
  const records: Array<{ key: string; value: string }> = [];
  for (let i = 0; i < delivered; i++) {
    const id = i.toString(16).padStart(24, "0");
    records.push({
      key: id,
      value: JSON.stringify({
        type: "alert",
        schema_version: 1,
        alert_id: id,
        rule_key: "global:below",
        kind: "below",
        watch_id: null,
        site: "MLB",
        item_id: `MLB${9_200_000_000 + i}`,
        offer_date: dayAgo.slice(0, 10),
        title: `Item ${i}`,
        currency: "BRL",
        url: null,
        price: "99.00",
        verdict: null,
        real_discount_pct: null,
        why: "R$ 99,00 is at or below your price of R$ 100,00.",
        channels: ["hook"],
        decided_at: dayAgo,
        source: "load:bench",
      }),
    }, {
      key: `${id}|hook`,
      value: JSON.stringify({
        type: "delivery",
        schema_version: 1,
        alert_id: id,
        channel: "hook",
        state: "delivered",
        attempts: 1,
        detail: "204 No Content",
        at: dayAgo,
      }),
    });
  }
  await log.appendMany(alertsTopic, records);
  await log.close();
}

/** An alerter's start: the alerts topic read whole into a deliverer; how long, how many records. */
async function start(name: string, forget: boolean): Promise<{ ms: number; records: number; forgot: number }> {
  let records = 0;
  let forgot = 0;
  const log = new KafkaKeyedLog(config, [alertsTopic], name);
  const deliverer = new Deliverer({
    channels: new Map(),
    record: () => Promise.resolve(),
    forget: forget
      ? (keys) =>
        log.appendMany(alertsTopic, keys.map((key) => ({ key, value: null }))).then(() => void (forgot += keys.length))
      : undefined,
    retry: { baseMs: 1_000, maxMs: 60_000 },
  });
  const started = performance.now();
  await log.start((r) => {
    records++;
    if (r.value === null) return void (r.key.includes("|") || deliverer.forget(r.key));
    const parsed = v.safeParse(AlertRecordSchema, JSON.parse(r.value));
    if (parsed.success) deliverer.apply(parsed.output as AlertRecord);
  });
  const ms = Math.round(performance.now() - started);
  if (forget) await deliverer.runOnce();
  await log.close();
  return { ms, records, forgot };
}

const before = await start("bench-start-before", false);
say({ case: `B. the alerter's start after ${delivered} alerts delivered`, engine: "before", ...before });
// the first start of the new engine reads them all once and tombstones what was delivered a day ago
const first = await start("bench-start-first", true);
say({ case: `B. the alerter's start after ${delivered} alerts delivered`, engine: "after: the first start", ...first });
// the log cleaner drops them (segments roll every second here; in production within a day)
await new Promise((r) => setTimeout(r, 45_000));
const after = await start("bench-start-after", true);
say({ case: `B. the alerter's start after ${delivered} alerts delivered`, engine: "after: the next start", ...after });
await admin.disconnect();
