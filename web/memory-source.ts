/** The in-memory twin of the warehouse sources, for the web view's unit tests. */
import type { Deal, HistoryPoint } from "./deals.ts";
import type { DealsSource, ItemHistory } from "./source.ts";

export class MemorySource implements DealsSource {
  readonly kind = "memory";
  reads = 0;

  constructor(
    private readonly byDay: Record<string, Deal[]>,
    private readonly histories: Record<string, HistoryPoint[]> = {},
  ) {}

  version(): Promise<string> {
    return Promise.resolve("1");
  }

  deals(day: string): Promise<Deal[]> {
    this.reads++;
    return Promise.resolve(this.byDay[day] ?? []);
  }

  history(site: string, itemId: string, first: string, last: string): Promise<ItemHistory> {
    const points = (this.histories[`${site}/${itemId}`] ?? []).filter((p) =>
      p.offer_date >= first && p.offer_date <= last
    );
    return Promise.resolve({ site, item_id: itemId, points });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
