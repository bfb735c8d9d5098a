/**
 * A catalog product's prices as a server-drawn SVG: one line per seller (its lowest price of each
 * day it was seen), the best-price line over them (each day's lowest of the sellers'), and the
 * periods its page showed nothing for sale shaded. Days on a time scale (a missing day is a gap
 * in a seller's line), labelled weekly; prices on round ticks (ticks.ts). Each best-price point
 * has its own <title> (the day, the price, who had it), read on hover or focus: no script.
 */
import { bestLine, outOfStockPeriods, type ProductView } from "../product.ts";
import { money } from "./text.ts";
import { ChartAxes } from "./chart-axes.tsx";
import { daysBetween, priceTicks } from "./ticks.ts";

const W = 760, H = 290, LEFT = 88, RIGHT = 24, TOP = 16, BOTTOM = 36;
/** Seller lines get these many colours (style.css: .seller-0 …), then repeat. */
export const SELLER_COLOURS = 8;

/** The sellers in the order they are drawn and keyed: the one with the most days first. */
export function sellersOf(view: Pick<ProductView, "days">): string[] {
  const days = new Map<string, number>();
  for (const d of view.days) days.set(d.seller_key, (days.get(d.seller_key) ?? 0) + 1);
  return [...days].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
}

export function ProductChart(props: { view: ProductView; first: string; last: string }) {
  const { view, first, last } = props;
  const currency = view.currency;
  if (view.days.length === 0) return <p>No price of this product seen from {first} to {last}.</p>;
  const best = bestLine(view.days);
  const sellers = sellersOf(view);
  const values = view.days.map((d) => Number(d.min_price));
  const [vmin, vmax] = [Math.min(...values), Math.max(...values)];
  const room = (vmax - vmin || vmax || 1) * 0.04;
  const { ticks } = priceTicks(Math.max(0, vmin - room), vmax + room);
  const lo = ticks[0]!, hi = ticks[ticks.length - 1]!;
  const span = Math.max(1, daysBetween(first, last));
  const plotW = W - LEFT - RIGHT;
  const x = (day: string) => LEFT + (daysBetween(first, day) / span) * plotW;
  const y = (v: number) => TOP + (H - TOP - BOTTOM) * (1 - (v - lo) / (hi - lo || 1));
  const band = Math.max(plotW / (span + 1), 4);
  const dayOf = (iso: string) => iso.slice(0, 10);
  const clampDay = (day: string) => (day < first ? first : day > last ? last : day);
  const periods = outOfStockPeriods(view.stock).map((p) => ({
    from: clampDay(dayOf(p.from)),
    to: clampDay(p.to ? dayOf(p.to) : last),
    open: p.to === null,
  }));
  return (
    <figure class="chart product-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby="chart-title chart-desc"
        data-sellers={sellers.length}
        data-best-points={best.length}
      >
        <title id="chart-title">Prices per seller</title>
        <desc id="chart-desc">
          Each seller's lowest price of the day from {first} to {last}, and the best price of each day
          {periods.length ? `; out of stock ${periods.length} time${periods.length === 1 ? "" : "s"}` : ""}.
        </desc>
        {periods.map((p) => (
          <rect
            class="out-of-stock"
            x={(x(p.from) - band / 2).toFixed(1)}
            y={TOP}
            width={Math.max(band, x(p.to) - x(p.from) + band).toFixed(1)}
            height={H - TOP - BOTTOM}
            data-from={p.from}
            data-to={p.to}
          >
            <title>{`Out of stock from ${p.from}${p.open ? "" : ` to ${p.to}`}`}</title>
          </rect>
        ))}
        <ChartAxes
          box={{ width: W, height: H, left: LEFT, right: RIGHT }}
          ticks={ticks}
          x={x}
          y={y}
          first={first}
          last={last}
          currency={currency}
        />
        {sellers.map((key, i) => {
          const own = view.days.filter((d) => d.seller_key === key);
          return (
            <polyline
              class={`seller-line seller-${i % SELLER_COLOURS}`}
              data-seller={key}
              points={own.map((d) => `${x(d.offer_date).toFixed(1)},${y(Number(d.min_price)).toFixed(1)}`).join(" ")}
            />
          );
        })}
        <polyline
          class="best-line"
          points={best.map((b) => `${x(b.offer_date).toFixed(1)},${y(Number(b.price)).toFixed(1)}`).join(" ")}
        />
        {best.map((b) => (
          <circle
            class="point"
            cx={x(b.offer_date).toFixed(1)}
            cy={y(Number(b.price)).toFixed(1)}
            r="4"
            tabindex="0"
            data-date={b.offer_date}
            data-price={b.price}
          >
            <title>{`${b.offer_date}: best ${money(b.price, currency)} (${b.seller_key})`}</title>
          </circle>
        ))}
      </svg>
      <figcaption>
        <span class="key best">best price</span>{" "}
        {sellers.map((key, i) => <span class={`key seller seller-${i % SELLER_COLOURS}`}>{key}</span>)}{" "}
        <span class="key out-of-stock">out of stock</span>
      </figcaption>
    </figure>
  );
}
