/**
 * The pipeline telling on itself, on the alert channels: on a clock of its own, whatever the
 * loads do, the alerter looks at
 *   consumer_lag   the batch consumer's lag on the offers topic past OFERTAS_ALERT_LAG_MAX
 *   dead_letters   records added to a dead-letter topic since the last look
 *   watch_backoff  a watch waiting while its host backs off after failing runs
 *   scraper_drift  a field the scraper stopped finding (the route's drift events)
 * Each is a condition per subject (a group, a topic, a watch, a site/view/field), and goes
 * through the same episodes as the price rules: one alert when it starts, none while it lasts.
 */
import type { Admin } from "kafkajs";
import { topicOffsets } from "../shared/topic-offsets.ts";
import type { WatchBook } from "../shared/watch/watch-book.ts";

export interface OperatorCondition {
  kind: "consumer_lag" | "dead_letters" | "watch_backoff" | "scraper_drift";
  subject: string;
  holds: boolean;
  why: string;
}

export interface OperatorCheckDeps {
  admin: Admin;
  consumerGroup: string;
  offersTopic: string;
  deadLetterTopics: readonly string[];
  book: WatchBook;
  lagMax: number;
  /** Drift conditions the route reported (scraper_drift), newest state per subject. */
  drift?: () => OperatorCondition[];
  now?: () => number;
}

export class OperatorChecks {
  private readonly seenLetters = new Map<string, number>();
  lastLag: number | null = null;

  constructor(private readonly deps: OperatorCheckDeps) {}

  async check(): Promise<OperatorCondition[]> {
    const { admin } = this.deps;
    const conditions: OperatorCondition[] = [];
    // consumer lag: the end of each partition minus the group's committed offset
    const [ends, committed] = await Promise.all([
      topicOffsets(admin, this.deps.offersTopic),
      admin.fetchOffsets({ groupId: this.deps.consumerGroup, topics: [this.deps.offersTopic] }),
    ]);
    const at = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
    const lag = ends.reduce((sum, e) => {
      const c = at.get(e.partition) ?? -1;
      return sum + Number(e.high) - (c < 0 ? Number(e.low) : c);
    }, 0);
    this.lastLag = lag;
    conditions.push({
      kind: "consumer_lag",
      subject: this.deps.consumerGroup,
      holds: lag > this.deps.lagMax,
      why:
        `The batch consumer (group ${this.deps.consumerGroup}) is ${lag} records behind on ${this.deps.offersTopic}; the bound is ${this.deps.lagMax}.`,
    });
    // dead letters: growth since the last look (the first look only sets the baseline)
    for (const topic of this.deps.deadLetterTopics) {
      const total = (await topicOffsets(admin, topic)).reduce((sum, p) => sum + Number(p.high), 0);
      const before = this.seenLetters.get(topic);
      this.seenLetters.set(topic, total);
      conditions.push({
        kind: "dead_letters",
        subject: topic,
        holds: before !== undefined && total > before,
        why: `${
          before === undefined ? 0 : total - before
        } new dead letters on ${topic} (${total} in all): messages the consumer could not load.`,
      });
    }
    // watches backing off
    const now = (this.deps.now ?? Date.now)();
    for (const watch of this.deps.book.watches()) {
      const status = this.deps.book.status(watch.id, now);
      conditions.push({
        kind: "watch_backoff",
        subject: watch.id,
        holds: status.backoff_until !== null,
        why: `The watch ${watch.id} (${watch.name}) waits until ${status.backoff_until}: its host ${
          status.host ?? ""
        } failed ${status.failures} run${status.failures === 1 ? "" : "s"} in a row (blocked, challenge or failed): ${
          status.backoff_reason ?? status.last_run?.errors[0]?.message ?? ""
        }`.trim(),
      });
    }
    conditions.push(...(this.deps.drift?.() ?? []));
    return conditions;
  }
}
