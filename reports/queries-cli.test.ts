/** `bun run reports/queries.ts …` as a user runs it, on a local warehouse holding the synthetic history. */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import process from "node:process";
import { EXPECTED_FAKE_DISCOUNTS, REPORT_DAY } from "../test/offer-history.ts";
import { seededLocalWarehouse } from "../test/seeded-warehouses.ts";

let root: string;
const repo = new URL("..", import.meta.url).pathname;

before(async () => {
  root = await seededLocalWarehouse();
});
after(() => rmSync(root, { recursive: true, force: true }));

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ["run", "reports/queries.ts", ...args], {
    cwd: repo,
    env: { ...process.env, OFERTAS_WAREHOUSE: "local", OFERTAS_LOCAL_DIR: root },
    encoding: "utf8",
  });

test("queries CLI: fake_discounts --date --json prints the day's verdicts", () => {
  const run = cli("fake_discounts", "--date", REPORT_DAY, "--json");
  assert.equal(run.status, 0, run.stderr);
  const rows = JSON.parse(run.stdout) as Array<{ item_id: string; verdict: string }>;
  assert.deepEqual(rows.map((r) => [r.item_id, r.verdict]), EXPECTED_FAKE_DISCOUNTS.map((e) => [e.item_id, e.verdict]));
});

test("queries CLI: a table by default, parameters, and clear errors", () => {
  const table = cli("daily_top_deals", "--date", REPORT_DAY, "--param", "top_n=1");
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /^offer_date\s+site\s+item_id/m);
  assert.equal(table.stdout.trim().split("\n").length, 4, "header, rule, two rows");
  const daily = cli("daily_offers", "--date", REPORT_DAY);
  assert.match(daily.stdout, /MLA\s+3\s+3/);
  assert.equal(cli("nope").status, 2);
  assert.match(cli("fake_discounts", "--param", "speed=3").stderr, /unknown parameter "speed"/);
  assert.match(cli("daily_offers", "--date", "30/06/2026").stderr, /bad option --date/);
});

test("queries CLI: on BigQuery it needs where the dataset is, never the consumer's staging bucket", () => {
  const run = spawnSync(process.execPath, ["run", "reports/queries.ts", "daily_offers"], {
    cwd: repo,
    env: {
      ...process.env,
      OFERTAS_WAREHOUSE: "bigquery",
      OFERTAS_BQ_PROJECT: "",
      OFERTAS_GCS_BUCKET: "",
    },
    encoding: "utf8",
  });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /OFERTAS_BQ_PROJECT is required/);
  assert.doesNotMatch(run.stderr, /OFERTAS_GCS_BUCKET/);
});
