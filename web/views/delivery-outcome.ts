/**
 * What a public page says of an alert's delivery on one channel: the outcome, the status code
 * of the channel's last answer and the attempts ("retrying (500; 2 attempts)"), never the
 * channel's reply text (web/alerts.ts does not even read it out).
 */
import type { AlertDelivery } from "../alerts.ts";

export function deliveryOutcome(d: Pick<AlertDelivery, "state" | "attempts" | "status">): string {
  if (d.state !== "retrying") return d.state;
  return `retrying (${d.status ?? "no answer"}; ${d.attempts} attempt${d.attempts === 1 ? "" : "s"})`;
}
