/**
 * Benchmark (not a test): how accurately the watches run on their schedule, and what a tick costs.
 *
 *  1. The route's real entry with its own clock (OFERTAS_WATCH_TICK_EVERY, 15 s as `npm start`),
 *     the real pages of ../shared/ml-pages served locally (1 request per host per second, as in
 *     production), 20 watches (searches, deals views, items; periods of 1 to 10 minutes), for
 *     `minutes` (default 60). Then the runs topic is read: for every run, planned (its slot) vs
 *     actual start (its claim), and the slots that were never run.
 *  2. What a tick costs with nothing due: 200 `POST /watches/tick` in a row, their latency and
 *     the route's CPU per tick (/proc).
 *
 *   scripts/kafka-local start && bun run bench/watches/run.ts [minutes] [tick-every]
 */
import { Kafka, logLevel } from "kafkajs";
import { readFileSync } from "node:fs";
import process from "node:process";
import { indexPages, indexProductPages, indexSearchPages, replayHandler } from "../../scripts/replay-server.ts";
import { kafkaConfigFromEnv, TOPICS } from "../../shared/kafka.ts";
import { serve } from "../../shared/serve.ts";
import type { RunRecord } from "../../shared/watch/watch-run.ts";
import { slotAfter } from "../../shared/watch/schedule.ts";
import { startRouteProcess } from "../../test/route-process.ts";

const minutes = Number(process.argv[2] ?? 60);
const tickEvery = process.argv[3] ?? "15s";
const PAGES = process.env.OFERTAS_ML_PAGES ?? new URL("../../../shared/ml-pages", import.meta.url).pathname;
const TOKEN = "bench-watches-token-0123";

const config = { ...kafkaConfigFromEnv(process.env, "bench-watches"), logLevel: logLevel.NOTHING };
const kafka = new Kafka(config);
const stamp = Date.now();
const topics = {
  offers: `bench.watches.offers.${stamp}`,
  watches: `bench.watches.${stamp}`,
  runs: `bench.runs.${stamp}`,
};
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({
  waitForLeaders: true,
  topics: [
    {
      topic: topics.offers,
      numPartitions: 6,
      replicationFactor: 3,
      configEntries: [{ name: "min.insync.replicas", value: "2" }],
    },
    ...[[topics.watches, TOPICS.watches], [topics.runs, TOPICS.watchRuns]].map(([name, spec]) => ({
      topic: name as string,
      numPartitions: 1,
      replicationFactor: 3,
      configEntries: Object.entries((spec as typeof TOPICS.watches).configs).map(([n, value]) => ({ name: n, value })),
    })),
  ],
});

