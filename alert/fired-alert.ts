/**
 * What the three evaluators (item prices, product prices, stock) do alike once a rule has judged
 * an observation: keep the step's outcome in the evaluation, and fill the fields every alert takes
 * from its rule and its episode (its id among them: alert-id.ts), never from what carried it.
 */
import type { Alert } from "../shared/alert/alert-record.ts";
import { alertIdOf } from "./alert-id.ts";
import type { Fired, Step } from "./episodes.ts";
import type { ActiveRule, Evaluation, EvaluationContext } from "./evaluator.ts";

/** The step's new state (if it changed) and whether the observation was judged or seen before. */
export function keepStep(out: Evaluation, key: string, result: Step): void {
  if (result.changed && result.next) out.states.set(key, result.next);
  if (result.skipped) out.skipped++;
  else out.judged++;
}

/** An alert's fields from its rule and episode; the caller adds what the observation says. */
export async function episodeFields(
  key: string,
  r: ActiveRule,
  fired: Fired,
  at: number,
  context: EvaluationContext,
): Promise<
  Pick<
    Alert,
    | "type"
    | "schema_version"
    | "alert_id"
    | "rule_key"
    | "watch_id"
    | "channels"
    | "decided_at"
    | "observed_at"
    | "episode_start"
    | "alert_number"
    | "source"
  >
> {
  return {
    type: "alert",
    schema_version: 1,
    alert_id: await alertIdOf(key, fired),
    rule_key: r.key,
    watch_id: r.watchId,
    channels: r.channels,
    decided_at: context.decidedAt,
    observed_at: new Date(at).toISOString(),
    episode_start: new Date(fired.since).toISOString(),
    alert_number: fired.number,
    source: context.source,
  };
}
