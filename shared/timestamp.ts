/** ISO-8601 instants in UTC only ("2026-06-17T03:00:00Z", optional fraction). */
export const UTC_TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/;

/** True for a well-formed UTC timestamp naming a real instant (no Feb 30, no 25:00). */
export function isUtcTimestamp(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const m = UTC_TIMESTAMP_PATTERN.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[] as [number, number, number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return (
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === mo - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === h &&
    t.getUTCMinutes() === mi &&
    t.getUTCSeconds() === s
  );
}

/** Offers are dated in Brazil's civil time: the partition a deal belongs to. */
export const OFFER_TIME_ZONE = "America/Sao_Paulo";

const dateInZone = new Intl.DateTimeFormat("en-CA", {
  timeZone: OFFER_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** Calendar date (YYYY-MM-DD) of a UTC instant in America/Sao_Paulo. */
export function offerDate(utcTimestamp: string): string {
  if (!isUtcTimestamp(utcTimestamp)) throw new RangeError(`not a UTC timestamp: ${utcTimestamp}`);
  return dateInZone.format(new Date(utcTimestamp));
}

export function nowUtc(): string {
  return new Date().toISOString();
}
