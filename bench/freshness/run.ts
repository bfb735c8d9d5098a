/**
 * Benchmark (not a test): the freshness a user feels. `npm start`'s whole pipeline (scripts/up.ts:
 * the 3-broker cluster, the route, the consumer at its 30 s interval, the enricher, the alerter,
 * the web view), a local site whose deals page shows a new item at a new price each time, a global
 * rule that alerts on it, and a local webhook receiver. For 20 scrapes: from the moment `POST
 * /scrape` answers to the moment the alert about that scrape's item arrives at the webhook.
 *
 *   bun run bench/freshness/run.ts [scrapes, default 20]
 */
import { spawn } from "node:child_process";
import process from "node:process";
import { type RunningServer, serve } from "../../shared/serve.ts";
import { dealsPage } from "../../test/deals-page.ts";
import { freePort } from "../../test/route-process.ts";

const SCRAPES = Number(process.argv[2] ?? 20);
const REPO = new URL("../..", import.meta.url).pathname;

let current = 9_300_000_000 + Math.floor(Math.random() * 1_000_000) * 100;
const site: RunningServer = serve(
  () =>
    new Response(
      dealsPage([{ itemId: `MLB${current}`, title: `Fresh item ${current}`, price: 1_000, original: 2_000 }]),
      { headers: { "content-type": "text/html" } },
    ),
  { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 1024 },
);
const arrived = new Map<string, number>();
const hook: RunningServer = serve(async (request) => {
  const body = JSON.parse(await request.text()) as { alerts: Array<{ item_id: string }> };
  for (const a of body.alerts) if (!arrived.has(a.item_id)) arrived.set(a.item_id, performance.now());
  return new Response(null, { status: 204 });
}, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 1 << 20 });

const [port, web, metrics, alerter] = [await freePort(), await freePort(), await freePort(), await freePort()];
const stamp = Date.now();
const pipeline = spawn(process.execPath, ["run", "scripts/up.ts"], {
  cwd: REPO,
  env: {
    ...process.env,
    PORT: String(port),
    OFERTAS_WEB_PORT: String(web),
    OFERTAS_METRICS_PORT: String(metrics),
    OFERTAS_ALERTER_PORT: String(alerter),
    OFERTAS_ML_BASE_URL: `http://127.0.0.1:${site.port}`,
    OFERTAS_ALERT_CHANNELS: JSON.stringify({ hook: `json://127.0.0.1:${hook.port}/hook` }),
    OFERTAS_ALERT_RULES: JSON.stringify([{ kind: "below", price: 20 }]),
    OFERTAS_CONSUMER_GROUP: `bench-freshness-${stamp}`,
    OFERTAS_ALERTER_GROUP: `bench-freshness-alerter-${stamp}`,
  },
  stdio: ["ignore", "pipe", "inherit"],
});
let out = "";
pipeline.stdout!.on("data", (d) => (out += d));
while (!out.includes("Ctrl-C stops everything.")) {
  if (pipeline.exitCode !== null) throw new Error(`npm start ended:\n${out.slice(-2000)}`);
  await Bun.sleep(250);
}
// the alerter reads its topics before it evaluates
while ((await fetch(`http://127.0.0.1:${alerter}/readyz`).catch(() => null))?.status !== 200) await Bun.sleep(250);

const seconds: number[] = [];
for (let i = 0; i < SCRAPES; i++) {
  current++;
  const res = await fetch(`http://127.0.0.1:${port}/scrape`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ pages: 1 }),
  });
  const answered = performance.now();
  if (res.status !== 200) throw new Error(`scrape ${i}: ${res.status} ${await res.text()}`);
  const item = `MLB${current}`;
  while (!arrived.has(item)) {
    if (performance.now() - answered > 180_000) throw new Error(`no alert for ${item} in 3 minutes`);
    await Bun.sleep(50);
  }
  seconds.push((arrived.get(item)! - answered) / 1000);
  console.error(`[bench] scrape ${i + 1}: ${seconds.at(-1)!.toFixed(1)} s`);
  // the next scrape starts at a random point of the consumer's interval, as a person's would
  await Bun.sleep(Math.random() * 30_000);
}
pipeline.kill("SIGINT");
await new Promise((r) => pipeline.on("exit", r));
await Promise.all([site.stop(), hook.stop()]);
const sorted = [...seconds].sort((a, b) => a - b);
const q = (p: number) => Number(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!.toFixed(1));
console.log(JSON.stringify({
  benchmark: "freshness: scrape answered → alert at the webhook (npm start, consumer interval 30 s)",
  scrapes: SCRAPES,
  p50_s: q(0.5),
  p95_s: q(0.95),
  max_s: Number(sorted.at(-1)!.toFixed(1)),
  target_p95_s: 35,
  seconds: seconds.map((s) => Number(s.toFixed(1))),
}));
process.exit(0);