const site = serve(replayHandler(indexPages(PAGES), indexProductPages(PAGES), indexSearchPages(PAGES)), {
  port: 0,
  hostname: "127.0.0.1",
  maxRequestBodySize: 1024,
});
const env = {
  KAFKA_BROKERS: (config.brokers as string[]).join(","),
  OFERTAS_TOPIC: topics.offers,
  OFERTAS_WATCHES_TOPIC: topics.watches,
  OFERTAS_WATCH_RUNS_TOPIC: topics.runs,
  OFERTAS_TOKEN: TOKEN,
  OFERTAS_ML_BASE_URL: `http://127.0.0.1:${site.port}`,
  OFERTAS_WATCH_TICK_EVERY: tickEvery,
  OFERTAS_WATCH_MIN_PERIOD: "1m",
  OFERTAS_WATCH_PAGES_PER_HOUR: "3600",
  OFERTAS_SITES: "MLB,MLM,MCO",
};
const route = await startRouteProcess("bun", env);
const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
const call = (method: string, path: string, body?: unknown) =>
  fetch(`${route.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
while ((await call("GET", "/watches")).status !== 200) await Bun.sleep(500);

// 20 watches: 12 searches (3 saved searches × 4 periods), 4 deals views, 4 items
const targets = [
  { site: "MLB", view: "search", query: "playstation 5 slim" },
  { site: "MLB", view: "search", query: "caneta esferográfica azul" },
  { site: "MLM", view: "search", query: "nintendo switch" },
];
const periods = ["1m", "2m", "5m", "10m"];
const watches: Array<{ id: string; target: Record<string, unknown>; period: { every: string } }> = [];
targets.forEach((t, i) =>
  periods.forEach((every, j) => watches.push({ id: `s${i}-${j}`, target: t, period: { every } }))
);
["all", "deal_of_the_day", "lightning", "all"].forEach((view, i) =>
  watches.push({ id: `d${i}`, target: { site: "MLB", view }, period: { every: periods[i]! } })
);
["MLM3382859800", "MCO1505218051", "MLB1027172671", "MLM3382859800"].forEach((item, i) =>
  watches.push({ id: `i${i}`, target: { site: item.slice(0, 3), view: "item", item }, period: { every: periods[i]! } })
);
for (const w of watches) {
  const res = await call("PUT", `/watches/${w.id}`, { target: w.target, period: w.period });
  if (res.status !== 201) throw new Error(`${w.id}: ${res.status} ${await res.text()}`);
}
const started = Date.now();
console.error(`[bench] ${watches.length} watches, ticking every ${tickEvery}, for ${minutes} min`);
await Bun.sleep(minutes * 60_000);
const ended = Date.now();

// 2. a tick with nothing due (every watch ran in its slot, the next ones are minutes away)
const cpu = () => {
  const stat = readFileSync(`/proc/${route.child.pid}/stat`, "utf8");
  const [utime, stime] = stat.slice(stat.lastIndexOf(")") + 2).split(" ").slice(11, 13).map(Number);
  return (utime! + stime!) / 100;
};
for (const w of watches) await call("PUT", `/watches/${w.id}`, { target: w.target, period: w.period, enabled: false });
const latencies: number[] = [];
const cpuBefore = cpu();
for (let i = 0; i < 200; i++) {
  const t = performance.now();
  const res = await call("POST", "/watches/tick");
  await res.arrayBuffer();
  latencies.push(performance.now() - t);
}
const cpuPerTick = (cpu() - cpuBefore) / 200;
await route.stop();
await site.stop();

// 1. planned vs actual, from the runs topic
const records: Array<Record<string, unknown>> = [];
const consumer = kafka.consumer({ groupId: `bench-watches-read-${stamp}` });
await consumer.connect();
await consumer.subscribe({ topic: topics.runs, fromBeginning: true });
const end = Number((await admin.fetchTopicOffsets(topics.runs))[0]!.high);
await new Promise<void>((resolve) => {
  void consumer.run({
    eachMessage: async ({ message }) => {
      if (message.value) records.push(JSON.parse(message.value.toString()));
      if (Number(message.offset) >= end - 1) resolve();
    },
  });
});
await consumer.disconnect();
await admin.disconnect();

const runs = records.filter((r) => r.type === "run") as unknown as RunRecord[];
// a new watch runs at once for the slot under way (up to a period old): only later slots measure the schedule
const scheduled = runs.filter((r) => Date.parse(r.slot) >= started);
const late = scheduled.map((r) => (Date.parse(r.started_at) - Date.parse(r.slot)) / 1000).sort((a, b) => a - b);
const firstRuns = watches.map((w) => runs.filter((r) => r.watch_id === w.id).map((r) => Date.parse(r.started_at)))
  .map((starts) => (Math.min(...starts) - started) / 1000).sort((a, b) => a - b);
const q = (p: number) => late[Math.min(late.length - 1, Math.floor(p * late.length))] ?? NaN;
let expected = 0;
for (const w of watches) {
  // slots that fell inside the measured window (the first run at creation is extra)
  for (
    let s = slotAfter(w.id, w.period, started);
    s !== null && s <= ended - 60_000;
    s = slotAfter(w.id, w.period, s)
  ) {
    expected++;
  }
}
const ran = new Set(runs.map((r) => `${r.watch_id}@${r.slot}`));
let missed = 0;
for (const w of watches) {
  for (
    let s = slotAfter(w.id, w.period, started);
    s !== null && s <= ended - 60_000;
    s = slotAfter(w.id, w.period, s)
  ) {
    if (!ran.has(`${w.id}@${new Date(s).toISOString()}`)) missed++;
  }
}
const sortedLatency = [...latencies].sort((a, b) => a - b);
console.log(JSON.stringify({
  benchmark: "watches",
  minutes,
  tick_every: tickEvery,
  watches: watches.length,
  runs: runs.length,
  scheduled_runs: scheduled.length,
  first_run_after_creation_seconds: { p50: firstRuns[10], max: firstRuns.at(-1) },
  slots_in_window: expected,
  slots_missed: missed,
  outcomes: runs.reduce((m, r) => ({ ...m, [r.outcome]: ((m as Record<string, number>)[r.outcome] ?? 0) + 1 }), {}),
  start_late_seconds: { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: late.at(-1) ?? NaN },
  idle_tick_ms: {
    p50: Number(sortedLatency[100]!.toFixed(2)),
    p95: Number(sortedLatency[190]!.toFixed(2)),
  },
  idle_tick_cpu_ms: Number((cpuPerTick * 1000).toFixed(2)),
}));
process.exit(0);
