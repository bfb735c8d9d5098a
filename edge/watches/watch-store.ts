/**
 * The route's watches: the two compacted topics (shared/keyed-log.ts) read into a WatchBook (the
 * catalogue and the run ledger every reader keeps) and the admission of requests (which only the
 * route judges), and every write made through here: a watch put or deleted, a claim, a run's
 * result. A write returns once it has been read back, so the next request (on this instance)
 * sees it; a put and a claim learn their verdict that way, decided in log order.
 */
import * as v from "valibot";
import type { KeyedLog } from "../../shared/keyed-log.ts";
import { WATCH_ID_PATTERN } from "../../shared/contract/fields.ts";
import { log } from "../../shared/log.ts";
import { claimKey, type ClaimRecord, runKey, type RunRecord } from "../../shared/watch/watch-run.ts";
import { type ClaimVerdict, WatchBook, type WatchStatus } from "../../shared/watch/watch-book.ts";
import { PENDING_MS, type PutRequest, WatchAdmission } from "../../shared/watch/watch-admission.ts";
import { putKey } from "../../shared/watch/watch-catalogue.ts";
import { defaultName, type Watch, type WatchInput, WatchInputSchema, watchProblems } from "../../shared/watch/watch.ts";
import { limitProblem, targetProblems, type WatchLimits } from "./watch-limits.ts";

export interface WatchTopics {
  watches: string;
  runs: string;
}

export type PutResult =
  | { ok: true; created: boolean; watch: Watch }
  | { ok: false; status: 400 | 422 | 503; errors: string[] };

export class WatchStore {
  readonly book: WatchBook;
  readonly admission: WatchAdmission;
  private started: Promise<void> | null = null;
  private isReady = false;

  constructor(
    private readonly logs: KeyedLog,
    private readonly topics: WatchTopics,
    private readonly limits: WatchLimits & { runTimeoutMs: number },
    private readonly clock: () => number = Date.now,
    private readonly newRequestId: () => string = () => crypto.randomUUID(),
  ) {
    this.book = new WatchBook({ pagesPerHourPerHost: limits.pagesPerHour, runTimeoutMs: limits.runTimeoutMs });
    this.admission = new WatchAdmission(this.book.catalogue, limits);
  }

  /** Reads both topics whole; `ready` is true once done (a start during an outage keeps trying). */
  start(): Promise<void> {
    return this.started ??= this.logs.start((record) => {
      if (record.topic === this.topics.watches) {
        this.book.applyWatch(record.key, record.value);
        this.admission.apply(record.key, record.value);
      } else if (record.topic === this.topics.runs) this.book.applyRun(record.key, record.value);
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

  /**
   * Creates or replaces a watch after every check; each problem is one line naming its field.
   * The limits are checked here, then decided in log order: the request is appended and read
   * back, and only an accepted one is written as the watch (shared/watch/watch-admission.ts).
   */
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
    const limit = limitProblem(candidate, this.book.watches(), this.limits, this.clock());
    if (limit) return { ok: false, status: 422, errors: [limit] };
    const requestedAt = this.clock();
    const now = new Date(requestedAt).toISOString();
    const watch: Watch = {
      id,
      name: parsed.output.name ?? defaultName(parsed.output.target),
      target: parsed.output.target,
      period: parsed.output.period,
      enabled: parsed.output.enabled,
      ...(parsed.output.alerts ? { alerts: parsed.output.alerts } : {}),
      ...(parsed.output.owner ? { owner: parsed.output.owner } : {}),
      created_at: previous?.created_at ?? now,
      updated_at: now,
    };
    const request: PutRequest = { type: "put", request_id: this.newRequestId(), requested_at: now, watch };
    await this.logs.reached(await this.logs.append(this.topics.watches, putKey(id), JSON.stringify(request)));
    const verdict = this.admission.verdict(request.request_id);
    if (!verdict) throw new Error(`the request to put watch ${id} was read back without a verdict`);
    if (!verdict.accepted) {
      log("info", "watch_refused", { watch_id: id, reason: verdict.reason });
      return { ok: false, status: 422, errors: [verdict.reason] };
    }
    // past half its pending time the acceptance may no longer hold for the requests after it
    if (this.clock() - requestedAt > PENDING_MS / 2) {
      return { ok: false, status: 503, errors: ["Kafka took too long to confirm the watch; send it again"] };
    }
    await this.logs.reached(await this.logs.append(this.topics.watches, id, JSON.stringify(watch)));
    log("info", previous ? "watch_replaced" : "watch_created", { watch_id: id, target: watch.target });
    return { ok: true, created: !previous, watch };
  }

  /** Deletes a watch, its last request and its run history (tombstones on every key); false when there was none. */
  async remove(id: string): Promise<boolean> {
    await this.catchUp();
    if (!this.book.watch(id)) return false;
    const written = await Promise.all([
      this.logs.append(this.topics.watches, id, null),
      this.logs.append(this.topics.watches, putKey(id), null),
      this.logs.append(this.topics.runs, runKey(id), null),
      this.logs.append(this.topics.runs, claimKey(id), null),
    ]);
    await Promise.all(written.map((p) => this.logs.reached(p)));
    log("info", "watch_deleted", { watch_id: id });
    return true;
  }

  /** Writes a claim and waits until it is read back: then every reader knows how it was decided. */
  async claim(claim: ClaimRecord): Promise<ClaimVerdict> {
    const written = await this.logs.append(this.topics.runs, claimKey(claim.watch_id), JSON.stringify(claim));
    await this.logs.reached(written);
    return this.book.ledger.arbiter.verdict(claim.tick_id, claim.watch_id, Date.parse(claim.slot)) ?? "taken";
  }

  async recordRun(run: RunRecord): Promise<void> {
    await this.logs.reached(await this.logs.append(this.topics.runs, runKey(run.watch_id), JSON.stringify(run)));
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
