/**
 * The alerter's episodes, as `ofertas.alert-state` (compacted, keyed by `<rule key>|<site>|<item>`)
 * holds them: read whole at start, then kept by this process alone. A state exists only where an
 * episode opened; an ended one is kept for CLOSED_RETENTION_MS of data time (so a load read or
 * evaluated again meanwhile changes nothing: its observations are at or before the state's last
 * one), then tombstoned, as is an open one whose item has been absent that long past its
 * `absent_after`, and one whose rule no longer exists. Restart cost follows the open episodes,
 * not the alerts ever sent.
 */
import { DAY_MS, parseDuration } from "../shared/duration.ts";
import { parseJsonText } from "../shared/json-text.ts";
import type { EpisodeRule, EpisodeState } from "./episodes.ts";

/** How long (data time) an ended episode is remembered: longer than any re-read of a load takes. */
export const CLOSED_RETENTION_MS = DAY_MS;

export class EpisodeStates {
  private readonly states = new Map<string, EpisodeState>();

  get size(): number {
    return this.states.size;
  }

  get view(): ReadonlyMap<string, EpisodeState> {
    return this.states;
  }

  /** A record of the state topic (null: a tombstone). Records of an earlier version are converted. */
  apply(key: string, value: string | null): void {
    const state = value === null ? null : episodeStateOf(parseJsonText(value));
    if (state) this.states.set(key, state);
    else this.states.delete(key);
  }

  set(key: string, state: EpisodeState): void {
    this.states.set(key, state);
  }

  delete(key: string): void {
    this.states.delete(key);
  }

  /**
   * Keys (among those `mine` selects) whose state can no longer change a decision at `now`:
   * ended and older than the retention, open and absent past `absent_after` plus the retention,
   * or of a rule no longer in force (`ruleOf` answers null).
   */
  expired(now: number, ruleOf: (key: string) => EpisodeRule | null, mine: (key: string) => boolean): string[] {
    const out: string[] = [];
    for (const [key, state] of this.states) {
      if (!mine(key)) continue;
      const rule = ruleOf(key);
      if (!rule) {
        out.push(key);
        continue;
      }
      const absent = state.open ? parseDuration(rule.absent_after ?? "") : 0;
      if (absent === null) continue; // open and never ends by absence (operator conditions)
      if (state.seen_at + absent + CLOSED_RETENTION_MS <= now) out.push(key);
    }
    return out;
  }
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const time = (v: unknown) => (typeof v === "string" && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : null);

/** A stored state, or one of the version before (active/since/fired_at/false_since/alerts, ISO times), or null. */
export function episodeStateOf(raw: unknown): EpisodeState | null {
  if (typeof raw !== "object" || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (isNumber(r.seen_at) && typeof r.seen_tie === "string") {
    const seen = { seen_at: r.seen_at, seen_tie: r.seen_tie };
    const o = r.open as Record<string, unknown> | null;
    if (o === null) return { ...seen, open: null };
    if (typeof o !== "object" || !isNumber(o.since) || !isNumber(o.next)) return null;
    return {
      ...seen,
      open: {
        since: o.since,
        since_key: typeof o.since_key === "string" ? o.since_key : "",
        next: o.next,
        fired_at: isNumber(o.fired_at) ? o.fired_at : null,
        false_since: isNumber(o.false_since) ? o.false_since : null,
      },
    };
  }
  // the version before: clock times, no watermark (what it judged last is unknown: "" sorts first)
  if (typeof r.active !== "boolean") return null;
  const since = time(r.since);
  const last = Math.max(since ?? 0, time(r.fired_at) ?? 0, time(r.false_since) ?? 0);
  if (!r.active || since === null) return null;
  return {
    seen_at: last,
    seen_tie: "",
    open: {
      since,
      since_key: "",
      next: isNumber(r.alerts) ? r.alerts : 1,
      fired_at: time(r.fired_at),
      false_since: time(r.false_since),
    },
  };
}
