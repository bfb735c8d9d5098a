/** ISO-8601 instants in UTC only ("2026-06-17T03:00:00Z", optional fraction). */
export const UTC_TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The instant of a well-formed UTC timestamp in milliseconds, or null (no Feb 30, no 25:00).
 * `fractionDigits` bounds the decimals of the seconds. Arithmetic only: it runs once per offer.
 */
export function utcMillis(value: unknown, fractionDigits = 9): number | null {
  // digits read by hand, not by a regex: it runs for every offer's timestamps
  if (typeof value !== "string" || value.length < 20 || value.charCodeAt(value.length - 1) !== 90 /* Z */) return null;
  const y = digits(value, 0, 4), mo = digits(value, 5, 2), d = digits(value, 8, 2);
  const h = digits(value, 11, 2), mi = digits(value, 14, 2), s = digits(value, 17, 2);
  if (
    y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0 || value[4] !== "-" || value[7] !== "-" ||
    value[10] !== "T" || value[13] !== ":" || value[16] !== ":"
  ) return null;
  let ms = 0;
  if (value.length > 20) {
    const fraction = value.length - 21;
    if (value[19] !== "." || fraction < 1 || fraction > Math.min(9, fractionDigits)) return null;
    const f = digits(value, 20, fraction);
    if (f < 0) return null;
    ms = Math.floor(f / 10 ** (fraction - 3));
  }
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1]! + (leap ? 1 : 0) || h > 23 || mi > 59 || s > 59) {
    return null;
  }
  if (y >= 100) return Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const early = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms)); // Date.UTC reads years 0-99 as 19xx
  early.setUTCFullYear(y);
  return early.getTime();
}

/** The decimal number in value[at, at+length), or -1 when a character is not a digit. */
function digits(value: string, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i++) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** True for a well-formed UTC timestamp naming a real instant (no Feb 30, no 25:00). */
export function isUtcTimestamp(value: unknown): value is string {
  return utcMillis(value) !== null;
}

/** Offers are dated in Brazil's civil time: the partition a deal belongs to. */
export const OFFER_TIME_ZONE = "America/Sao_Paulo";

const dateInZone = new Intl.DateTimeFormat("en-CA", {
  timeZone: OFFER_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The zone's date changes only on hour boundaries: one Intl call per hour, not per offer. */
const dateOfHour = new Map<number, string>();

/** Calendar date (YYYY-MM-DD) of a UTC instant in America/Sao_Paulo. */
export function offerDate(utcTimestamp: string): string {
  const ms = utcMillis(utcTimestamp);
  if (ms === null) throw new RangeError(`not a UTC timestamp: ${utcTimestamp}`);
  const hour = Math.floor(ms / 3_600_000);
  let date = dateOfHour.get(hour);
  if (date === undefined) {
    if (dateOfHour.size > 10_000) dateOfHour.clear();
    date = dateInZone.format(new Date(ms));
    dateOfHour.set(hour, date);
  }
  return date;
}

export function nowUtc(): string {
  return new Date().toISOString();
}
