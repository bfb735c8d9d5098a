/**
 * The DuckDB loader children (duckdb-loader.ts) of a local warehouse. An idle child is reused for
 * the next job: starting one per load cost ~0.15 s of CPU each time, more than a small load
 * itself (bench/consume). A job that finds no idle child (the daemon's two feeds loading at once,
 * a retry while a timed-out load still runs) gets a new one, so no load waits behind another.
 * A child that died is not reused; one without work for IDLE_MS ends, so an idle consumer does
 * not keep DuckDB's memory.
 */
import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import { createInterface } from "node:readline";
import type { LoaderAnswer, LoaderJob } from "./duckdb-loader.ts";

/** A child with no job for this long ends (loads come every interval while data flows). */
const IDLE_MS = 30_000;
/** Idle children kept at most (one per feed of the daemon). */
const MAX_IDLE = 2;

export class LoaderPool {
  private readonly idle: LoaderProcess[] = [];
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
    while (loader && !loader.alive) loader = this.idle.pop();
    if (loader) {
      try {
        return await loader.run(job);
      } catch (error) {
        if (!(error instanceof LoaderEnded)) throw error;
      } finally {
        this.keepOrStop(loader);
      }
    }
    const fresh = new LoaderProcess(this.script, (ended) => {
      const at = this.idle.indexOf(ended);
      if (at >= 0) this.idle.splice(at, 1);
    });
    try {
      return await fresh.run(job);
    } finally {
      this.keepOrStop(fresh);
    }
  }

  /** Ends the idle children; one under way finishes its job first, then ends. */
  close(): void {
    this.closed = true;
    for (const loader of this.idle.splice(0)) loader.stop();
  }

  private keepOrStop(loader: LoaderProcess): void {
    if (loader.alive && !this.closed && this.idle.length < MAX_IDLE) {
      loader.idleSince();
      this.idle.push(loader);
    } else loader.stop();
  }
}

/** The loader child ended before it answered. */
class LoaderEnded extends Error {}

/** A loader child: one job at a time, one answer line per job line. */
class LoaderProcess {
  private readonly child: ChildProcess;
  private pending: { resolve(answer: LoaderAnswer): void; reject(error: Error): void } | null = null;
  private ended: string | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(script: string, onEnd: (loader: LoaderProcess) => void) {
    this.child = spawn(process.execPath, ["run", script], { stdio: ["pipe", "pipe", "inherit"] });
    createInterface({ input: this.child.stdout!, crlfDelay: Infinity }).on("line", (line) => {
      const pending = this.pending;
      this.pending = null;
      try {
        pending?.resolve(JSON.parse(line) as LoaderAnswer);
      } catch {
        pending?.reject(new Error(`the DuckDB loader answered something else than JSON: ${line.slice(0, 200)}`));
      }
    });
    const end = (why: string) => {
      this.ended ??= why;
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.pending?.reject(new LoaderEnded(`the DuckDB loader ended (${why}) without an answer`));
      this.pending = null;
      onEnd(this);
    };
    this.child.on("error", (error) => end(error.message));
    this.child.on("exit", (code, signal) => end(signal ?? `exit ${code}`));
    this.child.stdin!.on("error", () => {}); // a dead child's pipe: reported by "exit"
  }

  get alive(): boolean {
    return this.ended === null;
  }

  run(job: LoaderJob): Promise<LoaderAnswer> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    return new Promise((resolve, reject) => {
      if (this.ended !== null) return reject(new LoaderEnded(`the DuckDB loader ended (${this.ended})`));
      this.pending = { resolve, reject };
      this.child.stdin!.write(`${JSON.stringify(job)}\n`);
    });
  }

  /** Ends the child once it has had no job for IDLE_MS. */
  idleSince(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), IDLE_MS);
    // a pending idle stop never keeps a process alive that is otherwise done
    (this.idleTimer as { unref?: () => void }).unref?.();
  }

  /** Ends the child; a job under way is not committed (DuckDB's write-ahead log). */
  stop(): void {
    if (this.ended !== null) return;
    if (this.pending) this.child.kill("SIGKILL");
    else this.child.stdin!.end();
  }
}
