/**
 * Operator conditions (operator-checks.ts) through the same episodes as the rules: each check is
 * an observation of (condition, subject) at the check's time, so an alert fires when a condition
 * starts, none while it lasts, and it ends once it has been gone 15 minutes. Here the clock is the
 * data: a check's time is when the machinery was looked at.
 */
import { type Alert, NO_ITEM } from "../shared/alert/alert-record.ts";
import { alertIdOf, episodeKey } from "./alert-id.ts";
import { type EpisodeRule, type EpisodeState, step } from "./episodes.ts";
import type { OperatorCondition } from "./operator-checks.ts";

export const OPERATOR_RULE: EpisodeRule = { clear_after: "15m", rearm_after: null, absent_after: null };
export const OPERATOR_PREFIX = "operator:";

export async function operatorAlerts(
  conditions: readonly OperatorCondition[],
  states: ReadonlyMap<string, EpisodeState>,
  channels: string[],
  now: number,
): Promise<{ alerts: Alert[]; states: Map<string, EpisodeState> }> {
  const alerts: Alert[] = [];
  const changed = new Map<string, EpisodeState>();
  const at = new Date(now).toISOString();
  for (const c of conditions) {
    const key = episodeKey(`${OPERATOR_PREFIX}${c.kind}`, "-", c.subject);
    const result = step(states.get(key), {
      at: now,
      tie: "",
      offerKey: "check",
      holds: c.holds,
      silent: false,
    }, OPERATOR_RULE);
    if (result.changed && result.next) changed.set(key, result.next);
    if (!result.fired) continue;
    alerts.push({
      type: "alert",
      schema_version: 1,
      alert_id: await alertIdOf(key, result.fired),
      rule_key: `${OPERATOR_PREFIX}${c.kind}`,
      kind: c.kind,
      watch_id: c.kind === "watch_backoff" ? c.subject : null,
      ...NO_ITEM,
      why: c.why.slice(0, 1000),
      channels,
      decided_at: at,
      observed_at: at,
      episode_start: new Date(result.fired.since).toISOString(),
      alert_number: result.fired.number,
      source: `check:${at}`,
    });
  }
  return { alerts, states: changed };
}
