import process from "node:process";
import { test } from "node:test";
import assert from "node:assert/strict";
import { serve } from "../shared/serve.ts";
import { runCli } from "../edge/cli.ts";

async function run(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = await runCli(args, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    for (const k of Object.keys(env)) if (!(k in saved)) delete process.env[k];
  }
}

test("alerts test: a channel answering 404 exits non-zero and prints the 404; a 2xx exits 0", async () => {
  let status = 404;
  const server = serve(
    () =>
      new Response(status === 404 ? "no such hook" : null, {
        status,
        statusText: status === 404 ? "Not Found" : "No Content",
      }),
    { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 1 << 16 },
  );
  try {
    const env = {
      OFERTAS_ALERT_CHANNELS: JSON.stringify({ hook: `json://127.0.0.1:${server.port}/missing?secret=abc` }),
      OFERTAS_ALERT_ALLOW_LOOPBACK: "true",
    };
    const failed = await run(["alerts", "test", "hook"], env);
    assert.equal(failed.code, 1);
    assert.match(
      failed.err,
      /^hook \(json:\/\/127\.0\.0\.1:\d+\/\*\*\*\?secret=\*\*\*\): failed: 404 Not Found: no such hook$/,
    );
    status = 204;
    const sent = await run(["alerts", "test", "hook"], env);
    assert.equal(sent.code, 0, sent.err);
    assert.match(sent.out, /: sent: 204 No Content$/);
    assert.equal((await run(["alerts", "test", "nope"], env)).code, 2);
    assert.equal((await run(["alerts", "send"], env)).code, 2);
    const refused = await run(["alerts", "test", "hook"], { ...env, OFERTAS_ALERT_ALLOW_LOOPBACK: "false" });
    assert.equal(refused.code, 1);
    assert.match(refused.err, /loopback address/);
  } finally {
    await server.stop();
  }
});

test("npm run alerts: a channel is judged by the policy npm start's alerter delivers with", async () => {
  const { runLocalAlerts } = await import("../scripts/alerts.ts");
  const server = serve(() => new Response(null, { status: 204 }), {
    port: 0,
    hostname: "127.0.0.1",
    maxRequestBodySize: 1 << 16,
  });
  const [log, error] = [console.log, console.error];
  const lines: string[] = [];
  console.log = console.error = (line: string) => lines.push(line);
  try {
    const env = { OFERTAS_ALERT_CHANNELS: JSON.stringify({ hook: `json://127.0.0.1:${server.port}/hook` }) };
    // the CLI alone, in a shell without npm start's settings: refused, and told why and what to run
    const alone = await run(["alerts", "test", "hook"], env);
    assert.equal(alone.code, 1);
    assert.match(alone.err, /loopback address .*npm run alerts -- test/);
    // npm run alerts: what the running alerter allows, it allows
    assert.equal(await runLocalAlerts(["test", "hook"], env), 0, lines.join("\n"));
    assert.match(lines.join("\n"), /hook \(json:\/\/127\.0\.0\.1:\d+\/\*\*\*\): sent: 204/);
    // and an operator's own setting still wins
    assert.equal(await runLocalAlerts(["test", "hook"], { ...env, OFERTAS_ALERT_ALLOW_LOOPBACK: "false" }), 1);
  } finally {
    [console.log, console.error] = [log, error];
    await server.stop();
  }
});
