import { test } from "node:test";
import assert from "node:assert/strict";
import { ClaimArbiter } from "./claim-arbiter.ts";
import { RunLedger } from "./run-ledger.ts";
import { claimKey, type ClaimRecord, runKey, type RunRecord } from "./watch-run.ts";

const CREATED = "2026-12-01T00:00:00.000Z";
const HOST = "lista.mercadolivre.com.br";
const watch = { id: "w", created_at: CREATED };
const iso = (ms: number) => new Date(ms).toISOString();
const T0 = Date.parse("2026-12-04T12:00:00Z");
const MINUTE = 60_000;

function claim(slot: number, tick: string, run: number | undefined, extra: Partial<ClaimRecord> = {}): ClaimRecord {
  return {
    type: "claim",
    watch_id: "w",
    watch_created_at: CREATED,
    slot: iso(slot),
    tick_id: tick,
    at: iso(slot + 1_000),
    host: HOST,
    pages: 1,
    ...(run === undefined ? {} : { run }),
    ...extra,
  };
}

function run(slot: number, tick: string, number: number, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    type: "run",
    watch_id: "w",
    watch_created_at: CREATED,
    host: HOST,
    slot: iso(slot),
    tick_id: tick,
    started_at: iso(slot + 1_000),
    finished_at: iso(slot + 5_000),
    outcome: "ok",
    scrape_id: `s-${tick}`,
    pages_fetched: 1,
    offers: 1,
    produced: 1,
    invalid: 0,
    errors: [],
    run: number,
    failures: 0,
    backoff_until: null,
    ...extra,
  };
}

const newLedger = () => new RunLedger(new ClaimArbiter({ pagesPerHourPerHost: 100, runTimeoutMs: 30 * MINUTE }));
type Log = Array<[string, string | null]>;
const replay = (log: Log, ledger = newLedger()) => {
  for (const [key, value] of log) ledger.apply(key, value);
  return ledger;
};
/** What a compacted topic keeps: the last record of each key, in their order. */
const compact = (log: Log): Log => log.filter(([key], i) => !log.slice(i + 1).some(([later]) => later === key));

/** Three runs, each slot claimed by two ticks (the second loses): the log a busy watch leaves. */
function busyLog(): Log {
  const log: Log = [];
  for (let i = 0; i < 3; i++) {
    const slot = T0 + i * 15 * MINUTE;
    log.push([claimKey("w"), JSON.stringify(claim(slot, `a${i}`, i + 1))]);
    log.push([claimKey("w"), JSON.stringify(claim(slot, `b${i}`, i + 1))]);
    log.push([runKey("w"), JSON.stringify(run(slot, `a${i}`, i + 1))]);
    // a later losing claim of the same slot, after the run: the last record of its key
    log.push([claimKey("w"), JSON.stringify(claim(slot, `c${i}`, i + 1, { at: iso(slot + 9_000) }))]);
  }
  return log;
}

test("run ledger: the first claim of a slot wins, later ones and overlapping ones are taken", () => {
  const ledger = replay(busyLog());
  const arbiter = ledger.arbiter;
  assert.equal(arbiter.verdict("a0", "w", T0), "won");
  assert.equal(arbiter.verdict("b0", "w", T0), "taken");
  assert.equal(arbiter.verdict("c2", "w", T0 + 30 * MINUTE), "taken");
  assert.equal(ledger.lastRun(watch)?.run, 3);
  assert.equal(ledger.nextRunNumber(watch), 4);
  // a claim of the next slot while run 4 is under way loses, as does one with a stale run number
  const slot = T0 + 45 * MINUTE;
  ledger.apply(claimKey("w"), JSON.stringify(claim(slot, "d", 4)));
  assert.equal(ledger.runningSlot(watch, slot + 2_000), slot);
  ledger.apply(claimKey("w"), JSON.stringify(claim(slot + 15 * MINUTE, "e", 4)));
  assert.equal(arbiter.verdict("e", "w", slot + 15 * MINUTE), "taken", "run 4 is still under way");
  ledger.apply(runKey("w"), JSON.stringify(run(slot, "d", 4)));
  ledger.apply(claimKey("w"), JSON.stringify(claim(slot + 15 * MINUTE, "f", 4)));
  assert.equal(arbiter.verdict("f", "w", slot + 15 * MINUTE), "taken", "made before run 4 was recorded");
  ledger.apply(claimKey("w"), JSON.stringify(claim(slot + 15 * MINUTE, "g", 5)));
  assert.equal(arbiter.verdict("g", "w", slot + 15 * MINUTE), "won");
});

