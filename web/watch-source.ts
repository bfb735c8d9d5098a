/**
 * The watches as the web view shows them: the watches' own store (edge/watches/watch-store.ts,
 * started by web/accounts/start-people.ts) reading the same compacted topics as the route, so
 * the page agrees with the route about every last and next run. Until the topics have been read
 * (or while Kafka is down) the source answers null, and the page says so instead of showing no
 * watches.
 */
import type { WatchStatus } from "../shared/watch/watch-book.ts";
import type { Watch } from "../shared/watch/watch.ts";

export type WatchView = Watch & { status: WatchStatus };

export interface WatchSource {
  /** Every watch with its status; null while the watches are still being read. */
  list(): WatchView[] | null;
  close(): Promise<void>;
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
