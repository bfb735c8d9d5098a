/**
 * Real services for the integration tests, started fresh by the test runner and stopped at
 * the end: the 3-broker Kafka cluster (scripts/kafka-local) and the GCS and BigQuery emulators
 * (scripts/emulators), under .ofertas/test and on ports that do not collide with a
 * development setup.
 */
import { readFileSync, rmSync } from "node:fs";

const REPO = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

export interface Services {
  env: Record<string, string>;
  /** Between test files: a fresh BigQuery emulator once the old one holds more than `limitBytes`; true if restarted. */
  recycleBigQuery(limitBytes?: number): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * bigquery-emulator v0.8.1 keeps what its SQL parser took for every query (docs/emulators.md):
 * each job gets slower and past about 2 GiB the parser panics. A gigabyte leaves room for the
 * heaviest test file.
 */
const BIGQUERY_RSS_LIMIT = 1024 ** 3;

/** Resident memory of a process (Linux), 0 when unknown. */
function residentBytes(pidFile: string): number {
  try {
    const pid = readFileSync(pidFile, "utf8").trim();
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function run(cmd: string[], env: Record<string, string>): Promise<void> {
  const proc = Bun.spawn(cmd, {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdout: "inherit",
    stderr: "inherit",
    stdin: "ignore",
  });
  const code = await proc.exited;
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited with ${code}`);
}

export async function startServices(): Promise<Services> {
  const home = `${REPO}/.ofertas/test`;
  const portBase = process.env.OFERTAS_TEST_KAFKA_PORT_BASE ?? "29092";
  const emulatorEnv = {
    OFERTAS_HOME: home,
    OFERTAS_GCS_PORT: "24443",
    OFERTAS_BQ_PORT: "29050",
    OFERTAS_BQ_PROJECT: "ofertas-test",
  };
  const kafkaEnv = { OFERTAS_HOME: home, OFERTAS_KAFKA_PORT_BASE: portBase };
  rmSync(`${home}/kafka`, { recursive: true, force: true }); // every run starts from an empty cluster
  const stop = async () => {
    await Promise.allSettled([
      run(["bash", "scripts/kafka-local", "stop"], kafkaEnv),
      run(["bash", "scripts/emulators", "stop"], emulatorEnv),
    ]);
  };
  try {
    // the emulators build once (minutes) while nothing else competes for the 2 cores
    await run(["bash", "scripts/emulators", "start"], emulatorEnv);
    await run(["bash", "scripts/kafka-local", "start"], kafkaEnv);
  } catch (error) {
    await stop();
    throw error;
  }
  const base = Number(portBase);
  return {
    env: {
      ...kafkaEnv,
      KAFKA_BROKERS: [0, 2, 4].map((d) => `127.0.0.1:${base + d}`).join(","),
      OFERTAS_TEST_GCS_ENDPOINT: `http://127.0.0.1:${emulatorEnv.OFERTAS_GCS_PORT}`,
      OFERTAS_TEST_BIGQUERY_ENDPOINT: `http://127.0.0.1:${emulatorEnv.OFERTAS_BQ_PORT}`,
      OFERTAS_TEST_BQ_PROJECT: emulatorEnv.OFERTAS_BQ_PROJECT,
    },
    async recycleBigQuery(limitBytes = BIGQUERY_RSS_LIMIT) {
      const rss = residentBytes(`${home}/emulators/bigquery.pid`);
      if (rss <= limitBytes) return false;
      console.log(`\n=== services: the BigQuery emulator holds ${(rss / 1024 ** 3).toFixed(1)} GiB: a fresh one`);
      await run(["bash", "scripts/emulators", "restart-bigquery"], emulatorEnv);
      return true;
    },
    stop,
  };
}
