/**
 * The watches as the web view shows them: the same compacted topics the route keeps them on,
 * read into the same WatchBook (shared/watch/), so the page agrees with the route about every
 * last and next run. Read-only. Until the topics have been read (or while Kafka is down) the
 * source answers null, and the page says so instead of showing no watches.
 */
import type { KeyedLog } from "../shared/keyed-log.ts";
import { log } from "../shared/log.ts";
import { WatchBook, type WatchBookOptions, type WatchStatus } from "../shared/watch/watch-book.ts";
import type { Watch } from "../shared/watch/watch.ts";

export type WatchView = Watch & { status: WatchStatus };

export interface WatchSource {
  /** Every watch with its status; null while the watches are still being read. */
  list(): WatchView[] | null;
  close(): Promise<void>;
}

export class LogWatchSource implements WatchSource {
  private readonly book: WatchBook;
  private ready = false;

  constructor(
    private readonly logs: KeyedLog,
    topics: { watches: string; runs: string },
    options: WatchBookOptions,
    private readonly clock: () => number = Date.now,
  ) {
    this.book = new WatchBook(options);
    logs.start((record) => {
      if (record.topic === topics.watches) this.book.applyWatch(record.key, record.value);
      else if (record.topic === topics.runs) this.book.applyRun(record.key, record.value);
    }).then(() => (this.ready = true)).catch((error) =>
      log("error", "web_watches_not_loaded", { message: (error as Error).message })
    );
  }

  list(): WatchView[] | null {
    if (!this.ready) return null;
    const now = this.clock();
    return this.book.watches().map((w) => ({ ...w, status: this.book.status(w.id, now) }));
  }

  close(): Promise<void> {
    return this.logs.close();
  }
}

/** A fixed list, for the view's unit and browser tests. */
export class MemoryWatchSource implements WatchSource {
  constructor(public watches: WatchView[] | null) {}
  list(): WatchView[] | null {
    return this.watches;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
