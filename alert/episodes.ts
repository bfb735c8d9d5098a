/**
 * Once per episode, on the data's own time. For each (rule, item) the alerter keeps where its
 * condition stands, judged one observation at a time in the order they were scraped (an
 * observation is one offer row: when it was scraped; ties in the order the route produced them):
 *
 *  - an episode opens at the first observation where the condition holds: alert number 0 (none
 *    when the opening is silent: a watch's first run told to stay silent);
 *  - while it is open, nothing more, unless `rearm_after` has passed since the last alert (a
 *    reminder: alert number 1, 2, …);
 *  - it ends when the condition has been false for `clear_after` (a flapping price is one
 *    episode), or when the item was not observed at all for `absent_after` (it left the list);
 *    the next observation where it holds opens a new episode.
 *
 * Every time here is an observation's `scraped_at`, never the clock of the process judging it, so
 * an alerter that is behind, restarted or catching up decides what a timely one would have. Each
 * state remembers the last observation it judged: an observation at or before it (a load read or
 * evaluated again) changes nothing. An alert's identity is (rule, item, the observation that
 * opened its episode, number): alert-id.ts.
 */
import { parseDuration } from "../shared/duration.ts";

/** What is kept per (rule, item): written only once an episode has opened there. */
export interface EpisodeState {
  /** The last observation judged: its scrape time (epoch ms) and its place among those of the same instant. */
  seen_at: number;
  seen_tie: string;
  /** The episode under way, or null once it ended (kept a while: see state-retention.ts). */
  open: OpenEpisode | null;
}

export interface OpenEpisode {
  /** Scrape time (epoch ms) and offer key of the observation that opened it: the episode's identity. */
  since: number;
  since_key: string;
  /** The number the next alert of this episode gets (the opening is 0, silent or not). */
  next: number;
  /** When its last alert fired (epoch ms); null when it opened silently and has not fired. */
  fired_at: number | null;
  /** First observation since which the condition has been false (epoch ms), or null. */
  false_since: number | null;
}

export interface EpisodeRule {
  clear_after: string;
  rearm_after: string | null;
  absent_after: string | null;
}

export interface Judged {
  /** Scrape time, epoch ms. */
  at: number;
  /**
   * Its place among observations of the same instant, in the order they are judged: an item's,
   * where the route produced it (positionTie); a product's or a stock observation's, its key.
   */
  tie: string;
  /** The offer's key: names the episode an observation opens. */
  offerKey: string;
  holds: boolean;
  /** Open without alerting (a watch's first run told to stay silent). */
  silent: boolean;
}

export interface Fired {
  /** The episode's opening observation (epoch ms, offer key) and the alert's number in it: its identity with the rule and item. */
  since: number;
  sinceKey: string;
  number: number;
}

export interface Step {
  /** The state after the observation; `undefined`: nothing to keep (the condition never held). */
  next: EpisodeState | undefined;
  /** True when the state changed and has to be written. */
  changed: boolean;
  fired: Fired | null;
  /** The observation was at or before the last one judged: nothing was decided. */
  skipped?: true;
}

const ms = (duration: string | null) => (duration === null ? null : parseDuration(duration));

/** Whether an observation comes after the state's last one. */
export const isAfter = (state: EpisodeState, j: Pick<Judged, "at" | "tie">) =>
  j.at > state.seen_at || (j.at === state.seen_at && j.tie > state.seen_tie);

/** A Kafka position as a tie that sorts as the position does. */
export const positionTie = (partition: number, offset: number) =>
  `${String(partition).padStart(6, "0")}:${String(offset).padStart(20, "0")}`;

/** Whether an open episode is over by the time of an observation at `at`: absent, or false long enough. */
function endedBy(open: OpenEpisode, lastSeen: number, at: number, rule: EpisodeRule): boolean {
  const absentMs = ms(rule.absent_after);
  if (absentMs !== null && at - lastSeen >= absentMs) return true;
  return open.false_since !== null && at - open.false_since >= (ms(rule.clear_after) ?? 0);
}

/** The next state of (rule, item) after one observation, and the alert it fires, if any. */
export function step(previous: EpisodeState | undefined, judged: Judged, rule: EpisodeRule): Step {
  const { at, offerKey, holds } = judged;
  if (previous && !isAfter(previous, judged)) {
    return { next: previous, changed: false, fired: null, skipped: true };
  }
  let open = previous?.open ?? null;
  if (open && previous && endedBy(open, previous.seen_at, at, rule)) open = null;
  const seen = { seen_at: at, seen_tie: judged.tie };

  if (!holds) {
    // nothing open: nothing to remember (a closed state's old watermark still guards re-reads)
    if (!open) {
      const wasOpen = previous?.open != null;
      return wasOpen ? { next: { ...seen, open: null }, changed: true, fired: null } : {
        next: previous,
        changed: false,
        fired: null,
      };
    }
    return { next: { ...seen, open: { ...open, false_since: open.false_since ?? at } }, changed: true, fired: null };
  }
  if (!open) {
    const opened: OpenEpisode = {
      since: at,
      since_key: offerKey,
      next: 1,
      fired_at: judged.silent ? null : at,
      false_since: null,
    };
    const fired = judged.silent ? null : { since: at, sinceKey: offerKey, number: 0 };
    return { next: { ...seen, open: opened }, changed: true, fired };
  }
  const rearmMs = ms(rule.rearm_after);
  const lastFired = open.fired_at ?? open.since;
  if (rearmMs !== null && at - lastFired >= rearmMs) {
    const fired = { since: open.since, sinceKey: open.since_key, number: open.next };
    return {
      next: { ...seen, open: { ...open, next: open.next + 1, fired_at: at, false_since: null } },
      changed: true,
      fired,
    };
  }
  return { next: { ...seen, open: { ...open, false_since: null } }, changed: true, fired: null };
}
