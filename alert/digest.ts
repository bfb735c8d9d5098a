/**
 * A digest is what waited on a channel, told in as few messages as fit the channel's limit
 * (Discord 2,000 characters, Telegram 4,096, ntfy 4,096 bytes): alerts are packed in order, each
 * whole into one message, so an alert counts as delivered only when the message that carries it
 * was accepted. An alert too long for any message goes alone (the channel shortens it).
 */
import type { Alert } from "../shared/alert/alert-record.ts";
import type { Channel } from "./channels/channel.ts";
import { type AlertMessage, messageOf } from "./channels/message.ts";

/** How long a message is once the channel has written it; absent: title and text as they are. */
export type Measure = (message: AlertMessage) => number;

const plainLength: Measure = (m) => m.title.length + 1 + m.text.length;

function digestOf(alerts: Alert[], period: "hourly" | "daily", part: number, parts: number | null): AlertMessage {
  const counted = `${alerts.length} alert${alerts.length === 1 ? "" : "s"}`;
  const which = parts === null ? "" : `, part ${part} of ${parts}`;
  const title = `ofertas: ${counted} (${period} digest${which})`;
  const text = alerts.map((a) => `• ${messageOf(a).title}\n  ${a.why}${a.url ? `\n  ${a.url}` : ""}`).join("\n");
  return { title, text, url: null, alerts };
}

/** The alerts as digest messages, each within the channel's limit. */
export function digestMessages(
  alerts: readonly Alert[],
  period: "hourly" | "daily",
  channel: Pick<Channel, "maxMessageChars" | "measure">,
): AlertMessage[] {
  const limit = channel.maxMessageChars ?? Infinity;
  if (limit === Infinity || alerts.length === 0) return alerts.length ? [digestOf([...alerts], period, 1, null)] : [];
  const measure = channel.measure ?? plainLength;
  // the part numbers take room too: measured with the longest header a split can have
  const fits = (group: Alert[]) => measure(digestOf(group, period, alerts.length, alerts.length)) <= limit;
  const groups: Alert[][] = [];
  let current: Alert[] = [];
  for (const alert of alerts) {
    if (current.length && !fits([...current, alert])) {
      groups.push(current);
      current = [];
    }
    current.push(alert);
  }
  if (current.length) groups.push(current);
  if (groups.length === 1) return [digestOf(groups[0]!, period, 1, null)];
  return groups.map((g, i) => digestOf(g, period, i + 1, groups.length));
}
