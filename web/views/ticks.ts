/** Axis ticks people read at a glance: prices on 1-2-5 steps, days on weeks. */

/** Ticks covering [lo, hi] on a step of 1, 2 or 5 times a power of ten, about `count` of them. */
export function priceTicks(lo: number, hi: number, count = 5): { ticks: number[]; step: number } {
  if (!(hi > lo)) hi = lo + 1;
  const rough = (hi - lo) / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  const first = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  // cents are kept exact: round each tick to the step's precision
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  for (let i = 0; i < 100; i++) {
    const t = Number((first + i * step).toFixed(digits));
    ticks.push(t);
    if (t >= hi) break;
  }
  return { ticks, step };
}

/** Every 7th day from the first (YYYY-MM-DD), the first included. */
export function weekTicks(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 7 * 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** Days between two YYYY-MM-DD dates. */
export const daysBetween = (a: string, b: string) =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
