/**
 * `GET /products/:site/:id`: one catalog product across its sellers: the verdict of its best price
 * (the scheduled query's), the chart of every seller's price with the best-price line and the
 * periods it was out of stock, and the day's sellers ranked by price with their standing.
 */
import { colourOf, REPUTATION_LEVELS, type ReputationLevel } from "../../shared/contract/seller.ts";
import { leadOverNext, type ProductView, type SellerOffer } from "../product.ts";
import { Layout, type PageContext } from "./layout.tsx";
import { ProductChart } from "./product-chart.tsx";
import { money, percent } from "./text.ts";

export interface ProductPageProps {
  ctx: PageContext;
  view: ProductView;
  first: string;
  last: string;
}

const VERDICT_NAME: Record<string, string> = {
  real: "Real discount",
  inflated: "Inflated",
  insufficient_history: "Not enough history",
};

/** "MercadoLíder Platinum", "MercadoLíder" (silver). */
const LEADER_NAME: Record<string, string> = {
  silver: "MercadoLíder",
  gold: "MercadoLíder Gold",
  platinum: "MercadoLíder Platinum",
};

/** The seller's standing in words, and its reputation's colour (a class), or what is not known. */
export function Standing(
  props: { offer: Pick<SellerOffer, "official_store" | "seller_reputation" | "seller_power_status"> },
) {
  const o = props.offer;
  const level = REPUTATION_LEVELS.includes(o.seller_reputation as ReputationLevel)
    ? colourOf(o.seller_reputation as ReputationLevel)
    : null;
  return (
    <span class="standing">
      {o.official_store ? <span class="badge official">Official store</span> : null} {level
        ? <span class={`reputation rep-${level}`} data-reputation={level}>reputation {level.replace("_", " ")}</span>
        : <span class="reputation unknown">reputation not shown</span>}
      {o.seller_power_status
        ? (
          <>
            {" "}
            <span class="leader">{LEADER_NAME[o.seller_power_status]}</span>
          </>
        )
        : null}
    </span>
  );
}

export function ProductPage(p: ProductPageProps) {
  const { view } = p;
  const title = view.title ?? `${view.site} product ${view.product_id}`;
  const lead = leadOverNext(view.sellers);
  const v = view.verdict;
  return (
    <Layout title={title} ctx={p.ctx}>
      <p class="back">
        <a href={`/?date=${p.last}`}>← Deals of {p.last}</a>
      </p>
      <h1>{title}</h1>
      <p class="product-id">Catalog product {view.product_id}: every seller's listing of it, together.</p>
      {v
        ? (
          <p class="product-verdict">
            <span class={`badge ${v.verdict}`}>{VERDICT_NAME[v.verdict] ?? v.verdict}</span> Best price{" "}
            {money(v.price, view.currency)}
            {v.best_seller ? ` (${v.best_seller})` : ""}: {percent(v.real_discount_pct)}{" "}
            against the lowest price of any seller in the prior 30 days ({money(v.min_price_30d, view.currency)});{" "}
            {v.displayed_discount_pct}% shown.
          </p>
        )
        : <p class="product-verdict">No discount claimed for this product's best price on {p.last}.</p>}
      <ProductChart view={view} first={p.first} last={p.last} />
      <section aria-labelledby="sellers-heading">
        <h2 id="sellers-heading">Sellers on {p.last}</h2>
        {view.sellers.length === 0 ? <p>No seller of this product seen on {p.last}.</p> : (
          <>
            {lead !== null && view.sellers[0] && (
              <p class="lead">
                The cheapest seller is {view.sellers[0].seller ?? view.sellers[0].item_id}, {lead}% under the next.
              </p>
            )}
            <table class="sellers">
              <caption>{view.sellers.length} listing{view.sellers.length === 1 ? "" : "s"}, cheapest first</caption>
              <thead>
                <tr>
                  <th scope="col">Rank</th>
                  <th scope="col">Seller</th>
                  <th scope="col">Price</th>
                  <th scope="col">"Original" shown</th>
                  <th scope="col">Standing</th>
                  <th scope="col">Listing</th>
                </tr>
              </thead>
              <tbody>
                {view.sellers.map((s, i) => (
                  <tr data-item={s.item_id}>
                    <th scope="row">{i + 1}</th>
                    <td>{s.seller ?? "—"}</td>
                    <td>{money(s.price, view.currency)}</td>
                    <td>{money(s.original_price, view.currency)}</td>
                    <td>
                      <Standing offer={s} />
                    </td>
                    <td>
                      <a href={`/items/${view.site}/${s.item_id}?date=${p.last}`}>{s.item_id}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <p>
        <a href={`/api/products/${view.site}/${view.product_id}?date=${p.last}`}>This product as JSON</a>
      </p>
    </Layout>
  );
}