test("run ledger: compaction keeps the last claim and the last run apart, so the history survives", () => {
  const log = busyLog();
  const compacted = compact(log);
  assert.equal(compacted.length, 2, "one claim, one run");
  const before = replay(log);
  const after = replay(compacted);
  assert.deepEqual(after.lastRun(watch), before.lastRun(watch), "the last run (status) survives a losing claim");
  assert.equal(after.nextRunNumber(watch), 4, "the run counter goes on");
  assert.equal(after.historyOf(watch)?.wonSlot, T0 + 30 * MINUTE, "its slot stays claimed");
  assert.equal(after.runningSlot(watch, T0 + 31 * MINUTE), null);
});

test("run ledger: records of the old single key are still read", () => {
  const legacy = (record: ClaimRecord | RunRecord) => {
    const { watch_created_at: _, ...rest } = record;
    return [runKey("w"), JSON.stringify(rest)] as [string, string];
  };
  const ledger = replay([
    legacy(claim(T0, "a", undefined)),
    legacy(run(T0, "a", 1, { host: undefined })),
    legacy(claim(T0 + 15 * MINUTE, "b", undefined)),
  ]);
  assert.equal(ledger.lastRun(watch)?.run, 1);
  assert.equal(ledger.runningSlot(watch, T0 + 16 * MINUTE), T0 + 15 * MINUTE, "its claim is running");
  // the first record naming the watch continues its history
  ledger.apply(runKey("w"), JSON.stringify(run(T0 + 15 * MINUTE, "b", 2)));
  assert.equal(ledger.nextRunNumber(watch), 3);
  // a watch created after the old records has none of them
  assert.equal(ledger.lastRun({ id: "w", created_at: "2026-12-05T00:00:00.000Z" }), null);
});

test("run ledger: a deleted watch's late run is not the history of the watch created again", () => {
  const ledger = replay(busyLog());
  ledger.apply(claimKey("w"), JSON.stringify(claim(T0 + 45 * MINUTE, "d", 4)));
  // deleted while run 4 runs: tombstones, then the watch created again
  ledger.apply(runKey("w"), null);
  ledger.apply(claimKey("w"), null);
  assert.equal(ledger.historyOf(watch), null, "the deleted watch's history is gone");
  const again = { id: "w", created_at: "2026-12-04T12:50:00.000Z" };
  // its late run arrives after the tombstones, even after the new watch's first claim
  ledger.apply(claimKey("w"), JSON.stringify(claim(T0 + 50 * MINUTE, "n1", 1, { watch_created_at: again.created_at })));
  ledger.apply(runKey("w"), JSON.stringify(run(T0 + 45 * MINUTE, "d", 4)));
  assert.equal(ledger.arbiter.verdict("n1", "w", T0 + 50 * MINUTE), "won", "a fresh history: run 1 wins");
  assert.equal(ledger.lastRun(again), null, "the late run 4 is not its run");
  assert.equal(ledger.runningSlot(again, T0 + 51 * MINUTE), T0 + 50 * MINUTE);
  ledger.apply(runKey("w"), JSON.stringify(run(T0 + 50 * MINUTE, "n1", 1, { watch_created_at: again.created_at })));
  assert.equal(ledger.lastRun(again)?.run, 1);
  assert.equal(ledger.nextRunNumber(again), 2);
  // the same after compaction, which keeps the late run only if it is the last of its key
  const replayed = replay(compact([
    [runKey("w"), JSON.stringify(run(T0 + 45 * MINUTE, "d", 4))],
    [runKey("w"), JSON.stringify(run(T0 + 50 * MINUTE, "n1", 1, { watch_created_at: again.created_at }))],
  ]));
  assert.equal(replayed.lastRun(again)?.run, 1);
});

test("run ledger: records that are not a claim or run of their key's watch are ignored", () => {
  const ledger = newLedger();
  ledger.apply(runKey("w"), "{nope");
  ledger.apply(runKey("other"), JSON.stringify(run(T0, "a", 1)));
  ledger.apply(claimKey("w"), JSON.stringify(run(T0, "a", 1)));
  assert.equal(ledger.historyOf(watch), null);
});
