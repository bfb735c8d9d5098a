/**
 * Once per episode. For each (rule, item) the alerter keeps where its condition stands: an alert
 * fires when the condition starts; while it holds, nothing more (unless `rearm_after` has passed
 * since the last alert: a reminder); it ends only once it has been false for `clear_after`, so a
 * price flapping around a target is one episode, not one alert per flap. A `silent` start (a
 * watch's first run, told to stay silent) opens the episode without an alert.
 */
import { parseDuration } from "../shared/duration.ts";

export interface Episode {
  /** The condition holds (an alert was sent, or the start was silent). */
  active: boolean;
  /** When the current episode started (ISO), null when none. */
  since: string | null;
  /** When the last alert of this (rule, item) fired (ISO). */
  fired_at: string | null;
  /** First time the condition was seen false in the current episode (ISO). */
  false_since: string | null;
  /** Alerts fired for this (rule, item), all episodes. */
  alerts: number;
}

export interface EpisodeRule {
  clear_after: string;
  rearm_after: string | null;
}

const ms = (duration: string | null) => (duration === null ? null : parseDuration(duration));

/** The next state, and whether to alert now. */
export function step(
  previous: Episode | undefined,
  holds: boolean,
  now: number,
  rule: EpisodeRule,
  options: { silent?: boolean } = {},
): { next: Episode; fire: boolean } {
  const at = new Date(now).toISOString();
  const state: Episode = previous ?? { active: false, since: null, fired_at: null, false_since: null, alerts: 0 };
  const clearMs = ms(rule.clear_after) ?? 0;
  if (!holds) {
    if (!state.active) return { next: state, fire: false };
    const falseSince = state.false_since ?? at;
    if (now - Date.parse(falseSince) >= clearMs) {
      return { next: { ...state, active: false, since: null, false_since: null }, fire: false };
    }
    return { next: { ...state, false_since: falseSince }, fire: false };
  }
  // the condition holds: a new episode when none is open, or when it was false long enough meanwhile
  const ended = state.active && state.false_since !== null && now - Date.parse(state.false_since) >= clearMs;
  if (!state.active || ended) {
    if (options.silent) return { next: { ...state, active: true, since: at, false_since: null }, fire: false };
    return {
      next: { active: true, since: at, fired_at: at, false_since: null, alerts: state.alerts + 1 },
      fire: true,
    };
  }
  const rearmMs = ms(rule.rearm_after);
  const lastFired = state.fired_at ? Date.parse(state.fired_at) : Date.parse(state.since ?? at);
  if (rearmMs !== null && now - lastFired >= rearmMs) {
    return { next: { ...state, fired_at: at, false_since: null, alerts: state.alerts + 1 }, fire: true };
  }
  return { next: state.false_since === null ? state : { ...state, false_since: null }, fire: false };
}
