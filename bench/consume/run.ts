/**
 * Benchmark (not a test) of the batch consumer, end to end on the local 3-broker cluster:
 * a topic of real-shaped offers (the saved pages' cards, new item ids), read by
 *   1. a bare kafkajs consumer that only counts (bench/consume/bare-consumer.ts), as kafkajs
 *      comes and again with the daemon's gzip codec (the daemon inflates batches more cheaply
 *      than kafkajs does: both ratios are printed), and
 *   2. the project's daemon (`bun run batch/consumer.ts`, local warehouse, 1 s interval),
 * each in its own process, in the same run. Prints offers/s and peak RSS (VmHWM) of each and
 * the ratios; the daemon is done when every offset is committed and the rows are counted.
 *
 *   scripts/kafka-local start && bun run bench/consume/run.ts [offers, default 1000000]
 */
import { CompressionTypes, Kafka, logLevel, Partitioners } from "kafkajs";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { toKafkaMessage } from "../../edge/offer-producer.ts";
import { DuckDbEngine } from "../../query/engine.ts";
import { kafkaConfigFromEnv } from "../../shared/kafka.ts";
import { realOfferMessages } from "../../test/real-offers.ts";

const offers = Number(process.argv[2] ?? 1_000_000);
/** --logs: show the daemon's log lines (batch timings). */
const showLogs = process.argv.includes("--logs");
const repo = new URL("../..", import.meta.url).pathname;
const config = { ...kafkaConfigFromEnv(process.env, "bench-consume"), logLevel: logLevel.NOTHING };
const kafka = new Kafka(config);
const admin = kafka.admin();
await admin.connect();

const topic = `bench.consume.${Date.now()}`;
await admin.createTopics({
  waitForLeaders: true,
  topics: [topic, `${topic}.dlq`].map((t) => ({
    topic: t,
    numPartitions: 6,
    replicationFactor: 3,
    configEntries: [{ name: "min.insync.replicas", value: "2" }],
  })),
});

// fill the topic (not timed): plain idempotent producer, batches of 5,000
{
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const started = performance.now();
  let batch: ReturnType<typeof toKafkaMessage>[] = [];
  for (const message of realOfferMessages(offers, 7_000_000_000, "bench-consume")) {
    batch.push(toKafkaMessage(message));
    if (batch.length === 5_000) {
      await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: batch });
      batch = [];
    }
  }
  if (batch.length) await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: batch });
  await producer.disconnect();
  console.error(
    `[bench] ${offers} offers in ${topic} (${((performance.now() - started) / 1000).toFixed(0)} s to fill)`,
  );
}

function statusKb(pid: number, field: "VmHWM" | "VmRSS"): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The process and all its descendants (the daemon runs under a launcher, DuckDB loads in children). */
function tree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(
      Number,
    );
  } catch {
    // gone
  }
  return [pid, ...children.flatMap(tree)];
}

/** A /proc stat file: the command name, and the fields after it (utime, stime at 11, 12). */
function procStat(path: string): { name: string; fields: number[] } | null {
  try {
    const stat = readFileSync(path, "utf8");
    const end = stat.lastIndexOf(")");
    return { name: stat.slice(stat.indexOf("(") + 1, end), fields: stat.slice(end + 2).split(" ").map(Number) };
  } catch {
    return null; // the process or thread ended
  }
}

/** CPU seconds (user + system) of a process, its threads, and its children it has waited for. */
function cpuSeconds(pid: number): { own: number; children: number } {
  const fields = procStat(`/proc/${pid}/stat`)?.fields;
  if (!fields) return { own: 0, children: 0 };
  // cutime and cstime follow utime and stime
  return { own: (fields[11]! + fields[12]!) / 100, children: (fields[13]! + fields[14]!) / 100 };
}

/**
 * The daemon's CPU seconds by thread: its main thread (reading Kafka), the staging worker
 * (transform and staging), the garbage collector's helpers, and the rest (JIT, zlib's pool).
 */
function threadSeconds(pid: number): { main: number; staging_worker: number; gc: number; other: number } {
  const split = { main: 0, staging_worker: 0, gc: 0, other: 0 };
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return split; // gone
  }
  for (const tid of tids) {
    const stat = procStat(`/proc/${pid}/task/${tid}/stat`);
    if (!stat) continue;
    const seconds = (stat.fields[11]! + stat.fields[12]!) / 100;
    if (tid === String(pid)) split.main += seconds;
    else if (stat.name === "Worker") split.staging_worker += seconds;
    else if (stat.name === "HeapHelper") split.gc += seconds;
    else split.other += seconds;
  }
  return split;
}

/** CPU seconds the whole machine spent busy (all cores), from /proc/stat. */
function machineBusySeconds(): number {
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
  const n = ticks.map(Number);
  return (n[0]! + n[1]! + n[2]! + n[5]! + n[6]! + n[7]!) / 100;
}

