/**
 * A mute link in a person's alert: one alert of a person's watch, sent as one message, says at
 * its end where to silence it (`Silence it: <OFERTAS_PUBLIC_URL>/mute?t=…`), the link signed and
 * expiring (shared/accounts/mute-link.ts). The operator's watches, global rules and digests carry
 * none (a mute belongs to a person; a digest is many alerts). The alert's id and everything else
 * in the message are unchanged.
 */
import type { LinkSigner } from "../shared/accounts/signed-token.ts";
import { muteUrl } from "../shared/accounts/mute-link.ts";
import { DAY_MS } from "../shared/duration.ts";
import type { AlertMessage } from "./channels/message.ts";

export function muteLinks(
  signer: LinkSigner,
  publicUrl: string,
  days: number,
  ownerOf: (watchId: string) => string | undefined,
  now: () => number = Date.now,
): (message: AlertMessage) => Promise<AlertMessage> {
  return async (message) => {
    const [alert] = message.alerts;
    if (!alert || message.alerts.length !== 1 || !alert.watch_id || !alert.site || !alert.item_id) return message;
    const owner = ownerOf(alert.watch_id);
    const rule = alert.rule_key.split(":")[2];
    if (!owner || !rule) return message;
    const token = await signer.sign(
      { o: owner, w: alert.watch_id, r: rule, s: alert.site, i: alert.item_id, t: (alert.title ?? "").slice(0, 80) },
      now() + days * DAY_MS,
    );
    return { ...message, text: `${message.text}\nSilence it: ${muteUrl(publicUrl, token)}` };
  };
}
