/** web_alerts.sql on the BigQuery emulator: the same alerts and channel states as the DuckDB twin (alerts.test.ts). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { transformRecord } from "../batch/alerts-transform.ts";
import { shapeOf, type StageableRow, stageRows } from "../batch/staging.ts";
import { ALERTS } from "../shared/tables.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { emulatorWarehouse } from "../test/seeded-warehouses.ts";
import { BigQuerySource } from "./bigquery-source.ts";

test("alerts on BigQuery: an item's alerts with each channel's state, a watch's alerts newest first", async () => {
  const dataset = `web_alerts_${Date.now()}`;
  const warehouse = await emulatorWarehouse(dataset);
  const base = {
    type: "alert",
    schema_version: 1,
    rule_key: "watch:fones:below",
    kind: "below",
    watch_id: "fones",
    site: "MLB",
    offer_date: "2026-06-30",
    title: "Fone",
    currency: "BRL",
    url: null,
    price: "70.00",
    verdict: null,
    real_discount_pct: null,
    why: "cheap",
    channels: ["hook", "mail"],
    source: "batch:1",
  };
  const records = [
    { ...base, alert_id: "a".repeat(24), item_id: "MLB1000000001", decided_at: "2026-06-30T12:00:00.000Z" },
    { ...base, alert_id: "b".repeat(24), item_id: "MLB1000000002", decided_at: "2026-06-30T13:00:00.000Z" },
    {
      type: "delivery",
      schema_version: 1,
      alert_id: "a".repeat(24),
      channel: "hook",
      state: "retrying",
      attempts: 1,
      detail: "500",
      at: "2026-06-30T12:00:01.000Z",
    },
    {
      type: "delivery",
      schema_version: 1,
      alert_id: "a".repeat(24),
      channel: "hook",
      state: "delivered",
      attempts: 2,
      detail: "204",
      at: "2026-06-30T12:00:05.000Z",
    },
  ];
  const enc = new TextEncoder();
  const rows = records.map((r, i) => {
    const t = transformRecord({
      topic: "t",
      partition: 0,
      offset: String(i),
      key: null,
      value: enc.encode(JSON.stringify(r)),
      headers: {},
    }, "x");
    assert.ok("row" in t);
    return t.row as StageableRow;
  });
  await warehouse.load(
    await stageRows(mkdtempSync(join(tmpdir(), "ofertas-alerts-bq-")), { ...shapeOf(ALERTS), compress: true }, rows),
  );
  const source = new BigQuerySource({
    projectId: integrationEnv.bigqueryProject,
    dataset,
    location: "US",
    apiEndpoint: integrationEnv.bigqueryEndpoint,
    cacheSeconds: 1,
  });
  const item = await source.alerts({
    filter: { site: "MLB", itemId: "MLB1000000001" },
    first: "2026-06-01",
    last: "2026-06-30",
    limit: 10,
  });
  assert.deepEqual(item.map((a) => a.deliveries), [[
    { channel: "hook", state: "delivered", attempts: 2, status: 204 },
    { channel: "mail", state: "waiting", attempts: 0, status: null },
  ]]);
  assert.equal(item[0]!.decided_at, "2026-06-30T12:00:00.000Z");
  const watch = await source.alerts({
    filter: { watchId: "fones" },
    first: "2026-06-01",
    last: "2026-06-30",
    limit: 10,
  });
  assert.deepEqual(watch.map((a) => a.item_id), ["MLB1000000002", "MLB1000000001"]);
});
