/**
 * The route's drift watch: every parsed page's coverage is counted (metrics) and judged against
 * its site and view's baseline (scraper/drift.ts). A drift that starts is an error-level
 * `scraper_drift` log line, a metric and a line in /readyz; its end is an info line. Each site
 * and view's baseline and drifts are kept on a compacted topic (`ofertas.scraper-drift`): a
 * restart goes on from them instead of learning a broken page as the normal, and the alerter
 * reads the same records to tell the operator.
 */
import type { KeyedLog } from "../shared/keyed-log.ts";
import { log } from "../shared/log.ts";
import { parseDriftSnapshot } from "../shared/drift-snapshot.ts";
import type { RouteMetrics } from "./route-metrics.ts";
import type { PageCoverage } from "./scraper/coverage.ts";
import { type Drift, type DriftChange, DriftDetector } from "./scraper/drift.ts";

/** A snapshot is written at least this often per site and view while pages come (the baseline moves). */
const SNAPSHOT_EVERY_MS = 60_000;

export interface DriftStore {
  log: KeyedLog;
  topic: string;
}

export class DriftMonitor {
  private readonly written = new Map<string, number>();
  private readonly writing = new Map<string, Promise<void>>();
  /** Sites and views judged here since the start: a snapshot read later is older than what they know. */
  private readonly observed = new Set<string>();
  private loaded = false;

  constructor(
    private readonly detector: DriftDetector,
    private readonly metrics: RouteMetrics,
    private readonly store: DriftStore | null = null,
  ) {}

  /** Reads the kept snapshots (in the background: scrapes are judged meanwhile) and follows resets. */
  async start(): Promise<void> {
    if (!this.store) return;
    await this.store.log.start((record) => {
      const [site, view] = record.key.split("/");
      if (!site || !view) return;
      if (record.value === null) {
        // an operator's reset (edge/cli.ts drift reset): the pages as they are become the normal
        this.metricsOfEnded(site, view);
        this.detector.reset(site, view);
        log("info", "scraper_drift_reset", { site, view });
        return;
      }
      if (this.loaded || this.observed.has(record.key)) return; // our own writes, read back
      const snapshot = parseDriftSnapshot(record.value);
      if (snapshot) this.detector.restore(snapshot);
    });
    this.loaded = true;
    for (const drift of this.detector.drifting()) {
      this.metrics.drifting.set({ site: drift.site, view: drift.view, field: drift.field }, 1);
    }
  }

  /** The pages of one scrape, in order. */
  observe(site: string, view: string, pages: readonly PageCoverage[]): void {
    const key = `${site}/${view}`;
    for (const page of pages) {
      this.count(site, view, page);
      this.observed.add(key);
      const changes = this.detector.observe(site, view, page);
      for (const change of changes) this.report(change);
      const last = this.written.get(key) ?? 0;
      if (changes.length || Date.now() - last >= SNAPSHOT_EVERY_MS) this.keep(site, view);
    }
  }

  drifting(): Drift[] {
    return this.detector.drifting();
  }

  /** One line per drift under way, for /readyz's details. */
  details(): string[] {
    return this.detector.drifting().map((d) =>
      `${d.site}/${d.view} ${d.field}: ${pct(d.now)} of ${d.field === "embedded_state" ? "pages" : "cards"} (baseline ${
        pct(d.baseline)
      }) since ${d.since}`
    );
  }

  /** Waits for the snapshots under way (a stop, or a test). */
  async flush(): Promise<void> {
    await Promise.all(this.writing.values());
  }

  private count(site: string, view: string, page: PageCoverage): void {
    const { metrics } = this;
    metrics.coveragePages.inc({ site, view });
    if (page.state !== null) metrics.coverageStatePages.inc({ site, view });
    metrics.coverageCards.inc({ site, view }, page.cards);
    for (const [field, f] of Object.entries(page.fields)) metrics.coverageFields.inc({ site, view, field }, f.present);
  }

  private report({ kind, drift }: DriftChange): void {
    const labels = { site: drift.site, view: drift.view, field: drift.field };
    if (kind === "started") {
      this.metrics.drifts.inc(labels);
      this.metrics.drifting.set(labels, 1);
      log("error", "scraper_drift", {
        site: drift.site,
        view: drift.view,
        field: drift.field,
        baseline: drift.baseline,
        now: drift.now,
        ...(drift.fields ? { fields: drift.fields } : {}),
        message: `${drift.site}/${drift.view}: ${drift.field} on ${pct(drift.now)}, baseline ${
          pct(drift.baseline)
        }; see edge/SCRAPER.md, "When the site changes"`,
      });
    } else {
      this.metrics.drifting.set(labels, 0);
      log("info", "scraper_drift_ended", { ...labels, baseline: drift.baseline, now: drift.now, since: drift.since });
    }
  }

  private metricsOfEnded(site: string, view: string): void {
    for (const drift of this.detector.drifting()) {
      if (drift.site === site && drift.view === view) {
        this.metrics.drifting.set({ site, view, field: drift.field }, 0);
      }
    }
  }

  /** Appends the site and view's snapshot, one write at a time per key; a failure is logged, never thrown. */
  private keep(site: string, view: string): void {
    if (!this.store) return;
    const key = `${site}/${view}`;
    const { log: keyedLog, topic } = this.store;
    this.written.set(key, Date.now());
    const previous = this.writing.get(key) ?? Promise.resolve();
    const next = previous.then(() => keyedLog.append(topic, key, JSON.stringify(this.detector.snapshot(site, view))))
      .then(() => {}, (error) => {
        log("warn", "drift_snapshot_not_kept", { key, message: (error as Error).message, transient: true });
      });
    this.writing.set(key, next);
    void next.finally(() => {
      if (this.writing.get(key) === next) this.writing.delete(key);
    });
  }
}

const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;
