/**
 * The route's watches: the two compacted topics (shared/keyed-log.ts) read into a WatchBook,
 * and every write made through here: a watch put or deleted, a claim, a run's result. A write
 * returns once it has been read back, so the next request (on this instance) sees it.
 */
import * as v from "valibot";
import type { KeyedLog } from "../../shared/keyed-log.ts";
import { WATCH_ID_PATTERN } from "../../shared/contract/fields.ts";
import { log } from "../../shared/log.ts";
import type { ClaimRecord, RunRecord } from "../../shared/watch/watch-run.ts";
import { type ClaimVerdict, WatchBook, type WatchStatus } from "../../shared/watch/watch-book.ts";
import { defaultName, type Watch, type WatchInput, WatchInputSchema, watchProblems } from "../../shared/watch/watch.ts";
import { limitProblem, targetProblems, type WatchLimits } from "./watch-limits.ts";

export interface WatchTopics {
  watches: string;
  runs: string;
}

export type PutResult =
  | { ok: true; created: boolean; watch: Watch }
  | { ok: false; status: 400 | 422; errors: string[] };

export class WatchStore {
  readonly book: WatchBook;
  private started: Promise<void> | null = null;
  private isReady = false;

  constructor(
    private readonly logs: KeyedLog,
    private readonly topics: WatchTopics,
    private readonly limits: WatchLimits & { runTimeoutMs: number },
    private readonly clock: () => number = Date.now,
  ) {
    this.book = new WatchBook({ pagesPerHourPerHost: limits.pagesPerHour, runTimeoutMs: limits.runTimeoutMs });
  }

  /** Reads both topics whole; `ready` is true once done (a start during an outage keeps trying). */
  start(): Promise<void> {
    return this.started ??= this.logs.start((record) => {
      if (record.topic === this.topics.watches) this.book.applyWatch(record.key, record.value);
      else if (record.topic === this.topics.runs) this.book.applyRun(record.key, record.value);
    }).then(() => {
      this.isReady = true;
      log("info", "watches_loaded", { watches: this.book.size });
    });
  }

  get ready(): boolean {
    return this.isReady;
  }

  catchUp(): Promise<void> {
    return this.logs.catchUp();
  }

  list(): Array<Watch & { status: WatchStatus }> {
    const now = this.clock();
    return this.book.watches().map((w) => ({ ...w, status: this.book.status(w.id, now) }));
  }

  get(id: string): (Watch & { status: WatchStatus }) | null {
    const watch = this.book.watch(id);
    return watch ? { ...watch, status: this.book.status(id, this.clock()) } : null;
  }

  /** Creates or replaces a watch after every check; each problem is one line naming its field. */
  async put(id: string, input: unknown): Promise<PutResult> {
    if (!WATCH_ID_PATTERN.test(id)) {
      return {
        ok: false,
        status: 400,
        errors: ["id must be 1-64 lower-case letters, digits and dashes, not starting or ending with a dash"],
      };
    }
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      return { ok: false, status: 400, errors: ["a watch must be a JSON object with target and period"] };
    }
    const parsed = v.safeParse(WatchInputSchema, input);
    if (!parsed.success) return { ok: false, status: 400, errors: watchProblems(parsed.issues) };
    const problems = targetProblems(parsed.output.target, this.limits);
    if (problems.length) return { ok: false, status: 400, errors: problems };
    await this.catchUp();
    const previous = this.book.watch(id);
    const candidate = { id, ...parsed.output };
    const limit = limitProblem(candidate, this.book.watches(), this.limits);
    if (limit) return { ok: false, status: 422, errors: [limit] };
    const now = new Date(this.clock()).toISOString();
    const watch: Watch = {
      id,
      name: parsed.output.name ?? defaultName(parsed.output.target),
      target: parsed.output.target,
      period: parsed.output.period,
      enabled: parsed.output.enabled,
      ...(parsed.output.alerts ? { alerts: parsed.output.alerts } : {}),
      created_at: previous?.created_at ?? now,
      updated_at: now,
    };
    await this.logs.reached(await this.logs.append(this.topics.watches, id, JSON.stringify(watch)));
    log("info", previous ? "watch_replaced" : "watch_created", { watch_id: id, target: watch.target });
    return { ok: true, created: !previous, watch };
  }

  /** Deletes a watch and its run history (tombstones on both topics); false when there was none. */
  async remove(id: string): Promise<boolean> {
    await this.catchUp();
    if (!this.book.watch(id)) return false;
    const written = await Promise.all([
      this.logs.append(this.topics.watches, id, null),
      this.logs.append(this.topics.runs, id, null),
    ]);
    await Promise.all(written.map((p) => this.logs.reached(p)));
    log("info", "watch_deleted", { watch_id: id });
    return true;
  }

  /** Writes a claim and waits until it is read back: then every reader knows how it was decided. */
  async claim(claim: ClaimRecord): Promise<ClaimVerdict> {
    await this.logs.reached(await this.logs.append(this.topics.runs, claim.watch_id, JSON.stringify(claim)));
    return this.book.verdict(claim.tick_id, claim.watch_id, Date.parse(claim.slot)) ?? "taken";
  }

  async recordRun(run: RunRecord): Promise<void> {
    await this.logs.reached(await this.logs.append(this.topics.runs, run.watch_id, JSON.stringify(run)));
  }

  /** Seeds watches that do not exist yet (a watch changed since through the API is left alone). */
  async seed(watches: ReadonlyArray<{ id: string } & WatchInput>): Promise<void> {
    for (const { id, ...input } of watches) {
      if (this.book.watch(id)) continue;
      const result = await this.put(id, input);
      if (result.ok) log("info", "watch_seeded", { watch_id: id });
      else log("error", "watch_seed_refused", { watch_id: id, errors: result.errors });
    }
  }

  close(): Promise<void> {
    return this.logs.close();
  }
}
