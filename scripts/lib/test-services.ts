/**
 * Real services for the integration tests, started fresh by the test runner and stopped at
 * the end: the 3-broker Kafka cluster (scripts/kafka-local) and the GCS and BigQuery emulators
 * (scripts/emulators), under .ofertas/test and on ports that do not collide with a
 * development setup.
 */
import { rmSync } from "node:fs";

const REPO = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

export interface Services {
  env: Record<string, string>;
  stop(): Promise<void>;
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
    stop,
  };
}
