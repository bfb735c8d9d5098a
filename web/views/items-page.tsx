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
          {p.items.map((i) => (
            <li class="found" data-item={`${i.site}/${i.item_id}`}>
              <a href={`/items/${i.site}/${i.item_id}?date=${i.last_day}`}>{i.title ?? i.item_id}</a>{" "}
              <span class="site">{i.site}</span> {i.verdict
                ? <span class={`badge ${i.verdict}`}>{VERDICT_NAME[i.verdict]}</span>
                : <span class="muted">not on offer today</span>}
              <span class="muted">
                {` last seen ${i.last_day} at ${money(i.last_price, i.currency)}; lowest ${
                  money(i.min_price, i.currency)
                }`}
              </span>
            </li>
          ))}
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
