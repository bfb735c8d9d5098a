/**
 * The web view never disturbs the pipeline: while the real consumer loads batches into the local
 * DuckDB file (one writer), the view reads the same file without pause, through its cache and
 * straight. Every load succeeds on its first attempt, every page answers, and the view shows
 * what was loaded as soon as it is committed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { offerDate } from "../shared/timestamp.ts";
import {
  consumerEnv,
  createConsumerTopics,
  produceOffers,
  startConsumerProcess,
  uncommitted,
  waitFor,
} from "../test/consumer-helpers.ts";
import { createWebApp } from "./app.tsx";
import { DuckDbSource } from "./duckdb-source.ts";
import { CachedSource } from "./source.ts";

const REPO = new URL("..", import.meta.url).pathname;

test("web + consumer: continuous reads while the consumer loads; no load fails or retries, the view keeps up", async () => {
  const topics = await createConsumerTopics("web-reads");
  const root = `${REPO}.ofertas/test/warehouse-web-${Date.now()}`;
  mkdirSync(root, { recursive: true });
  const consumer = startConsumerProcess(
    consumerEnv(topics, { OFERTAS_WAREHOUSE: "local", OFERTAS_LOCAL_DIR: root, OFERTAS_BATCH_INTERVAL_MS: "700" }),
  );
  const raw = createWebApp({ source: new DuckDbSource(root), demo: false });
  const cached = createWebApp({ source: new CachedSource(new DuckDbSource(root)), demo: false });
  const today = offerDate(new Date().toISOString());
  let reading = true;
  let reads = 0;
  const statuses = new Map<number, number>();
  const readers = [raw, cached, raw].map(async (app, i) => {
    while (reading) {
      const res = await app.fetch(new Request(`http://web${i === 1 ? "/" : "/api/deals"}?date=${today}`));
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      reads++;
    }
  });
  const produced: string[] = [];
  try {
    for (let round = 0; round < 8; round++) {
      produced.push(...(await produceOffers(topics.topic, 150)).map((m) => m.item_id));
      await new Promise((r) => setTimeout(r, 500));
    }
    await waitFor(
      "everything loaded and committed",
      () => uncommitted(topics.topic, topics.group),
      (left) => left === 0,
      120_000,
    );
    // committed means loaded: the view shows it at once (its cache follows the file)
    const shown = await waitFor(
      "the view showing every offer",
      async () =>
        ((await (await cached.fetch(new Request(`http://web/api/deals?date=${today}`))).json()) as { total: number })
          .total,
      (total) => total === produced.length,
      10_000,
    );
    assert.equal(shown, produced.length);
  } finally {
    reading = false;
    await Promise.all(readers);
    await consumer.stop();
  }
  const log = consumer.output();
  const loaded = (log.match(/"event":"batch_loaded"/g) ?? []).length;
  console.log(`  ${reads} reads during ${loaded} loads; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  assert.ok(loaded >= 4, `several loads happened while reading (${loaded})`);
  assert.ok(reads > loaded * 3, `reads went on throughout (${reads})`);
  assert.doesNotMatch(log, /batch_load_failed/, "no load failed or waited for a retry");
  assert.deepEqual([...statuses.keys()], [200], "every page answered");
});
