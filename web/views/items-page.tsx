/** `GET /items?q=`: items found by words of their titles over the last 30 days, each linking to its chart. */
import type { Verdict } from "../deals.ts";
import type { ItemMatch } from "../item-search.ts";
import { Layout, type PageContext } from "./layout.tsx";
import { money, VERDICT_NAME } from "./text.ts";

export interface FoundItem extends ItemMatch {
  /** Its verdict today, when it is on offer today. */
  verdict: Verdict | null;
}

export interface ItemsPageProps {
  ctx: PageContext;
  q: string;
  site: string | null;
  sites: readonly string[];
  first: string;
  last: string;
  items: FoundItem[];
  total: number;
  page: number;
  pages: number;
  /** Why the search is not one (no word, too many), or null. */
  problem: string | null;
  query: (page: number) => string;
}

/** One listing found: its title, its verdict today, when it was seen last and its lowest price. */
function Found({ item: i }: { item: FoundItem }) {
  return (
    <li class="found" data-item={`${i.site}/${i.item_id}`}>
      <a href={`/items/${i.site}/${i.item_id}?date=${i.last_day}`}>{i.title ?? i.item_id}</a>{" "}
      <span class="site">{i.site}</span> {i.verdict
        ? <span class={`badge ${i.verdict}`}>{VERDICT_NAME[i.verdict]}</span>
        : <span class="muted">not on offer today</span>}
      <span class="muted">
        {` last seen ${i.last_day} at ${money(i.last_price, i.currency)}; lowest ${money(i.min_price, i.currency)}`}
      </span>
    </li>
  );
}

/** Consecutive listings of one product as one group (the route put them side by side); others alone. */
function groupsOf(items: readonly FoundItem[]): FoundItem[][] {
  const groups: FoundItem[][] = [];
  for (const i of items) {
    const last = groups.at(-1)?.[0];
    if (i.product_id && last?.product_id === i.product_id && last.site === i.site) groups.at(-1)!.push(i);
    else groups.push([i]);
  }
  return groups;
}

export function ItemsPage(p: ItemsPageProps) {
  return (
    <Layout title={p.q ? `Items: ${p.q}` : "Find an item"} ctx={p.ctx}>
      <h1>Find an item</h1>
      <form class="filters" method="get" action="/items" role="search">
        <label>
          Words of its title <input type="search" name="q" value={p.q} maxlength={200} required />
        </label>
        <label>
          Site{" "}
          <select name="site">
            <option value="">all</option>
            {p.sites.map((s) => <option value={s} selected={p.site === s}>{s}</option>)}
          </select>
        </label>
        <button type="submit">Find</button>
      </form>
      {p.problem ? <p class="empty">{p.problem}</p> : p.q && (
        <p class="summary">
          {p.total} item{p.total === 1 ? "" : "s"} seen from {p.first} to {p.last}
          <a href={`/api/items${p.query(p.page)}`}>JSON</a>
        </p>
      )}
      {p.q && !p.problem && p.items.length === 0 && <p class="empty">No item seen in those days has every word.</p>}
      {p.items.length > 0 && (
        <ol class="items" start={(p.page - 1) * 48 + 1}>
          {groupsOf(p.items).map((g) =>
            g.length === 1 && !g[0]!.product_id
              ? <Found item={g[0]!} />
              : (
                <li class="product-group" data-product={`${g[0]!.site}/${g[0]!.product_id}`}>
                  <a href={`/products/${g[0]!.site}/${g[0]!.product_id}?date=${p.last}`}>
                    {g.length} listing{g.length === 1 ? "" : "s"} of catalog product {g[0]!.product_id}
                  </a>
                  <span class="muted">
                    {` lowest ${
                      money(
                        g.map((i) => i.min_price).filter((m): m is string => m !== null)
                          .sort((a, b) => Number(a) - Number(b))[0] ?? null,
                        g[0]!.currency,
                      )
                    } across its sellers`}
                  </span>
                  <ul>{g.map((i) => <Found item={i} />)}</ul>
                </li>
              )
          )}
        </ol>
      )}
      {p.pages > 1 && (
        <nav class="pages" aria-label="Pages">
          {p.page > 1 && <a href={p.query(p.page - 1)} rel="prev">Previous</a>}
          <span>Page {p.page} of {p.pages}</span>
          {p.page < p.pages && <a href={p.query(p.page + 1)} rel="next">Next</a>}
        </nav>
      )}
    </Layout>
  );
}
