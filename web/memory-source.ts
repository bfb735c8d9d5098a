/** The in-memory twin of the warehouse sources, for the web view's unit tests. */
import type { AlertQuery, AlertView } from "./alerts.ts";
import type { Deal, HistoryPoint } from "./deals.ts";
import type { ItemMatch, ItemSearch } from "./item-search.ts";
import type { DealsSource, ItemHistory } from "./source.ts";
import type { ProductQuery, ProductView } from "./product.ts";

export class MemorySource implements DealsSource {
  readonly kind = "memory";
  reads = 0;

  constructor(
    private readonly byDay: Record<string, Deal[]>,
    private readonly histories: Record<string, HistoryPoint[]> = {},
    private readonly alertList: AlertView[] = [],
    private readonly itemList: ItemMatch[] = [],
    private readonly products: Record<string, ProductView> = {},
  ) {}

  product(q: ProductQuery): Promise<ProductView> {
    const view = this.products[`${q.site}/${q.productId}`];
    return Promise.resolve(
      view ? { ...view, days: view.days.filter((d) => d.offer_date >= q.first && d.offer_date <= q.last) } : {
        site: q.site,
        product_id: q.productId,
        title: null,
        currency: null,
        days: [],
        sellers: [],
        stock: [],
        verdict: null,
      },
    );
  }

  items(search: ItemSearch): Promise<ItemMatch[]> {
    return Promise.resolve(
      this.itemList.filter((i) =>
        search.words.every((w) => (i.title ?? "").toLowerCase().includes(w)) &&
        (search.site === null || i.site === search.site) && i.last_day >= search.first && i.last_day <= search.last
      ).slice(0, search.limit),
    );
  }

  alerts(query: AlertQuery): Promise<AlertView[]> {
    const f = query.filter;
    return Promise.resolve(
      this.alertList.filter((a) =>
        ("itemId" in f
          ? a.site === f.site && a.item_id === f.itemId
          : "watchId" in f
          ? a.watch_id === f.watchId
          : true) &&
        a.decided_at.slice(0, 10) >= query.first && a.decided_at.slice(0, 10) <= query.last
      ).slice(0, query.limit),
    );
  }

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
