/**
 * The decision is written before anything is sent: an evaluation's alerts go to
 * `ofertas.alerts` (compacted, keyed by alert id), then its episodes to `ofertas.alert-state`, each
 * as one batch of acks=all records, and only then is the load committed. A crash anywhere repeats
 * the evaluation, which skips what the written episodes already judged and decides the same ids
 * for the rest (alert-id.ts): the outbox holds each alert once, the deliverer sends it once.
 */
import type { Alert } from "../shared/alert/alert-record.ts";
import { faultPoint } from "../shared/fault-points.ts";
import type { KeyedLog } from "../shared/keyed-log.ts";
import { log } from "../shared/log.ts";
import type { EpisodeStates } from "./episode-states.ts";
import type { EpisodeState } from "./episodes.ts";

export interface OutboxTopics {
  alerts: string;
  state: string;
}

export class Outbox {
  constructor(
    private readonly log: Pick<KeyedLog, "appendMany">,
    private readonly topics: OutboxTopics,
    private readonly states: EpisodeStates,
    private readonly onAlert: (alert: Alert) => void = () => {},
    /**
     * The last step before an alert is written: a muted alert (alert/mutes.ts) keeps its id and is
     * recorded, with no channel to go to. Absent: every alert goes to its channels.
     */
    private readonly muted: (alert: Alert) => boolean = () => false,
  ) {}

  /** Alerts first, then the changed episodes and the tombstones of the expired ones. */
  async write(decided: readonly Alert[], changed: ReadonlyMap<string, EpisodeState>, expired: readonly string[] = []) {
    const alerts = decided.map((a) => (a.channels.length && this.muted(a) ? { ...a, channels: [] } : a));
    if (alerts.length) {
      await this.log.appendMany(this.topics.alerts, alerts.map((a) => ({ key: a.alert_id, value: JSON.stringify(a) })));
      for (const alert of alerts) {
        this.onAlert(alert);
        log("info", "alert", {
          alert_id: alert.alert_id,
          rule: alert.rule_key,
          item_id: alert.item_id,
          price: alert.price,
          observed_at: alert.observed_at,
          channels: alert.channels,
          ...(alert.channels.length === 0 && decided.find((d) => d.alert_id === alert.alert_id)?.channels.length
            ? { muted: true }
            : {}),
        });
      }
      faultPoint("after_alerts");
    }
    const records = [
      ...[...changed].map(([key, state]) => ({ key, value: JSON.stringify(state) })),
      ...expired.filter((key) => !changed.has(key)).map((key) => ({ key, value: null })),
    ];
    if (records.length === 0) return;
    await this.log.appendMany(this.topics.state, records);
    for (const [key, state] of changed) this.states.set(key, state);
    for (const key of expired) if (!changed.has(key)) this.states.delete(key);
    faultPoint("after_states");
  }
}
