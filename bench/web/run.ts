/**
 * Benchmark (not a test): the web view's server time on a local warehouse holding 1,000,000
 * offers over 31 days (about 32,000 items seen every day, all of them on offer today, so the
 * day's list judges 32,000 offers against their prior 30 days).
 *
 *   GET /               cold: the first view after a load (the day's verdicts computed);
 *                       warm: other pages and filters of the same data (answered from the cache)
 *                       after a load: the views right after new offers are loaded (the previous
 *                       answer while one recomputation runs in the background, then the new one)
 *   GET /items/:site/:id cold: an item not asked before (its history queried); warm: asked again
 *
 * Server time is the app's own handling of the request (app.fetch, the code web/server.ts
 * serves), p50 and p95 over the repetitions.
 *
 *   bun run bench/web/run.ts [offers, default 1000000] [repetitions, default 40] [folder to keep]
 *
 * With a folder, the warehouse is built there once and reused by later runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { createWebApp } from "../../web/app.tsx";
import { DuckDbSource } from "../../web/duckdb-source.ts";
import { CachedSource } from "../../web/source.ts";
import { benchWarehouse, loadReal, report, today } from "./bench-warehouse.ts";

const OFFERS = Number(process.argv[2] ?? 1_000_000);
const REPS = Number(process.argv[3] ?? 40);

type App = ReturnType<typeof createWebApp>;

/** Times `paths` in turn, each on `appFor()` (the same app, or a fresh one for cold requests). */
async function timeRequests(label: string, appFor: () => App, paths: string[]) {
  const times: number[] = [];
  let bytes = 0;
  for (const path of paths) {
    const app = appFor();
    const started = performance.now();
    const res = await app.fetch(new Request(`http://bench${path}`));
    const body = await res.text();
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
    bytes = Math.max(bytes, body.length);
  }
  report(label, times, { largest_page_bytes: bytes });
}

const kept = process.argv[4];
const root = kept ?? mkdtempSync(join(tmpdir(), "ofertas-web-bench-"));
try {
  await benchWarehouse(root, OFFERS);

  const source = new DuckDbSource(root);
  const itemsOfToday = (await source.deals(today)).map((d) => `/items/${d.site}/${d.item_id}`);
  const pages = (n: number) => Array.from({ length: n }, (_, i) => `/?page=${1 + (i % 20)}`);

  // cold: a fresh cache for every request, as after each load
  const newApp = () => createWebApp({ source: new CachedSource(source), demo: false, today: () => today });
  await timeRequests("GET / cold (verdicts computed)", newApp, pages(Math.max(5, Math.floor(REPS / 4))));

  const app = newApp();
  const same = () => app;
  await app.fetch(new Request("http://bench/"));
  await timeRequests("GET / warm (pages and filters from the cache)", same, [
    ...pages(REPS),
    ...["inflated", "real", "insufficient_history"].map((v) => `/?verdict=${v}`),
    "/?q=caneta",
    "/?q=kit%20azul&page=2",
  ]);
  await loadReal(root, 500, 2_000_000);
  await timeRequests("GET / after a load", same, pages(REPS));
  await new Promise((r) => setTimeout(r, 3_000)); // the recomputation done: items timed on their own
  const sample = itemsOfToday.filter((_, i) => i % Math.floor(itemsOfToday.length / REPS) === 0).slice(0, REPS);
  await timeRequests("GET /items/:site/:id cold (history queried)", same, sample);
  await timeRequests("GET /items/:site/:id warm (cached)", same, sample);
} finally {
  if (!kept) rmSync(root, { recursive: true, force: true });
}
