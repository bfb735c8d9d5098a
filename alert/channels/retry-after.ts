/**
 * How long a channel asked us to wait, read with care: an HTTP `Retry-After` (delay-seconds or
 * an HTTP-date, RFC 9110 §10.2.3) or Discord's JSON `retry_after` (seconds, fractional). What is
 * not a finite, non-negative wait is ignored, and every wait is clamped to MAX_RETRY_AFTER_MS: a
 * channel answering `Retry-After: 1e308` must not park its alerts until the next restart. The
 * deliverer bounds it further by the channel's own maximum back-off.
 */

/** The longest wait a channel's answer can ask for: one hour. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/** Seconds → ms, clamped; undefined for what is not a finite, non-negative number. */
const clampSeconds = (seconds: number): number | undefined =>
  Number.isFinite(seconds) && seconds >= 0 ? Math.min(Math.ceil(seconds * 1000), MAX_RETRY_AFTER_MS) : undefined;

/** An HTTP-date: IMF-fixdate, or the obsolete RFC 850 and asctime forms (all GMT). */
const HTTP_DATE =
  /^(?:[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/;

/** A Retry-After header in ms from `now`; undefined when absent or not a wait. */
export function retryAfterHeaderMs(value: string | null, now = Date.now()): number | undefined {
  const text = value?.trim() ?? "";
  if (text.length === 0 || text.length > 64) return undefined;
  // delay-seconds is 1*DIGIT; a fraction is tolerated, an exponent or a sign is not
  if (/^\d+(\.\d+)?$/.test(text)) return clampSeconds(Number(text));
  if (!HTTP_DATE.test(text)) return undefined;
  const at = Date.parse(/GMT$/.test(text) ? text : `${text} GMT`);
  return Number.isFinite(at) ? clampSeconds(Math.max(0, at - now) / 1000) : undefined;
}

/** Discord's `retry_after` (seconds) from a 429's JSON body; undefined when absent or not a wait. */
export function discordRetryAfterMs(body: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const seconds = (parsed as { retry_after?: unknown } | null)?.retry_after;
  return typeof seconds === "number" ? clampSeconds(seconds) : undefined;
}
