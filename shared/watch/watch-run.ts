/**
 * What the watches' runs log (the `ofertas.watch-runs` compacted topic, keyed by watch id) holds:
 *
 *  - a claim: a tick asks to run a watch for one slot of its schedule. Every reader of the log
 *    decides the same way, in log order, which claim wins (watch-book.ts): the first claim of a
 *    slot that fits the host's hourly budget. So two ticks at once, a retried tick or a tick
 *    after a restart never run a watch twice in one slot;
 *  - a run: what the winning claim's scrape did (outcome, offers, errors, back-off), written
 *    when it ends. The latest run of each watch is its status.
 *
 * Records younger than the topic's min.compaction.lag.ms (2 h) are never compacted, so the
 * decisions above always see every claim of the last hour.
 */
import * as v from "valibot";
import { utcTimestamp, watchId } from "../contract/fields.ts";

export const RUN_OUTCOMES = [
  "ok",
  "partial",
  "failed",
  "blocked",
  "challenge",
  "unavailable",
  "not_produced",
  "crashed",
] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];
/** Outcomes that mean the site wants us to slow down: the watch backs off. */
export const BACKOFF_OUTCOMES: readonly RunOutcome[] = ["blocked", "challenge"];

/** At most this many of a run's errors are kept. */
export const MAX_RUN_ERRORS = 5;

const count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const ClaimRecordSchema = v.object({
  type: v.literal("claim"),
  watch_id: watchId,
  /** The slot of the schedule this claim is for. */
  slot: utcTimestamp,
  tick_id: v.pipe(v.string(), v.maxLength(64)),
  at: utcTimestamp,
  /** The host the run will fetch from, and at most how many pages: what the budget counts. */
  host: v.pipe(v.string(), v.maxLength(253)),
  pages: count,
});
export type ClaimRecord = v.InferOutput<typeof ClaimRecordSchema>;

export const RunRecordSchema = v.object({
  type: v.literal("run"),
  watch_id: watchId,
  slot: utcTimestamp,
  tick_id: v.pipe(v.string(), v.maxLength(64)),
  started_at: utcTimestamp,
  finished_at: utcTimestamp,
  outcome: v.picklist(RUN_OUTCOMES),
  scrape_id: v.nullable(v.string()),
  pages_fetched: count,
  offers: count,
  produced: count,
  invalid: count,
  errors: v.pipe(
    v.array(v.object({ kind: v.string(), page: v.nullable(count), message: v.pipe(v.string(), v.maxLength(500)) })),
    v.maxLength(MAX_RUN_ERRORS),
  ),
  /** The watch's runs so far, this one included (1: its first run; the alerter's `first_run` reads it). */
  run: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /** Block or challenge pages in a row, this run included (0 after any other outcome). */
  failures: count,
  backoff_until: v.nullable(utcTimestamp),
  /** Which fields the run's pages carried (edge/scraper/coverage.ts), when it read pages of cards. */
  coverage: v.optional(v.object({
    cards: count,
    state: v.nullable(v.pipe(v.string(), v.maxLength(40))),
    fields: v.record(v.pipe(v.string(), v.maxLength(40)), count),
  })),
});
export type RunRecord = v.InferOutput<typeof RunRecordSchema>;

export const WatchLogRecordSchema = v.variant("type", [ClaimRecordSchema, RunRecordSchema]);
export type WatchLogRecord = ClaimRecord | RunRecord;
