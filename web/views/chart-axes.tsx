/**
 * The axes both charts draw (an item's price history, a product's sellers): a line and a label
 * per price tick, and a date label per week. The plot's box is the caller's.
 */
import { money } from "./text.ts";
import { weekTicks } from "./ticks.ts";

export interface PlotBox {
  width: number;
  height: number;
  left: number;
  right: number;
}

export function ChartAxes(props: {
  box: PlotBox;
  ticks: number[];
  x: (day: string) => number;
  y: (price: number) => number;
  first: string;
  last: string;
  currency: string | null;
}) {
  const { box, x, y } = props;
  return (
    <>
      {props.ticks.map((t) => (
        <g class="tick" data-value={t}>
          <line x1={box.left} x2={box.width - box.right} y1={y(t).toFixed(1)} y2={y(t).toFixed(1)} />
          <text x={box.left - 6} y={(y(t) + 4).toFixed(1)} text-anchor="end">
            {money(t.toFixed(2), props.currency)}
          </text>
        </g>
      ))}
      {weekTicks(props.first, props.last).map((day) => (
        <text class="axis week" x={x(day).toFixed(1)} y={box.height - 10} text-anchor="middle" data-date={day}>
          {day.slice(5).replace("-", "/")}
        </text>
      ))}
    </>
  );
}
