/**
 * The DuckDB loader children (duckdb-loader.ts) of a local warehouse, each spoken to through
 * shared/rpc/ (a child never outlives the consumer). An idle child is reused for the next job:
 * starting one per load cost ~0.15 s of CPU each time, more than a small load itself
 * (bench/consume). A job that finds no idle child (the daemon's two feeds loading at once, a
 * retry while a timed-out load still runs) gets a new one, so no load waits behind another. A
 * child that died is not reused; one without work for IDLE_MS ends, so an idle consumer does not
 * keep DuckDB's memory.
 */
import { childPort } from "../../shared/rpc/child-port.ts";
import { Rpc, RpcEnded } from "../../shared/rpc/rpc.ts";
import type { LoaderAnswer, LoaderJob } from "./duckdb-loader.ts";

/** A child with no job for this long ends (loads come every interval while data flows). */
const IDLE_MS = 30_000;
/** Idle children kept at most (one per feed of the daemon). */
const MAX_IDLE = 2;

interface Loader {
  rpc: Rpc<LoaderJob, LoaderAnswer>;
  idleTimer: ReturnType<typeof setTimeout> | null;
}

export class LoaderPool {
  private readonly idle: Loader[] = [];
  private closed = false;

  /** `script`: the loader's entry, run with this runtime. */
  constructor(private readonly script: string) {}

  /**
   * Runs the job on an idle child (or a new one), then keeps the child for the next job. A kept
   * child may have died while idle before its end was noticed: the job then runs again on a new
   * child (jobs are idempotent; a load adds only the rows the table lacks).
   */
  async run(job: LoaderJob): Promise<LoaderAnswer> {
    let loader = this.idle.pop();
    while (loader && !loader.rpc.alive) loader = this.idle.pop();
    if (loader) {
      if (loader.idleTimer) clearTimeout(loader.idleTimer);
      try {
        return await loader.rpc.call(job);
      } catch (error) {
        if (!(error instanceof RpcEnded)) throw error;
      } finally {
        this.keepOrStop(loader);
      }
    }
    const fresh: Loader = { rpc: new Rpc(() => childPort(this.script)), idleTimer: null };
    try {
      return await fresh.rpc.call(job);
    } catch (error) {
      throw error instanceof RpcEnded
        ? new Error(`the DuckDB loader ${error.message.replace(/^the other side /, "")}`)
        : error;
    } finally {
      this.keepOrStop(fresh);
    }
  }

  /** Ends the idle children; one under way finishes its job first, then ends. */
  close(): void {
    this.closed = true;
    for (const loader of this.idle.splice(0)) this.stop(loader);
  }

  private keepOrStop(loader: Loader): void {
    if (loader.rpc.alive && !this.closed && this.idle.length < MAX_IDLE) {
      // ends once it has had no job for IDLE_MS; the pending stop never keeps the process alive
      loader.idleTimer = setTimeout(() => {
        const at = this.idle.indexOf(loader);
        if (at >= 0) this.idle.splice(at, 1);
        this.stop(loader);
      }, IDLE_MS);
      (loader.idleTimer as { unref?: () => void }).unref?.();
      this.idle.push(loader);
    } else this.stop(loader);
  }

  /** Ends the child; a job under way is cut short and not committed (DuckDB's write-ahead log). */
  private stop(loader: Loader): void {
    if (loader.idleTimer) clearTimeout(loader.idleTimer);
    loader.rpc.close(loader.rpc.pending > 0);
  }
}
