/** `GET /items/:site/:id`: one item's price history as a chart and as the same data in a table. */
import type { AlertView } from "../alerts.ts";
import type { Deal, HistoryPoint } from "../deals.ts";
import { AlertList } from "./alert-list.tsx";
import { PriceChart } from "./chart.tsx";
import { Layout, type PageContext } from "./layout.tsx";
import { money, VERDICT_NAME, why } from "./text.ts";

export interface ItemPageProps {
  ctx: PageContext;
  site: string;
  itemId: string;
  day: string;
  deal: Deal | null;
  points: HistoryPoint[];
  alerts: AlertView[];
  /** The catalog product the listing belongs to: its page shows every seller of it. */
  productId?: string | null;
}

export function ItemPage(p: ItemPageProps) {
  const title = p.deal?.title ?? `${p.site} ${p.itemId}`;
  const currency = p.deal?.currency ?? null;
  return (
    <Layout title={title} ctx={p.ctx}>
      <p class="back">
        <a href={`/?date=${p.day}`}>← Deals of {p.day}</a>
      </p>
      <h1>{title}</h1>
      {p.productId
        ? (
          <p class="product-link">
            One listing of catalog product{" "}
            <a href={`/products/${p.site}/${p.productId}?date=${p.day}`}>{p.productId}: every seller, the best price</a>
          </p>
        )
        : null}
      {p.deal
        ? (
          <p>
            <span class={`badge ${p.deal.verdict}`}>{VERDICT_NAME[p.deal.verdict]}</span> {why(p.deal)}{" "}
            <a href={p.deal.url} rel="noopener noreferrer nofollow" referrerpolicy="no-referrer">Open the listing</a>
          </p>
        )
        : <p>No discount claimed for this item on {p.day}.</p>}
      <PriceChart points={p.points} low30={p.deal?.min_price_30d ?? null} currency={currency} />
      <table class="history">
        <caption>Price history, {p.points.length} day{p.points.length === 1 ? "" : "s"}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Low</th>
            <th scope="col">High</th>
            <th scope="col">Last</th>
            <th scope="col">"Original" shown</th>
            <th scope="col">Discount shown</th>
            <th scope="col">Labels</th>
          </tr>
        </thead>
        <tbody>
          {p.points.map((h) => (
            <tr class={h.displayed_discount_pct !== null ? "on-offer" : undefined}>
              <th scope="row">{h.offer_date}</th>
              <td>{money(h.min_price, currency)}</td>
              <td>{money(h.max_price, currency)}</td>
              <td>{money(h.last_price, currency)}</td>
              <td>{money(h.original_price, currency)}</td>
              <td>{h.displayed_discount_pct === null ? "—" : `${h.displayed_discount_pct}%`}</td>
              <td>{h.labels.join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="item-alerts" aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">Alerts</h2>
        {p.alerts.length === 0 ? <p>No alert about this item yet.</p> : <AlertList alerts={p.alerts} />}
      </section>
      <p>
        <a href={`/api/items/${p.site}/${p.itemId}/history?date=${p.day}`}>This history as JSON</a>
      </p>
    </Layout>
  );
}
