/** `GET /`: a day's offers ranked by real discount, with filters, pages and downloads. Works without script. */
import { type Deal, type DealsFilter, VERDICTS } from "../deals.ts";
import { Layout, type PageContext } from "./layout.tsx";
import { Standing } from "./product-page.tsx";
import { money, percent, VERDICT_NAME, why } from "./text.ts";

export interface DealsPageProps {
  ctx: PageContext;
  day: string;
  today: string;
  filter: DealsFilter;
  deals: Deal[];
  total: number;
  counts: Record<string, number>;
  page: number;
  pages: number;
  sites: string[];
  labels: string[];
  /** Watches to filter by (id and name). */
  watches: Array<{ id: string; name: string }>;
  query: (changes: Record<string, string | number | undefined>) => string;
  /** When the list shown was read, and whether newer data is being read meanwhile. */
  asOf: string;
  updating: boolean;
}

export function DealsPage(p: DealsPageProps) {
  return (
    <Layout title={`Deals of ${p.day}`} ctx={p.ctx}>
      <h1>Deals of {p.day}</h1>
      <form class="filters" method="get" action="/">
        <label>
          Day <input type="date" name="date" value={p.day} max={p.today} />
        </label>
        <label>
          Site{" "}
          <select name="site">
            <option value="">all</option>
            {p.sites.map((s) => <option value={s} selected={p.filter.site === s}>{s}</option>)}
          </select>
        </label>
        <label>
          Label{" "}
          <select name="label">
            <option value="">any</option>
            {p.labels.map((l) => <option value={l} selected={p.filter.label === l}>{l}</option>)}
          </select>
        </label>
        <label>
          Verdict{" "}
          <select name="verdict">
            <option value="">any</option>
            {VERDICTS.map((v) => <option value={v} selected={p.filter.verdict === v}>{VERDICT_NAME[v]}</option>)}
          </select>
        </label>
        {p.watches.length > 0 && (
          <label>
            Watch{" "}
            <select name="watch">
              <option value="">any</option>
              {p.watches.map((w) => <option value={w.id} selected={p.filter.watch === w.id}>{w.name}</option>)}
            </select>
          </label>
        )}
        <label>
          Title contains <input type="search" name="q" value={p.filter.q ?? ""} maxlength={200} />
        </label>
        <button type="submit">Show</button>
      </form>
      <p class="summary">
        {p.total} offer{p.total === 1 ? "" : "s"} claiming a discount
        {VERDICTS.map((v) => <span class={`count ${v}`}>{VERDICT_NAME[v]}: {p.counts[v] ?? 0}</span>)}
        <a href={`/api/deals${p.query({ page: undefined })}`}>JSON</a>
        <a href={`/deals.csv${p.query({ page: undefined })}`}>CSV</a>
      </p>
      {p.updating && (
        <p class="updating" role="status">
          Updating: newer offers are being read; this is the list as of {p.asOf.slice(11, 16)} UTC. Reload in a moment.
        </p>
      )}
      {p.deals.length === 0
        ? (
          <p class="empty">
            No offers match. {p.total === 0
              ? (p.updating ? "Nothing was loaded as of then." : "Nothing was loaded for this day yet.")
              : ""}
          </p>
        )
        : (
          <ol class="deals" start={(p.page - 1) * 48 + 1}>
            {p.deals.map((d) => <DealItem deal={d} day={p.day} />)}
          </ol>
        )}
      {p.pages > 1 && <Pages page={p.page} pages={p.pages} query={p.query} />}
    </Layout>
  );
}

function DealItem({ deal: d, day }: { deal: Deal; day: string }) {
  return (
    <li class="deal" data-item={`${d.site}/${d.item_id}`} data-verdict={d.verdict}>
      {d.image_url ? <img src={d.image_url} alt="" loading="lazy" width="96" height="96" /> : <span class="noimg" />}
      <div class="body">
        <h2>
          <a href={`/items/${d.site}/${d.item_id}?date=${day}`}>{d.title ?? d.item_id}</a>
        </h2>
        <p>
          <span class={`badge ${d.verdict}`}>{VERDICT_NAME[d.verdict]}</span>
          {d.label && <span class="label">{d.label}</span>}
          <span class="site">{d.site}</span>
        </p>
        <p class="seller">
          {d.seller ? <>Sold by {d.seller}:{" "}</> : null}
          <Standing
            offer={{
              official_store: d.official_store ?? false,
              seller_reputation: d.seller_reputation ?? null,
              seller_power_status: d.seller_power_status ?? null,
            }}
          />
          {d.product_id
            ? (
              <>
                {" "}
                <a class="product-link" href={`/products/${d.site}/${d.product_id}?date=${day}`}>
                  every seller of this product
                </a>
              </>
            )
            : null}
        </p>
        <p class="why">{why(d)}</p>
      </div>
      <dl class="prices">
        <dt>Price</dt>
        <dd class="price">{money(d.price, d.currency)}</dd>
        <dt>"Original"</dt>
        <dd>
          <s>{money(d.original_price, d.currency)}</s>
        </dd>
        <dt>Discount shown / real</dt>
        <dd>
          {d.displayed_discount_pct}% / <strong>{percent(d.real_discount_pct)}</strong>
        </dd>
        <dt>30-day low</dt>
        <dd>{money(d.min_price_30d, d.currency)}</dd>
        <dd class="out">
          <a href={d.url} rel="noopener noreferrer nofollow" referrerpolicy="no-referrer">
            Open the listing<span class="sr">on Mercado Livre</span>
          </a>
        </dd>
      </dl>
    </li>
  );
}

function Pages(p: { page: number; pages: number; query: DealsPageProps["query"] }) {
  const numbers = [...new Set([1, p.page - 1, p.page, p.page + 1, p.pages])].filter((n) => n >= 1 && n <= p.pages);
  return (
    <nav class="pages" aria-label="Pages">
      {p.page > 1 ? <a rel="prev" href={`/${p.query({ page: p.page - 1 })}`}>Previous</a> : <span>Previous</span>}
      {numbers.map((n) =>
        n === p.page ? <span aria-current="page">{n}</span> : <a href={`/${p.query({ page: n })}`}>{n}</a>
      )}
      {p.page < p.pages ? <a rel="next" href={`/${p.query({ page: p.page + 1 })}`}>Next</a> : <span>Next</span>}
    </nav>
  );
}
