/**
 * Bounds the scrapes a route runs: `maxConcurrent` at once, `maxQueued` more waiting; beyond
 * that a caller is turned away at once (429) with a Retry-After that estimates when a slot
 * frees up, instead of waiting minutes with the connection open.
 */
export type Admission<T> = { accepted: true; result: Promise<T> } | { accepted: false; retryAfterSeconds: number };

export class ScrapeQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly freed: Array<() => void> = [];
  /** Moving average of a scrape's duration, for Retry-After. */
  private averageMs = 10_000;

  constructor(private readonly maxConcurrent: number, private readonly maxQueued: number) {}

  get depth(): { running: number; queued: number } {
    return { running: this.running, queued: this.waiting.length };
  }

  submit<T>(work: () => Promise<T>): Admission<T> {
    if (this.running >= this.maxConcurrent && this.waiting.length >= this.maxQueued) {
      const ahead = this.running + this.waiting.length;
      return {
        accepted: false,
        retryAfterSeconds: Math.max(1, Math.ceil((this.averageMs * ahead) / this.maxConcurrent / 1000)),
      };
    }
    return { accepted: true, result: this.run(work) };
  }

  /** Resolves when nothing runs and nothing waits (a stop lets the scrapes under way finish). */
  async drained(): Promise<void> {
    while (this.running > 0 || this.waiting.length > 0) await this.whenSlotFrees();
  }

  /** Resolves when a running scrape ends (a slot or a place in the queue frees up). */
  whenSlotFrees(): Promise<void> {
    return new Promise((resolve) => this.freed.push(resolve));
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.maxConcurrent) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // the slot is handed over
    const started = Date.now();
    try {
      return await work();
    } finally {
      this.averageMs = this.averageMs * 0.8 + (Date.now() - started) * 0.2;
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
      for (const resolve of this.freed.splice(0)) resolve();
    }
  }
}
