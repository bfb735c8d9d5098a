/**
 * `npm start`: the whole local pipeline on the embedded defaults.
 *   1. the 3-broker Kafka cluster (scripts/kafka-local; data in .ofertas/kafka)
 *   2. optionally a replay server of saved pages (OFERTAS_REPLAY_DIR) instead of Mercado Livre
 *   3. the scrape route on http://127.0.0.1:8080
 *   4. the batch consumer, loading into the local warehouse (.ofertas/warehouse)
 * Ctrl-C stops everything (Kafka too, unless OFERTAS_KEEP_KAFKA=1); data stays in .ofertas/.
 */
import process from "node:process";

const REPO = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const env: Record<string, string> = { ...(process.env as Record<string, string>) };
const children: Array<{ name: string; proc: ReturnType<typeof Bun.spawn> }> = [];
let stopping = false;

function say(message: string) {
  console.log(`[ofertas] ${message}`);
}

async function run(cmd: string[]): Promise<void> {
  const proc = Bun.spawn(cmd, { cwd: REPO, env, stdio: ["ignore", "inherit", "inherit"] });
  if ((await proc.exited) !== 0) throw new Error(`${cmd.join(" ")} failed`);
}

function daemon(name: string, cmd: string[], extraEnv: Record<string, string> = {}) {
  const proc = Bun.spawn(cmd, { cwd: REPO, env: { ...env, ...extraEnv }, stdio: ["ignore", "inherit", "inherit"] });
  children.push({ name, proc });
  void proc.exited.then((code) => {
    if (!stopping) {
      say(`${name} exited with ${code}; stopping the pipeline`);
      void shutdown(1);
    }
  });
  return proc;
}

async function waitHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await Bun.sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

async function shutdown(code: number): Promise<never> {
  if (stopping) return new Promise(() => {}) as Promise<never>;
  stopping = true;
  say("stopping…");
  for (const { proc } of children.reverse()) proc.kill("SIGTERM");
  await Promise.all(children.map(({ proc }) => proc.exited));
  if (env.OFERTAS_KEEP_KAFKA !== "1") await run(["bash", "scripts/kafka-local", "stop"]).catch(() => {});
  process.exit(code);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  await run(["bash", "scripts/kafka-local", "start"]);
  env.KAFKA_BROKERS =
    (await new Response(Bun.spawn(["bash", "scripts/kafka-local", "bootstrap"], { cwd: REPO, env }).stdout).text())
      .trim();

  if (env.OFERTAS_REPLAY_DIR) {
    daemon("replay server", ["bun", "run", "scripts/replay-server.ts", env.OFERTAS_REPLAY_DIR, "--port", "8090"]);
    env.OFERTAS_ML_BASE_URL = "http://127.0.0.1:8090";
    await waitHttp("http://127.0.0.1:8090/ofertas", 20_000);
    say(`replaying saved pages from ${env.OFERTAS_REPLAY_DIR} instead of Mercado Livre`);
  }

  const port = env.PORT ?? "8080";
  daemon("scrape route", ["bun", "run", "edge/scrape-route.ts"], { PORT: port });
  await waitHttp(`http://127.0.0.1:${port}/healthz`, 30_000);

  // the local warehouse has no load quota: a short interval makes offers show up quickly
  const interval = env.OFERTAS_BATCH_INTERVAL_MS ??
    ((env.OFERTAS_WAREHOUSE ?? "local") === "local" ? "30000" : "300000");
  daemon("batch consumer", ["bun", "run", "batch/consumer.ts"], {
    OFERTAS_METRICS_PORT: env.OFERTAS_METRICS_PORT ?? "9464",
    OFERTAS_BATCH_INTERVAL_MS: interval,
  });

  const auth = env.OFERTAS_TOKEN ? ` -H 'authorization: Bearer $OFERTAS_TOKEN'` : "";
  say("pipeline up. Try:");
  console.log(
    `    curl -s -X POST localhost:${port}/scrape${auth} -H 'content-type: application/json' -d '{"pages":2}'`,
  );
  console.log(`    curl -s localhost:${port}/readyz; curl -s localhost:${port}/metrics | grep ofertas_`);
  console.log(
    `    bun run reports/queries.ts daily_offers   # what the consumer loaded, after one interval (${
      Number(interval) / 1000
    } s)`,
  );
  say("Ctrl-C stops everything.");
} catch (error) {
  say(`could not start: ${(error as Error).message}`);
  await shutdown(1);
}
