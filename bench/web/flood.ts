/**
 * Benchmark (not a test): the latency of `GET /` (the deals page, answered from the cache) while
 * one client floods the view with distinct item searches, on the web benchmark's warehouse
 * (bench/web/bench-warehouse.ts: 1,000,000 offers over 31 days by default).
 *
 *   GET / alone                      no other traffic
 *   GET / during a flood, limited    4 concurrent loops of new /items?q= from one client, rate
 *                                    limited as web/server.ts does by default (12 at once, 6 a
 *                                    minute): the flood is answered 429 at once and runs no query
 *   GET / during a flood, unlimited  the same flood with no rate limit: every search a query
 *
 * Each case prints `/`'s p50 and p95 (server time: app.fetch, the code web/server.ts serves),
 * what the flood got (answered, 429) and how often the day's list was computed (once, before the
 * cases, when its cache entry survives). The view reads the file as in production: through the
 * cache, opening it read-only per query.
 *
 *   bun run bench/web/flood.ts [offers, default 1000000] [seconds per case, default 15] [folder to keep]
 *
 * With a folder, the warehouse is built there once and reused (bench/web/run.ts's folder too).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { createWebApp } from "../../web/app.tsx";
import type { Deal } from "../../web/deals.ts";
import { DuckDbSource } from "../../web/duckdb-source.ts";
import { QueryLimiter, type QueryLimits } from "../../web/query-limiter.ts";
import { CachedSource } from "../../web/source.ts";
import { webSettingsFromEnv } from "../../web/web-config.ts";
import { benchWarehouse, report, today } from "./bench-warehouse.ts";

const OFFERS = Number(process.argv[2] ?? 1_000_000);
const SECONDS = Number(process.argv[3] ?? 15);
const FLOODERS = 4;
const WORDS = ["kit", "azul", "caneta", "fone", "cabo", "usb", "preto", "capa", "led", "mini"];

/** Bun's server as the app sees it: the connecting address. */
const from = (address: string) => ({ requestIP: () => ({ address }) });

class CountingSource extends DuckDbSource {
  dealsReads = 0;
  override deals(day: string): Promise<Deal[]> {
    this.dealsReads++;
    return super.deals(day);
  }
}

/** Times `/` for SECONDS, from its own client, while `flooders` loops of new searches run from another. */
async function run(label: string, root: string, limits: QueryLimits, flooders: number) {
  const source = new CountingSource(root);
  const cache = new CachedSource(source, { pinnedDay: () => today });
  const app = createWebApp({ source: cache, demo: false, today: () => today, limiter: new QueryLimiter(limits) });
  const reader = from("198.51.100.1");
  const flooder = from("203.0.113.66");
  const warm = await app.fetch(new Request("http://bench/"), reader);
  if (warm.status !== 200) throw new Error(`GET /: ${warm.status}`);
  await warm.text();
  const readsBefore = source.dealsReads;

  let flooding = true;
  let n = 0;
  const flood = { answered: 0, limited: 0, other: 0 };
  const loops = Array.from({ length: flooders }, async () => {
    while (flooding) {
      const i = n++;
      const q = `${WORDS[i % WORDS.length]} ${WORDS[Math.floor(i / WORDS.length) % WORDS.length]} n${i}`;
      const res = await app.fetch(new Request(`http://bench/items?q=${encodeURIComponent(q)}`), flooder);
      await res.arrayBuffer();
      if (res.status === 200) flood.answered++;
      else if (res.status === 429) flood.limited++;
      else flood.other++;
      // a 429 costs the server almost nothing: yield so the loop does not spin the event loop alone
      if (res.status === 429) await new Promise((r) => setTimeout(r, 1));
    }
  });

  const times: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  while (performance.now() < until) {
    const started = performance.now();
    const res = await app.fetch(new Request(`http://bench/?page=${1 + (times.length % 20)}`), reader);
    await res.text();
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`GET / during the flood: ${res.status}`);
    await new Promise((r) => setTimeout(r, 20)); // a visitor, not a loop
  }
  flooding = false;
  await Promise.all(loops);
  report(label, times, {
    flood_searches: n,
    flood_answered: flood.answered,
    flood_429: flood.limited,
    flood_other: flood.other,
    deals_recomputed: source.dealsReads - readsBefore,
  });
}

const kept = process.argv[4];
const root = kept ?? mkdtempSync(join(tmpdir(), "ofertas-web-flood-"));
try {
  await benchWarehouse(root, OFFERS);
  const limits = webSettingsFromEnv({}).limits; // the defaults web/server.ts runs with
  const unlimited: QueryLimits = {
    perClient: { capacity: 1e9, perMinute: 1e9 },
    allClients: { capacity: 1e9, perMinute: 1e9 },
    maxClients: 100,
  };
  await run("GET / alone", root, limits, 0);
  await run(`GET / during a flood, limited (${JSON.stringify(limits.perClient)})`, root, limits, FLOODERS);
  await run("GET / during a flood, unlimited", root, unlimited, FLOODERS);
} finally {
  if (!kept) rmSync(root, { recursive: true, force: true });
}
