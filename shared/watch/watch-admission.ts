/**
 * Whether a request to create or replace a watch fits the limits (watch-limits.ts: the number of
 * watches, the per-host budget), decided in log order as claims are, so two PUTs at once cannot
 * both pass. The route appends its request (`put/<id>` on the watches topic: the watch and when it
 * was asked for), reads the topic back up to it, and finds the verdict any reader reaching that
 * record reaches: the request is judged against the watches before it (the catalogue) and the
 * requests accepted shortly before it whose watch is not written yet. Only an accepted request
 * is followed by the watch record under its id; a refused one changes nothing, so compaction
 * (which keeps the last request of each id) can never turn it into a watch.
 *
 * An accepted request whose watch never follows (its writer ended) stops counting PENDING_MS
 * after it by the later requests' own clocks. Only the route judges requests; the limits are its
 * settings, the same on every instance. The budget is counted in each schedule's local time
 * (localCadenceOf: the same on every machine); the route's write-time check adds clock changes.
 */
import * as v from "valibot";
import { MINUTE_MS } from "../duration.ts";
import { log } from "../log.ts";
import { parseJsonText } from "../json-text.ts";
import { utcTimestamp } from "../contract/fields.ts";
import { localCadenceOf } from "./schedule.ts";
import { PUT_KEY_PREFIX, type WatchCatalogue } from "./watch-catalogue.ts";
import { type AdmissionLimits, admissionProblem } from "./watch-limits.ts";
import { type Watch, WatchSchema } from "./watch.ts";

/** How long an accepted request counts while its watch is not written yet. */
export const PENDING_MS = 2 * MINUTE_MS;
/** Verdicts remembered (a writer looks its own up within seconds). */
const VERDICTS_KEPT = 1_000;

export const PutRequestSchema = v.object({
  type: v.literal("put"),
  request_id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  requested_at: utcTimestamp,
  watch: WatchSchema,
});
export type PutRequest = v.InferOutput<typeof PutRequestSchema>;

export type AdmissionVerdict = { accepted: true } | { accepted: false; reason: string };

export class WatchAdmission {
  private readonly pending = new Map<string, { watch: Watch; at: number }>();
  private readonly verdicts = new Map<string, AdmissionVerdict>();

  constructor(private readonly catalogue: WatchCatalogue, private readonly limits: AdmissionLimits) {}

  /** A record of the watches topic, in log order, after the catalogue has applied it. */
  apply(key: string, value: string | null): void {
    if (!key.startsWith(PUT_KEY_PREFIX)) {
      this.pending.delete(key); // its watch was written (or deleted): the catalogue counts it now
      return;
    }
    if (value === null) return;
    const parsed = v.safeParse(PutRequestSchema, parseJsonText(value));
    if (!parsed.success || parsed.output.watch.id !== key.slice(PUT_KEY_PREFIX.length)) {
      log("warn", "watch_request_ignored", { key: key.slice(0, 80), reason: "not a valid request" });
      return;
    }
    const { request_id: requestId, watch } = parsed.output;
    const at = Date.parse(parsed.output.requested_at);
    for (const [id, p] of this.pending) if (p.at <= at - PENDING_MS) this.pending.delete(id);
    const others = [...this.catalogue.watches(), ...[...this.pending.values()].map((p) => p.watch)];
    const problem = admissionProblem(watch, others, this.limits, localCadenceOf);
    if (problem === null) this.pending.set(watch.id, { watch, at });
    this.verdicts.set(requestId, problem === null ? { accepted: true } : { accepted: false, reason: problem });
    if (this.verdicts.size > VERDICTS_KEPT) this.verdicts.delete(this.verdicts.keys().next().value!);
  }

  /** How a request was decided; undefined until its record has been read. */
  verdict(requestId: string): AdmissionVerdict | undefined {
    return this.verdicts.get(requestId);
  }
}
