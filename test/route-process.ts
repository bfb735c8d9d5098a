/** Starts the real scrape-route entry as a child process (Bun or Deno) for integration tests. */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import process from "node:process";
import { TOPICS } from "../shared/kafka.ts";
import { createTestTopic } from "./kafka-helpers.ts";

const REPO = new URL("..", import.meta.url).pathname;

export const ROUTE_COMMANDS = {
  bun: [process.execPath, "run", "edge/scrape-route.ts"],
  deno: ["deno", "run", "--allow-net", "--allow-env", "--allow-read", "--allow-sys", "edge/scrape-route.ts"],
} as const;

export type Runtime = keyof typeof ROUTE_COMMANDS;

export interface RouteProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM, resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startRouteProcess(runtime: Runtime, env: Record<string, string>): Promise<RouteProcess> {
  const port = await freePort();
  // item and product pages say what they show of the stock: a topic of the test's own unless it names one
  if (!env.OFERTAS_STOCK_TOPIC && env.KAFKA_BROKERS) {
    env = { ...env, OFERTAS_STOCK_TOPIC: await createTestTopic("route-stock", TOPICS.stock) };
  }
  const [cmd, ...args] = ROUTE_COMMANDS[runtime];
  let output = "";
  const child = spawn(cmd, args, {
    cwd: REPO,
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const route: RouteProcess = {
    url,
    child,
    output: () => output,
    stop: () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return route;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`${runtime} route did not start:\n${output}`);
}

/** Polls /readyz until 200 (the producer connects in the background). */
export async function waitReady(url: string, timeoutMs = 20_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let res = await fetch(`${url}/readyz`);
  while (res.status !== 200 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 300));
    res = await fetch(`${url}/readyz`);
  }
  return res;
}
