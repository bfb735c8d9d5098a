import { test } from "node:test";
import assert from "node:assert/strict";
import { MemoryKeyedLog } from "../shared/keyed-log.ts";
import { TOPICS } from "../shared/kafka.ts";
import { runDriftCli } from "./drift-cli.ts";

const snapshot = JSON.stringify({
  site: "MLB",
  view: "all",
  baseline: [{ pages: 1, statePages: 1, cards: 48, present: { rating: 48 } }],
  drifting: [{ site: "MLB", view: "all", field: "rating", baseline: 1, now: 0, since: "2026-12-04T12:00:00Z" }],
  at: "2026-12-04T12:00:00Z",
});

async function run(kafka: MemoryKeyedLog, ...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runDriftCli(args, {
    stdout: (l) => stdout.push(l),
    stderr: (l) => stderr.push(l),
    env: {},
    log: kafka.reader(),
  });
  return { code, stdout, stderr };
}

test("drift cli: list prints the drifts kept; reset writes the site and view's tombstone", async () => {
  const kafka = new MemoryKeyedLog();
  kafka.append(TOPICS.scraperDrift.name, "MLB/all", snapshot);
  const listed = await run(kafka, "list");
  assert.equal(listed.code, 0);
  assert.deepEqual(JSON.parse(listed.stdout[0]!).drifting.map((d: { field: string }) => d.field), ["rating"]);

  const reset = await run(kafka, "reset", "MLB/all");
  assert.equal(reset.code, 0);
  assert.deepEqual(JSON.parse(reset.stdout[0]!), { reset: "MLB/all", drifting_before: ["rating"] });
  assert.deepEqual(kafka.records.get(TOPICS.scraperDrift.name)!.at(-1), {
    topic: TOPICS.scraperDrift.name,
    key: "MLB/all",
    value: null,
  });
  assert.deepEqual((await run(kafka, "list")).stdout, []);
});

test("drift cli: an unknown site and view exits 1 naming what is kept; bad usage exits 2", async () => {
  const kafka = new MemoryKeyedLog();
  kafka.append(TOPICS.scraperDrift.name, "MLB/all", snapshot);
  const missing = await run(kafka, "reset", "MLA/all");
  assert.equal(missing.code, 1);
  assert.match(missing.stderr[0]!, /nothing kept for MLA\/all: MLB\/all/);
  for (const args of [[], ["reset"], ["reset", "all"], ["purge"]]) {
    assert.equal((await run(kafka, ...args)).code, 2, args.join(" "));
  }
});
