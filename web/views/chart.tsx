/**
 * An item's price history as a server-drawn SVG: the daily low and high, the "original" price
 * shown, the lowest price of the 30 days before the day in question, and the days the item was
 * on offer (claiming a discount) shaded. Every day is a point with its own <title>.
 */
import type { HistoryPoint } from "../deals.ts";
import { money } from "./text.ts";

const W = 720, H = 280, LEFT = 88, RIGHT = 16, TOP = 16, BOTTOM = 36;

export function PriceChart(props: { points: HistoryPoint[]; low30: string | null; currency: string | null }) {
  const { points } = props;
  if (points.length === 0) return <p>No history for this item yet.</p>;
  const values = points.flatMap((
    p,
  ) => [Number(p.min_price), Number(p.max_price), p.original_price ? Number(p.original_price) : NaN])
    .concat(props.low30 ? [Number(props.low30)] : [])
    .filter((v) => Number.isFinite(v));
  let lo = Math.min(...values), hi = Math.max(...values);
  if (hi === lo) (lo = lo * 0.9), (hi = hi * 1.1 || 1);
  const pad = (hi - lo) * 0.08;
  lo = Math.max(0, lo - pad);
  hi += pad;
  const step = points.length > 1 ? (W - LEFT - RIGHT) / (points.length - 1) : 0;
  const x = (i: number) => LEFT + (points.length > 1 ? i * step : (W - LEFT - RIGHT) / 2);
  const y = (v: number) => TOP + (H - TOP - BOTTOM) * (1 - (v - lo) / (hi - lo));
  const line = (pick: (p: HistoryPoint) => string | null) =>
    points.map((p, i) => (pick(p) === null ? null : `${x(i).toFixed(1)},${y(Number(pick(p))).toFixed(1)}`))
      .filter(Boolean).join(" ");
  const ticks = [lo, lo + (hi - lo) / 2, hi];
  const band = Math.max(step, 4);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title chart-desc" data-points={points.length}>
        <title id="chart-title">Price history</title>
        <desc id="chart-desc">
          Daily lowest and highest price from {points[0]!.offer_date} to {points[points.length - 1]!.offer_date}
          {props.low30 ? `; the lowest price of the prior 30 days was ${money(props.low30, props.currency)}` : ""}.
        </desc>
        {points.map((p, i) =>
          p.displayed_discount_pct !== null
            ? (
              <rect
                class="on-offer"
                x={(x(i) - band / 2).toFixed(1)}
                y={TOP}
                width={band.toFixed(1)}
                height={H - TOP - BOTTOM}
              />
            )
            : null
        )}
        {ticks.map((t) => (
          <g class="tick">
            <line x1={LEFT} x2={W - RIGHT} y1={y(t).toFixed(1)} y2={y(t).toFixed(1)} />
            <text x={LEFT - 6} y={(y(t) + 4).toFixed(1)} text-anchor="end">{money(t.toFixed(2), props.currency)}</text>
          </g>
        ))}
        {props.low30 && (
          <g class="low30" data-price={props.low30}>
            <line
              x1={LEFT}
              x2={W - RIGHT}
              y1={y(Number(props.low30)).toFixed(1)}
              y2={y(Number(props.low30)).toFixed(1)}
            />
            <text x={W - RIGHT} y={(y(Number(props.low30)) - 5).toFixed(1)} text-anchor="end">
              30-day low {money(props.low30, props.currency)}
            </text>
          </g>
        )}
        <polyline class="original" points={line((p) => p.original_price)} />
        {points.map((p, i) =>
          p.original_price === null ? null : (
            <rect
              class="original-mark"
              x={(x(i) - 3).toFixed(1)}
              y={(y(Number(p.original_price)) - 3).toFixed(1)}
              width="6"
              height="6"
            />
          )
        )}
        <polyline class="high" points={line((p) => p.max_price)} />
        <polyline class="low" points={line((p) => p.min_price)} />
        {points.map((p, i) => (
          <circle
            class="point"
            cx={x(i).toFixed(1)}
            cy={y(Number(p.min_price)).toFixed(1)}
            r="3"
            data-date={p.offer_date}
            data-price={p.min_price}
          >
            <title>{p.offer_date}: {money(p.min_price, props.currency)}</title>
          </circle>
        ))}
        <text class="axis" x={LEFT} y={H - 10}>{points[0]!.offer_date}</text>
        <text class="axis" x={W - RIGHT} y={H - 10} text-anchor="end">{points[points.length - 1]!.offer_date}</text>
      </svg>
      <figcaption>
        <span class="key low">daily low</span> <span class="key high">daily high</span>{" "}
        <span class="key original">"original" price shown</span> <span class="key low30">30-day low</span>{" "}
        <span class="key on-offer">on offer</span>
      </figcaption>
    </figure>
  );
}
