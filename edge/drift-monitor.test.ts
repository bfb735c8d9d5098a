import { test } from "node:test";
import assert from "node:assert/strict";
import { MemoryKeyedLog } from "../shared/keyed-log.ts";
import { DriftMonitor } from "./drift-monitor.ts";
import { parseDriftSnapshot } from "../shared/drift-snapshot.ts";
import { createRouteMetrics } from "./route-metrics.ts";
import type { PageCoverage } from "./scraper/coverage.ts";
import { DEFAULT_DRIFT_SETTINGS, DriftDetector } from "./scraper/drift.ts";

const TOPIC = "drift";

function page(rating: number, state: string | null = "nordic_ctx"): PageCoverage {
  return {
    kind: "listing",
    cards: 48,
    state,
    fields: {
      price: { present: 48, sources: { markup: 48 } },
      rating: { present: rating, sources: { markup: rating } },
    },
  };
}

/** Runs `body` with the error-level log lines collected. */
async function errorLines(body: () => Promise<void> | void): Promise<Array<Record<string, unknown>>> {
  const lines: Array<Record<string, unknown>> = [];
  const original = console.error;
  console.error = (line: string) => lines.push(JSON.parse(line));
  try {
    await body();
  } finally {
    console.error = original;
  }
  return lines;
}

function monitorOn(kafka: MemoryKeyedLog) {
  const metrics = createRouteMetrics();
  const monitor = new DriftMonitor(new DriftDetector(DEFAULT_DRIFT_SETTINGS), metrics, {
    log: kafka.reader(),
    topic: TOPIC,
  });
  return { monitor, metrics };
}

test("drift monitor: counts coverage, logs one scraper_drift, shows it in /readyz's details and keeps it on the topic", async () => {
  const kafka = new MemoryKeyedLog();
  const { monitor, metrics } = monitorOn(kafka);
  await monitor.start();
  const lines = await errorLines(async () => {
    monitor.observe("MLB", "all", [page(48), page(48), page(48), page(48), page(48)]);
    monitor.observe("MLB", "all", [page(0), page(0)]);
    await monitor.flush();
  });
  const drifts = lines.filter((l) => l.event === "scraper_drift");
  assert.equal(drifts.length, 1);
  assert.deepEqual(
    [drifts[0]!.level, drifts[0]!.site, drifts[0]!.view, drifts[0]!.field, drifts[0]!.baseline, drifts[0]!.now],
    ["error", "MLB", "all", "rating", 1, 0],
  );
  assert.equal(metrics.coverageCards.get({ site: "MLB", view: "all" }), 7 * 48);
  assert.equal(metrics.coverageFields.get({ site: "MLB", view: "all", field: "rating" }), 5 * 48);
  assert.equal(metrics.drifts.get({ site: "MLB", view: "all", field: "rating" }), 1);
  assert.equal(metrics.drifting.get({ site: "MLB", view: "all", field: "rating" }), 1);
  assert.match(monitor.details()[0]!, /^MLB\/all rating: 0% of cards \(baseline 100%\) since /);
  const kept = kafka.records.get(TOPIC)!.at(-1)!;
  assert.equal(kept.key, "MLB/all");
  assert.deepEqual(parseDriftSnapshot(kept.value)?.drifting.map((d) => d.field), ["rating"]);
});

test("drift monitor: a restart goes on from the topic; a tombstone (an operator's reset) clears the drift", async () => {
  const kafka = new MemoryKeyedLog();
  const first = monitorOn(kafka);
  await first.monitor.start();
  await errorLines(async () => {
    first.monitor.observe("MLB", "all", [page(48), page(48), page(48), page(48), page(48), page(0)]);
    await first.monitor.flush();
  });

  const second = monitorOn(kafka);
  await second.monitor.start();
  assert.deepEqual(second.monitor.drifting().map((d) => d.field), ["rating"]);
  assert.equal(second.metrics.drifting.get({ site: "MLB", view: "all", field: "rating" }), 1);
  const lines = await errorLines(() => second.monitor.observe("MLB", "all", [page(0)]));
  assert.deepEqual(lines.filter((l) => l.event === "scraper_drift"), [], "the drift was already told");

  kafka.append(TOPIC, "MLB/all", null);
  assert.deepEqual(second.monitor.drifting(), []);
  assert.equal(second.metrics.drifting.get({ site: "MLB", view: "all", field: "rating" }), 0);
});

test("drift monitor: without a topic it still judges; a failed write is a warning, never a failed scrape", async () => {
  const bare = new DriftMonitor(new DriftDetector(DEFAULT_DRIFT_SETTINGS), createRouteMetrics());
  await bare.start();
  const lines = await errorLines(() =>
    bare.observe("MLB", "all", [page(48), page(48), page(48), page(48), page(48), page(0)])
  );
  assert.equal(lines.filter((l) => l.event === "scraper_drift").length, 1);

  const kafka = new MemoryKeyedLog();
  const failing = new DriftMonitor(new DriftDetector(DEFAULT_DRIFT_SETTINGS), createRouteMetrics(), {
    log: { ...kafka.reader(), append: () => Promise.reject(new Error("broker down")) },
    topic: TOPIC,
  });
  const warned = await errorLines(async () => {
    failing.observe("MLB", "all", [page(48)]);
    await failing.flush();
  });
  assert.deepEqual(warned.map((l) => [l.level, l.event]), [["warn", "drift_snapshot_not_kept"]]);
});