function run(cmd: string[], env: Record<string, string>, logs = false) {
  const child = spawn(process.execPath, cmd, {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ["ignore", logs ? "inherit" : "pipe", "inherit"],
  });
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  // the largest single process (its VmHWM), and the largest sum of the whole tree at one moment
  let peakProcess = 0;
  let peakTree = 0;
  const sample = () => {
    const pids = tree(child.pid!);
    peakProcess = Math.max(peakProcess, ...pids.map((p) => statusKb(p, "VmHWM")));
    peakTree = Math.max(peakTree, pids.reduce((n, p) => n + statusKb(p, "VmRSS"), 0));
  };
  const sampler = setInterval(sample, 100);
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return {
    child,
    output: () => out,
    peak: () => (sample(), Math.round(peakProcess / 1024)),
    peakTree: () => Math.round(peakTree / 1024),
    exited,
    stopSampling: () => clearInterval(sampler),
  };
}

// 1. bare kafkajs, as it comes and with the daemon's gzip codec; each in a new group
async function bareRun(flags: string[], label: string): Promise<number> {
  const bare = run(["run", "bench/consume/bare-consumer.ts", topic, String(offers), ...flags], {});
  await bare.exited;
  bare.stopSampling();
  const result = JSON.parse(bare.output().trim().split("\n").pop()!) as { seconds: number };
  console.log(JSON.stringify({
    case: label,
    offers,
    seconds: Number(result.seconds.toFixed(1)),
    offers_per_s: Math.round(offers / result.seconds),
    peak_rss_mb: bare.peak(),
  }));
  return offers / result.seconds;
}
const bareRate = await bareRun([], "bare kafkajs eachBatch, counting only");
const bareSizedRate = await bareRun(
  ["--sized-gunzip"],
  "bare kafkajs eachBatch, counting only, with the daemon's gzip codec (shared/kafka-gzip.ts)",
);

// 2. the project's daemon
const dir = mkdtempSync(join(tmpdir(), "ofertas-bench-consume-"));
const group = `bench-${topic}`;
const started = performance.now();
const busyBefore = machineBusySeconds();
const daemon = run(["run", "batch/consumer.ts"], {
  OFERTAS_LOCAL_DIR: dir,
  OFERTAS_TOPIC: topic,
  OFERTAS_DLQ_TOPIC: `${topic}.dlq`,
  OFERTAS_CONSUMER_GROUP: group,
  OFERTAS_BATCH_INTERVAL_MS: "1000",
  OFERTAS_CONSUMER_DETAILS: "false", // the offers feed alone, like the bare consumer it is compared with
  OFERTAS_CONSUMER_ALERTS: "false",
  KAFKA_LOG_LEVEL: "ERROR",
}, showLogs);
for (;;) {
  await new Promise((r) => setTimeout(r, 250));
  const [ends, committed] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId: group, topics: [topic] }),
  ]);
  const done = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
  if (ends.every((e) => (done.get(e.partition) ?? -1) >= Number(e.high))) break;
}
const seconds = (performance.now() - started) / 1000;
const peak = daemon.peak();
const peakTree = daemon.peakTree();
const busy = machineBusySeconds() - busyBefore;
// the daemon starts itself once more within its memory budget (batch/memory-budget.ts); its
// DuckDB loaders are its children (alive, or ended and counted in its children's time)
const [daemonPid, ...loaderPids] = tree(tree(daemon.child.pid!)[1] ?? daemon.child.pid!);
const daemonOwn = cpuSeconds(daemonPid!);
const daemonThreads = threadSeconds(daemonPid!);
const daemonCpu = {
  own: daemonOwn.own,
  children: daemonOwn.children + loaderPids.reduce((sum, pid) => sum + cpuSeconds(pid).own, 0),
};
daemon.child.kill("SIGTERM");
await daemon.exited;
daemon.stopSampling();
const engine = await DuckDbEngine.open(dir);
const rows = Number((await engine.run("SELECT count(*)::BIGINT AS n FROM daily_offers"))[0]!.n);
await engine.close();
const rate = offers / seconds;
console.log(JSON.stringify({
  case: "batch/consumer.ts → local warehouse (1 s interval)",
  offers,
  rows_in_warehouse: rows,
  seconds: Number(seconds.toFixed(1)),
  offers_per_s: Math.round(rate),
  peak_rss_mb: peak,
  peak_rss_all_processes_mb: peakTree,
  ratio_to_bare_kafkajs: Number((rate / bareRate).toFixed(3)),
  ratio_to_bare_with_daemon_gzip_codec: Number((rate / bareSizedRate).toFixed(3)),
  // where the machine's CPU went meanwhile: the daemon (split by thread), its DuckDB loaders
  // (children), and the rest (the three brokers, this script)
  cpu_s: {
    daemon: Number(daemonCpu.own.toFixed(1)),
    daemon_threads: Object.fromEntries(
      Object.entries(daemonThreads).map(([name, seconds]) => [name, Number(seconds.toFixed(1))]),
    ),
    loaders: Number(daemonCpu.children.toFixed(1)),
    rest: Number((busy - daemonCpu.own - daemonCpu.children).toFixed(1)),
    machine: Number(busy.toFixed(1)),
  },
}));

await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => {});
await admin.disconnect();
rmSync(dir, { recursive: true, force: true });
