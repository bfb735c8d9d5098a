/**
 * `npm start` (scripts/up.ts) is quiet when healthy, on the local warehouse and on BigQuery (the
 * emulators, with no cloud credentials anywhere): up to "pipeline up" and a few seconds after
 * it (the consumer and the enricher joining their groups), no line is at warn or error and every
 * line is a JSON log line or one of the supervisor's own. Runs against the shared test cluster
 * (kept running); the classification of a cold cluster's retries is unit-tested in
 * shared/kafka-log.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { integrationEnv } from "./integration-env.ts";
import { bigqueryEnv } from "./consumer-helpers.ts";
import { freePort } from "./route-process.ts";

const REPO = new URL("..", import.meta.url).pathname;
const READY = "Ctrl-C stops everything.";

/** A line that is not a JSON log line at info or debug, nor the supervisor's or its scripts' own. */
function loudLine(line: string): boolean {
  if (line.trim() === "") return false;
  if (/^\[(ofertas|kafka-local|kafka-topics)\] /.test(line) || line.startsWith("    ")) return false;
  try {
    const level = (JSON.parse(line) as { level?: string }).level;
    return level !== "info" && level !== "debug";
  } catch {
    return true; // free text on a daemon's stdout or stderr
  }
}

for (const warehouse of ["local", "bigquery"] as const) {
  test(`npm start: a healthy start prints no warning and no error (${warehouse} warehouse)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "ofertas-quiet-"));
    const [port, metrics, web, alerter] = [await freePort(), await freePort(), await freePort(), await freePort()];
    // no cloud account here: the clients must not look for credentials the emulators do not need
    const { METADATA_SERVER_DETECTION: _ignored, ...env } = process.env;
    const child = spawn(process.execPath, ["run", "scripts/up.ts"], {
      cwd: REPO,
      env: {
        ...env,
        OFERTAS_HOME: integrationEnv.kafkaHome,
        OFERTAS_KAFKA_PORT_BASE: integrationEnv.kafkaPortBase,
        OFERTAS_KEEP_KAFKA: "1",
        PORT: String(port),
        OFERTAS_METRICS_PORT: String(metrics),
        OFERTAS_WEB_PORT: String(web),
        OFERTAS_ALERTER_PORT: String(alerter),
        OFERTAS_LOCAL_DIR: dir,
        OFERTAS_CONSUMER_GROUP: `quiet-start-${warehouse}-${Date.now()}`,
        OFERTAS_ENRICHER_GROUP: `quiet-start-enricher-${warehouse}-${Date.now()}`,
        OFERTAS_ALERTER_GROUP: `quiet-start-alerter-${warehouse}-${Date.now()}`,
        ...(warehouse === "bigquery" ? bigqueryEnv(`quiet_start_${Date.now()}`) : {}),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      const deadline = Date.now() + 120_000;
      while (!output.includes(READY) && child.exitCode === null && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(output.includes(READY), `npm start did not come up:\n${output.slice(-3000)}`);
      // the consumer and the enricher join their groups after the route and the view answer
      await new Promise((r) => setTimeout(r, 8_000));
      const loud = output.split("\n").filter(loudLine);
      assert.deepEqual(loud, [], `lines at warn or error, or free text:\n${loud.join("\n").slice(0, 3000)}`);
      assert.match(output, new RegExp(`"event":"consumer_started".*"warehouse":"${warehouse}"`));
      assert.match(output, /"event":"enricher_started"/);
    } finally {
      child.kill("SIGINT");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
