/**
 * The scraper's drifts as operator conditions: the route keeps each site and view's drifts on
 * the drift topic (edge/drift-monitor.ts); each drifting field is a condition that holds, and a
 * field that drifted before and no longer does is one that stopped holding (its episode ends).
 */
import { type DriftSnapshot, parseDriftSnapshot } from "../shared/drift-snapshot.ts";
import type { OperatorCondition } from "./operator-checks.ts";

export class DriftConditions {
  private readonly snapshots = new Map<string, DriftSnapshot>();
  /** Every site/view/field that drifted since the start: each is reported until it has ended. */
  private readonly seen = new Set<string>();

  apply(key: string, value: string | null): void {
    const snapshot = parseDriftSnapshot(value);
    if (snapshot) this.snapshots.set(key, snapshot);
    else this.snapshots.delete(key);
  }

  conditions(): OperatorCondition[] {
    const holding = new Map<string, string>();
    for (const s of this.snapshots.values()) {
      for (const d of s.drifting) {
        const subject = `${d.site}/${d.view}/${d.field}`;
        const fell = d.fields?.length ? ` (with it: ${d.fields.join(", ")})` : "";
        holding.set(
          subject,
          `The scraper stopped finding ${d.field} on ${d.site} ${d.view} pages: ${share(d.now)} now, ${
            share(d.baseline)
          } usually, since ${d.since}${fell}. A saved page and the steps: edge/SCRAPER.md, "When the site changes".`,
        );
      }
    }
    for (const subject of holding.keys()) this.seen.add(subject);
    return [...this.seen].map((subject) => ({
      kind: "scraper_drift" as const,
      subject,
      holds: holding.has(subject),
      why: holding.get(subject) ?? `The scraper finds ${subject} again.`,
    }));
  }
}

const share = (x: number) => `${Math.round(x * 1000) / 10}%`;
