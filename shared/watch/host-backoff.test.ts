import { test } from "node:test";
import assert from "node:assert/strict";
import { HostBackoff } from "./host-backoff.ts";
import type { RunOutcome, RunRecord } from "./watch-run.ts";

const MINUTE = 60_000;
const T0 = Date.parse("2026-12-04T12:00:00Z");
const BACKOFF = { baseMs: 10 * MINUTE, maxMs: 60 * MINUTE };
const iso = (ms: number) => new Date(ms).toISOString();

/** A run of `watch` on `host` from `start` to `end` (minutes after T0), recorded as its writer would. */
function record(
  book: HostBackoff,
  host: string,
  outcome: RunOutcome,
  start: number,
  end: number,
  watch = "w",
): RunRecord {
  const started = T0 + start * MINUTE;
  const finished = T0 + end * MINUTE;
  const { failures, until } = book.after(host, { outcome, started, finished }, BACKOFF);
  const run: RunRecord = {
    type: "run",
    watch_id: watch,
    host,
    slot: iso(started),
    tick_id: "t",
    started_at: iso(started),
    finished_at: iso(finished),
    outcome,
    scrape_id: null,
    pages_fetched: 1,
    offers: 0,
    produced: 0,
    invalid: 0,
    errors: outcome === "ok" ? [] : [{ kind: outcome, page: 1, message: `${outcome} page` }],
    failures,
    backoff_until: until === null ? null : iso(until),
  };
  book.apply(run);
  return run;
}

const minutesUntil = (book: HostBackoff, host: string, now: number) => {
  const until = book.of(host, T0 + now * MINUTE).until;
  return until === null ? null : (until - T0) / MINUTE;
};

test("host back-off: any failing run escalates it, on any watch of the host, doubling up to the cap", () => {
  const book = new HostBackoff();
  const host = "lista.mercadolivre.com.br";
  record(book, host, "challenge", 0, 1, "a");
  assert.deepEqual([book.of(host, T0).failures, minutesUntil(book, host, 2)], [1, 11]);
  record(book, host, "blocked", 11, 12, "b"); // another watch, same host
  assert.deepEqual([book.of(host, T0).failures, minutesUntil(book, host, 13)], [2, 32]);
  record(book, host, "failed", 32, 33, "a");
  assert.deepEqual([book.of(host, T0).failures, minutesUntil(book, host, 34)], [3, 73]);
  record(book, host, "failed", 73, 74, "c");
  assert.equal(minutesUntil(book, host, 75), 134, "capped at the maximum");
  assert.equal(book.of(host, T0 + 75 * MINUTE).reason, "failed page");
  // another host is not concerned
  assert.deepEqual(book.of("www.mercadolivre.com.br", T0 + 75 * MINUTE), { failures: 0, until: null, reason: null });
  // the wait ends by itself; the count stays until a success
  assert.equal(minutesUntil(book, host, 200), null);
  assert.equal(book.of(host, T0 + 200 * MINUTE).failures, 4);
});

test("host back-off: only ok and unavailable end it; partial, not_produced and crashed change nothing", () => {
  for (const outcome of ["partial", "not_produced", "crashed"] as const) {
    const book = new HostBackoff();
    record(book, "h", "challenge", 0, 1);
    record(book, "h", outcome, 12, 13);
    assert.deepEqual([book.of("h", T0).failures, minutesUntil(book, "h", 14)], [1, null], outcome);
    record(book, "h", "blocked", 14, 15);
    assert.equal(book.of("h", T0).failures, 2, `${outcome} then a block: the count goes on`);
  }
  for (const outcome of ["ok", "unavailable"] as const) {
    const book = new HostBackoff();
    record(book, "h", "challenge", 0, 1);
    record(book, "h", outcome, 12, 13);
    assert.deepEqual(book.of("h", T0), { failures: 0, until: null, reason: null }, outcome);
  }
});

test("host back-off: runs under way when the host failed neither count again nor end the wait", () => {
  const book = new HostBackoff();
  record(book, "h", "challenge", 0, 2, "a");
  record(book, "h", "challenge", 1, 3, "b"); // started before a's failure ended: the same event
  assert.equal(book.of("h", T0).failures, 1);
  assert.equal(minutesUntil(book, "h", 4), 13, "the later end sets the wait");
  record(book, "h", "ok", 1, 4, "c"); // also started before: its success does not clear the host
  assert.equal(minutesUntil(book, "h", 5), 13);
});

test("host back-off: a reader after compaction counts at least what the last failing run recorded", () => {
  const writer = new HostBackoff();
  const runs = [0, 11, 32].map((m) => record(writer, "h", "challenge", m, m + 1));
  // compaction kept only the last run of the watch
  const reader = new HostBackoff();
  reader.apply(runs.at(-1)!);
  assert.deepEqual(reader.of("h", T0 + 34 * MINUTE), writer.of("h", T0 + 34 * MINUTE));
  // a record without a host (written before host back-off) is skipped
  const old = new HostBackoff();
  old.apply({ ...runs[0]!, host: undefined });
  assert.equal(old.of("h", T0).failures, 0);
});
