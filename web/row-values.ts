/** What warehouse rows hold, as the view's answers carry it (both engines answer the same). */

/** Text, or null. */
export const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** A decimal with two places (money, percentages), or null. */
export const decimalOrNull = (v: unknown): string | null => v === null || v === undefined ? null : Number(v).toFixed(2);
