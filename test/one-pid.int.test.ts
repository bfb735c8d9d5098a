/**
 * A daemon is one process to whoever supervises it: each daemon `npm start` runs, started the
 * same way (`bun run <entry>`), is SIGKILLed by the PID that was started; within a second none of
 * the processes it ran is left (the consumer's memory-budget re-run and its DuckDB loader
 * children included), and the same daemon started again right after comes up (its port is free,
 * nothing holds its group or its database).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TOPICS } from "../shared/kafka.ts";
import { consumerEnv, createConsumerTopics, localCounts, produceOffers, waitFor } from "./consumer-helpers.ts";
import { startDaemon } from "./daemon-process.ts";
import { integrationEnv } from "./integration-env.ts";
import { createTestTopic } from "./kafka-helpers.ts";
import { freePort } from "./route-process.ts";

/** The processes below `pid` (not counting ones that ended and wait to be reaped). */
function descendants(pid: number): Array<{ pid: number; cmd: string }> {
  const parents = new Map<number, number>();
  const alive = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [, state, ppid] = /\) (\S) (\d+)/.exec(stat) ?? [];
      if (state === "Z") continue;
      parents.set(Number(entry), Number(ppid));
      alive.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ").trim());
    } catch {
      // ended while we looked
    }
  }
  const below = (p: number): boolean => {
    for (let at = parents.get(p); at !== undefined && at > 1; at = parents.get(at)) if (at === pid) return true;
    return false;
  };
  return [...alive].filter(([p]) => below(p)).map(([p, cmd]) => ({ pid: p, cmd }));
}

function isAlive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function healthy(url: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(`${url} to answer`, () => fetch(url).then((r) => r.status).catch(() => 0), (s) => s === 200, timeoutMs);
}

interface Case {
  name: string;
  entry: string;
  env(): Promise<{ env: Record<string, string>; health: string }>;
  /** What the daemon must be running beside itself before the kill (proof the test sees its children). */
  warmUp?(env: Record<string, string>): Promise<void>;
  children?: RegExp;
}

const root = mkdtempSync(join(tmpdir(), "ofertas-one-pid-"));
const kafka = () => ({ KAFKA_BROKERS: integrationEnv.kafkaBrokers });

/** The env() of a daemon listening on a free port (its health URL on it), on the test cluster. */
const listening =
  (portVariable: string, env: () => Record<string, string> | Promise<Record<string, string>>) => async () => {
    const port = await freePort();
    return {
      env: { ...kafka(), ...(await env()), [portVariable]: String(port) },
      health: `http://127.0.0.1:${port}/healthz`,
    };
  };

const CASES: Case[] = [
  {
    name: "batch consumer",
    entry: "batch/consumer.ts",
    env: listening(
      "OFERTAS_METRICS_PORT",
      async () => consumerEnv(await createConsumerTopics("one-pid"), { OFERTAS_LOCAL_DIR: join(root, "consumer") }),
    ),
    async warmUp(env) {
      // a load leaves its DuckDB loader child waiting for the next one
      await produceOffers(env.OFERTAS_TOPIC!, 20);
      await waitFor("a load", () => localCounts(env.OFERTAS_LOCAL_DIR!), (c) => c.rows >= 20, 60_000);
    },
    // the memory-budget re-run and the loader child
    children: /batch\/consumer\.ts[^]*duckdb-loader\.ts|duckdb-loader\.ts[^]*batch\/consumer\.ts/,
  },
  {
    name: "scrape route",
    entry: "edge/scrape-route.ts",
    env: listening("PORT", async () => ({
      OFERTAS_TOPIC: await createTestTopic("one-pid-route"),
      OFERTAS_WATCHES_TOPIC: await createTestTopic("one-pid-watches", TOPICS.watches),
      OFERTAS_WATCH_RUNS_TOPIC: await createTestTopic("one-pid-runs", TOPICS.watchRuns),
      OFERTAS_WATCH_TICK_EVERY: "15s",
    })),
  },
  {
    name: "enricher",
    entry: "enrich/enricher.ts",
    env: listening("OFERTAS_ENRICHER_METRICS_PORT", async () => ({
      OFERTAS_TOPIC: await createTestTopic("one-pid-enrich"),
      OFERTAS_DETAILS_TOPIC: await createTestTopic("one-pid-details", TOPICS.details),
      OFERTAS_ENRICHER_GROUP: `one-pid-enricher-${Date.now()}`,
    })),
  },
  {
    name: "alerter",
    entry: "alert/alerter.ts",
    env: listening("OFERTAS_ALERTER_PORT", () => ({
      OFERTAS_LOCAL_DIR: join(root, "alerter"),
      OFERTAS_ALERTER_GROUP: `one-pid-alerter-${Date.now()}`,
    })),
  },
  {
    name: "web view",
    entry: "web/server.ts",
    env: listening("OFERTAS_WEB_PORT", () => ({ OFERTAS_LOCAL_DIR: join(root, "web") })),
  },
];

for (const c of CASES) {
  test(`one PID: SIGKILL on the ${c.name}'s PID leaves none of its processes, and it starts again`, {
    timeout: 180_000,
  }, async () => {
    const { env, health } = await c.env();
    let daemon = startDaemon(c.entry, env);
    try {
      await healthy(health);
      await c.warmUp?.(env);
      const running = descendants(daemon.child.pid!);
      if (c.children) {
        assert.match(
          running.map((p) => p.cmd).join("\n"),
          c.children,
          `what it runs:\n${daemon.output().slice(-2000)}`,
        );
      }
      daemon.child.kill("SIGKILL");
      const deadline = Date.now() + 1_000;
      let left = running.filter((p) => isAlive(p.pid));
      while (left.length && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
        left = left.filter((p) => isAlive(p.pid));
      }
      assert.deepEqual(left.map((p) => p.cmd), [], "everything it ran ended within a second");
      await daemon.exited;
      daemon = startDaemon(c.entry, env);
      await healthy(health);
      assert.doesNotMatch(daemon.output(), /in use|EADDRINUSE|"level":"error"/);
    } finally {
      await daemon.stop();
    }
  });
}

test("one PID: clean up", () => rmSync(root, { recursive: true, force: true }));
