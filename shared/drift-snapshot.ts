/**
 * The record of the scraper-drift topic (`ofertas.scraper-drift`, keyed site/view): what a site
 * and view's drift detector knows (edge/scraper/drift.ts). The route writes it; the route at its
 * next start, the drift CLI and the alerter read it. Read as untrusted: a record that does not
 * match is ignored.
 */
import * as v from "valibot";
import { parseJsonText } from "./json-text.ts";

/** One judged unit: pages of one site and view, their cards, and how many carried each field. */
export interface CoverageUnit {
  pages: number;
  /** Pages that had an embedded state. */
  statePages: number;
  cards: number;
  present: Record<string, number>;
}

export interface Drift {
  site: string;
  view: string;
  field: string;
  /** The baseline's share (of cards, or of pages for the embedded state). */
  baseline: number;
  /** The share in the unit that started it (then the latest unit's). */
  now: number;
  since: string;
  /** For the embedded state: the fields that fell with it. */
  fields?: string[];
}

/** What a site and view's detector knows, as kept on the drift topic. */
export interface DriftSnapshot {
  site: string;
  view: string;
  baseline: CoverageUnit[];
  drifting: Drift[];
  at: string;
}

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const name = v.pipe(v.string(), v.maxLength(40));
const DriftSchema = v.object({
  site: name,
  view: name,
  field: name,
  baseline: v.number(),
  now: v.number(),
  since: v.string(),
  fields: v.optional(v.array(name)),
});
export const DriftSnapshotSchema = v.object({
  site: name,
  view: name,
  baseline: v.pipe(
    v.array(v.object({ pages: count, statePages: count, cards: count, present: v.record(name, count) })),
    v.maxLength(1000),
  ),
  drifting: v.array(DriftSchema),
  at: v.string(),
});

export function parseDriftSnapshot(value: string | null): DriftSnapshot | null {
  const parsed = v.safeParse(DriftSnapshotSchema, parseJsonText(value));
  return parsed.success ? parsed.output : null;
}
