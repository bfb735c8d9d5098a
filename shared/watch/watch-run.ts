/**
 * What the watches' runs log (the `ofertas.watch-runs` compacted topic) holds, two kinds of
 * record on two keys per watch, as Kafka Connect keeps its kinds apart, so that compaction keeps
 * the last of each:
 *
 *  - a claim, keyed `claim/<watch id>`: a tick asks to run a watch for one slot of its schedule.
 *    Every reader of the log decides the same way, in log order, which claim wins
 *    (claim-arbiter.ts). So two ticks at once, a retried tick or a tick after a restart never run
 *    a watch twice in one slot;
 *  - a run, keyed `<watch id>`: what the winning claim's scrape did (outcome, offers, errors, its
 *    host's back-off), written when it ends. The latest run of each watch is its status.
 *
 * Both carry the watch's `created_at` (`watch_created_at`): a watch deleted and created again
 * under the same id starts a fresh history, and a late run of the deleted one is not its. Records
 * written before keys were split (claims under `<watch id>` too, no `watch_created_at`) are still
 * read. Records younger than the topic's min.compaction.lag.ms (2 h) are never compacted, so the
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
export const CLAIM_KEY_PREFIX = "claim/";
/** The key of a watch's runs, and of its claims. */
export const runKey = (id: string): string => id;
export const claimKey = (id: string): string => `${CLAIM_KEY_PREFIX}${id}`;

/** At most this many of a run's errors are kept. */
export const MAX_RUN_ERRORS = 5;

const count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** The watch's `created_at`: which watch of that id the record belongs to (absent on old records). */
const watchCreatedAt = v.optional(utcTimestamp);
/** The watch's runs so far, this one included (1: its first run). */
const runNumber = v.pipe(v.number(), v.integer(), v.minValue(1));

export const ClaimRecordSchema = v.object({
  type: v.literal("claim"),
  watch_id: watchId,
  watch_created_at: watchCreatedAt,
  /** The slot of the schedule this claim is for. */
  slot: utcTimestamp,
  tick_id: v.pipe(v.string(), v.maxLength(64)),
  at: utcTimestamp,
  /** The host the run will fetch from, and at most how many pages: what the budget counts. */
  host: v.pipe(v.string(), v.maxLength(253)),
  pages: count,
  /** The number the run will have: the last recorded run's + 1 (claim-arbiter.ts refuses any other). */
  run: v.optional(runNumber),
});
export type ClaimRecord = v.InferOutput<typeof ClaimRecordSchema>;

export const RunRecordSchema = v.object({
  type: v.literal("run"),
  watch_id: watchId,
  watch_created_at: watchCreatedAt,
  /** The host the run fetched from: its back-off is the host's (host-backoff.ts). Absent on old records. */
  host: v.optional(v.pipe(v.string(), v.maxLength(253))),
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
  /** The watch's runs so far, this one included (1: its first run); its offers carry it as `watch_run`. */
  run: v.optional(runNumber),
  /** Failing runs in a row on the host, this one included, as its writer saw them (host-backoff.ts). */
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
