/**
 * Scraper drift: a field the pages stop carrying (a renamed class, a moved key in the embedded
 * state) while the pages still parse. Each site and view keeps a baseline of its last healthy
 * pages' coverage (coverage.ts); a page whose share of cards carrying a field falls far below the
 * baseline's, for a field the baseline usually has, starts a drift, and so does a page whose
 * embedded state is gone. A drift is one event: it starts once, lasts while the pages stay
 * below, and ends when they come back. While a site and view drift their baseline stays as it
 * was (a broken page never becomes the normal).
 *
 * Pages of few cards (a narrow search, an item's own page) are judged together: pages are pooled
 * until they hold `minCards` cards. Pure logic with a clock passed in; drift-monitor.ts logs,
 * counts and keeps it.
 */
import type { PageCoverage } from "./coverage.ts";
import type { CoverageUnit, Drift, DriftSnapshot } from "../../shared/drift-snapshot.ts";

export type { CoverageUnit, Drift, DriftSnapshot };

/** The name a drift of the embedded state goes by (next to the fields' names). */
export const STATE_FIELD = "embedded_state";

export interface DriftSettings {
  /** Healthy units (pages, or pools of small pages) kept as the baseline. */
  window: number;
  /** Units the baseline needs before anything is judged. */
  minUnits: number;
  /** Cards a unit needs to be judged: smaller pages are pooled with the next. */
  minCards: number;
  /** A field is watched when the baseline has it on at least this share of cards. */
  usualShare: number;
  /** A drift starts when a unit's share falls under this fraction of the baseline's. */
  fallRatio: number;
}

export const DEFAULT_DRIFT_SETTINGS: DriftSettings = {
  window: 20,
  minUnits: 5,
  minCards: 10,
  usualShare: 0.8,
  fallRatio: 0.5,
};

export type DriftChange = { kind: "started" | "ended"; drift: Drift };

interface KeyState {
  baseline: CoverageUnit[];
  pending: CoverageUnit | null;
  drifting: Map<string, Drift>;
}

export function unitOf(coverage: PageCoverage): CoverageUnit {
  return {
    pages: 1,
    statePages: coverage.state === null ? 0 : 1,
    cards: coverage.cards,
    present: Object.fromEntries(Object.entries(coverage.fields).map(([field, f]) => [field, f.present])),
  };
}

function add(a: CoverageUnit | null, b: CoverageUnit): CoverageUnit {
  if (!a) return { ...b, present: { ...b.present } };
  const present = { ...a.present };
  for (const [field, n] of Object.entries(b.present)) present[field] = (present[field] ?? 0) + n;
  return { pages: a.pages + b.pages, statePages: a.statePages + b.statePages, cards: a.cards + b.cards, present };
}

const share = (u: CoverageUnit, field: string) => (u.cards === 0 ? 0 : (u.present[field] ?? 0) / u.cards);
const round = (x: number) => Math.round(x * 1000) / 1000;

export class DriftDetector {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly settings: DriftSettings = DEFAULT_DRIFT_SETTINGS,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  /** One parsed page of a site and view: the drifts it starts or ends (none while its pool fills). */
  observe(site: string, view: string, coverage: PageCoverage): DriftChange[] {
    if (coverage.cards === 0) return []; // an empty result says nothing about the fields
    const state = this.stateOf(site, view);
    const unit = add(state.pending, unitOf(coverage));
    if (unit.cards < this.settings.minCards) {
      state.pending = unit;
      return [];
    }
    state.pending = null;
    if (state.baseline.length < this.settings.minUnits) {
      this.keep(state, unit);
      return [];
    }
    const holding = this.judge(site, view, state.baseline.reduce<CoverageUnit | null>(add, null)!, unit);
    const changes: DriftChange[] = [];
    for (const [field, drift] of holding) {
      const known = state.drifting.get(field);
      if (known) state.drifting.set(field, { ...known, now: drift.now, fields: drift.fields });
      else {
        state.drifting.set(field, drift);
        changes.push({ kind: "started", drift });
      }
    }
    for (const [field, drift] of state.drifting) {
      if (holding.has(field)) continue;
      state.drifting.delete(field);
      changes.push({ kind: "ended", drift: { ...drift, now: this.currentShare(unit, field) } });
    }
    if (holding.size === 0) this.keep(state, unit);
    return changes;
  }

  /** Every drift under way, oldest first. */
  drifting(): Drift[] {
    return [...this.keys.values()].flatMap((s) => [...s.drifting.values()]).sort((a, b) =>
      a.since.localeCompare(b.since)
    );
  }

  snapshot(site: string, view: string): DriftSnapshot {
    const state = this.stateOf(site, view);
    return { site, view, baseline: state.baseline, drifting: [...state.drifting.values()], at: this.now() };
  }

  /** Starts from what a snapshot kept (a restart keeps the baseline and the drifts under way). */
  restore(snapshot: DriftSnapshot): void {
    this.keys.set(`${snapshot.site}/${snapshot.view}`, {
      baseline: snapshot.baseline.slice(-this.settings.window),
      pending: null,
      drifting: new Map(snapshot.drifting.map((d) => [d.field, d])),
    });
  }

  /** Forgets a site and view (an operator accepting the pages as they now are). */
  reset(site: string, view: string): void {
    this.keys.delete(`${site}/${view}`);
  }

  private judge(site: string, view: string, base: CoverageUnit, unit: CoverageUnit): Map<string, Drift> {
    const { usualShare, fallRatio } = this.settings;
    const since = this.now();
    const fallen: Drift[] = [];
    for (const field of Object.keys(base.present)) {
      const before = share(base, field);
      const now = share(unit, field);
      if (before >= usualShare && now < before * fallRatio) {
        fallen.push({ site, view, field, baseline: round(before), now: round(now), since });
      }
    }
    const stateBefore = base.statePages / base.pages;
    const stateNow = unit.statePages / unit.pages;
    // the state gone is one drift, whatever fell with it (the fields the state alone gave)
    if (stateBefore >= usualShare && stateNow < stateBefore * fallRatio) {
      const drift = {
        site,
        view,
        field: STATE_FIELD,
        baseline: round(stateBefore),
        now: round(stateNow),
        since,
        fields: fallen.map((f) => f.field),
      };
      return new Map([[STATE_FIELD, drift]]);
    }
    return new Map(fallen.map((d) => [d.field, d]));
  }

  private currentShare(unit: CoverageUnit, field: string): number {
    return round(field === STATE_FIELD ? unit.statePages / unit.pages : share(unit, field));
  }

  private keep(state: KeyState, unit: CoverageUnit): void {
    state.baseline.push(unit);
    if (state.baseline.length > this.settings.window) state.baseline.shift();
  }

  private stateOf(site: string, view: string): KeyState {
    const key = `${site}/${view}`;
    let state = this.keys.get(key);
    if (!state) this.keys.set(key, state = { baseline: [], pending: null, drifting: new Map() });
    return state;
  }
}
