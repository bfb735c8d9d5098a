/**
 * An item's price history as a server-drawn SVG: the daily low and high, the "original" price
 * shown, the lowest price of the 30 days before the day in question, and the days the item was
 * on offer (claiming a discount) shaded. Days sit on a time scale (a missing day is a gap),
 * labelled weekly; prices on round 1-2-5 ticks (ticks.ts). Every day is a point with its own
 * <title> (its date and prices), shown on hover and read on focus: no script. The 30-day low and
 * the "original" are labelled in the right margin, never over the lines.
 */
import type { HistoryPoint } from "../deals.ts";
import { money } from "./text.ts";
import { ChartAxes } from "./chart-axes.tsx";
import { daysBetween, priceTicks } from "./ticks.ts";

const W = 760, H = 290, LEFT = 88, RIGHT = 150, TOP = 16, BOTTOM = 36;
/** Margin labels closer than this (px) are moved apart. */
const LABEL_GAP = 14;

export function PriceChart(props: { points: HistoryPoint[]; low30: string | null; currency: string | null }) {
  const { points, currency } = props;
  if (points.length === 0) return <p>No history for this item yet.</p>;
  const first = points[0]!.offer_date, last = points[points.length - 1]!.offer_date;
  const values = points.flatMap((p) => [Number(p.min_price), Number(p.max_price), Number(p.original_price ?? NaN)])
    .concat(props.low30 ? [Number(props.low30)] : [])
    .filter((v) => Number.isFinite(v));
  // a little room above and below, so no line runs along the frame
  const [vmin, vmax] = [Math.min(...values), Math.max(...values)];
  const room = (vmax - vmin || vmax || 1) * 0.04;
  const { ticks } = priceTicks(Math.max(0, vmin - room), vmax + room);
  const lo = ticks[0]!, hi = ticks[ticks.length - 1]!;
  const span = Math.max(1, daysBetween(first, last));
  const plotW = W - LEFT - RIGHT;
  const x = (day: string) => LEFT + (points.length > 1 ? (daysBetween(first, day) / span) * plotW : plotW / 2);
  const y = (v: number) => TOP + (H - TOP - BOTTOM) * (1 - (v - lo) / (hi - lo || 1));
  const line = (pick: (p: HistoryPoint) => string | null) =>
    points.filter((p) => pick(p) !== null).map((p) => `${x(p.offer_date).toFixed(1)},${y(Number(pick(p))).toFixed(1)}`)
      .join(" ");
  const band = Math.max(plotW / (span + 1), 4);
  const lastOriginal = [...points].reverse().find((p) => p.original_price !== null)?.original_price ?? null;
  const labels = marginLabels([
    ...(props.low30
      ? [{ cls: "low30", text: `30-day low ${money(props.low30, currency)}`, at: y(Number(props.low30)) }]
      : []),
    ...(lastOriginal
      ? [{ cls: "original", text: `"original" ${money(lastOriginal, currency)}`, at: y(Number(lastOriginal)) }]
      : []),
  ]);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title chart-desc" data-points={points.length}>
        <title id="chart-title">Price history</title>
        <desc id="chart-desc">
          Daily lowest and highest price from {first} to {last}
          {props.low30 ? `; the lowest price of the prior 30 days was ${money(props.low30, currency)}` : ""}.
        </desc>
        {points.map((p) =>
          p.displayed_discount_pct === null ? null : (
            <rect
              class="on-offer"
              x={(x(p.offer_date) - band / 2).toFixed(1)}
              y={TOP}
              width={band.toFixed(1)}
              height={H - TOP - BOTTOM}
            />
          )
        )}
        <ChartAxes
          box={{ width: W, height: H, left: LEFT, right: RIGHT }}
          ticks={ticks}
          x={x}
          y={y}
          first={first}
          last={last}
          currency={currency}
        />
        {props.low30 && (
          <line
            class="low30"
            x1={LEFT}
            x2={W - RIGHT}
            y1={y(Number(props.low30)).toFixed(1)}
            y2={y(Number(props.low30)).toFixed(1)}
            data-price={props.low30}
          />
        )}
        <polyline class="original" points={line((p) => p.original_price)} />
        <polyline class="high" points={line((p) => p.max_price)} />
        <polyline class="low" points={line((p) => p.min_price)} />
        {labels.map((l) => (
          <text class={`margin-label for-${l.cls}`} x={W - RIGHT + 8} y={(l.at + 4).toFixed(1)}>{l.text}</text>
        ))}
        {points.map((p) => (
          <circle
            class="point"
            cx={x(p.offer_date).toFixed(1)}
            cy={y(Number(p.min_price)).toFixed(1)}
            r="4"
            tabindex="0"
            data-date={p.offer_date}
            data-price={p.min_price}
          >
            <title>{pointTitle(p, currency)}</title>
          </circle>
        ))}
      </svg>
      <figcaption>
        <span class="key low">daily low</span> <span class="key high">daily high</span>{" "}
        <span class="key original">"original" price shown</span> <span class="key low30">30-day low</span>{" "}
        <span class="key on-offer">on offer</span>
      </figcaption>
    </figure>
  );
}

/** "2026-06-20: R$ 35,65 (high R$ 40,00; "original" R$ 60,00)". */
function pointTitle(p: HistoryPoint, currency: string | null): string {
  const more = [
    ...(p.max_price !== p.min_price ? [`high ${money(p.max_price, currency)}`] : []),
    ...(p.original_price ? [`"original" ${money(p.original_price, currency)}`] : []),
  ];
  return `${p.offer_date}: ${money(p.min_price, currency)}${more.length ? ` (${more.join("; ")})` : ""}`;
}

/** Labels in the right margin at their line's height, moved apart when they would overlap. */
function marginLabels<L extends { at: number }>(labels: L[]): L[] {
  const sorted = [...labels].sort((a, b) => a.at - b.at);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.at - sorted[i - 1]!.at < LABEL_GAP) sorted[i] = { ...sorted[i]!, at: sorted[i - 1]!.at + LABEL_GAP };
  }
  return sorted;
}
