/**
 * The generic webhook: `jsons://host/path` (https) or `json://host/path` (http, loopback only).
 * POSTs the alert as JSON with an `Idempotency-Key` header (the alert id: a receiver drops a
 * re-delivery by it) and, with `?secret=…` (or `${NAME}`), a Standard Webhooks signature
 * (webhook-id, webhook-timestamp, webhook-signature: webhook-signature.ts), which binds the body
 * to the moment it was sent so that a captured request cannot be replayed later.
 */
import { type Channel, type ChannelAnswer, ChannelConfigError, describeChannel, post } from "./channel.ts";
import type { TargetPolicy } from "./guard.ts";
import type { AlertMessage } from "./message.ts";
import { secretsOf } from "./redact.ts";
import { signatureHeaders, webhookKey } from "./webhook-signature.ts";

/** Parameters of ours, not forwarded to the receiver. */
const OWN_PARAMS = ["secret", "digest"];

export function webhookChannel(name: string, url: URL, policy: TargetPolicy): Channel {
  if (!url.hostname) throw new ChannelConfigError(name, "a webhook needs a host");
  // a URL cannot change from json: to http: in place (a special scheme): it is rebuilt
  const target = new URL(`${url.protocol === "jsons:" ? "https:" : "http:"}//${url.host}${url.pathname}${url.search}`);
  const secret = url.searchParams.get("secret");
  let key: Uint8Array | null = null;
  try {
    key = secret ? webhookKey(secret) : null;
  } catch (error) {
    throw new ChannelConfigError(name, (error as Error).message);
  }
  for (const p of OWN_PARAMS) target.searchParams.delete(p);
  const secrets = secretsOf(url);
  return {
    ...describeChannel(name, url, true),
    async send(message: AlertMessage, idempotencyKey: string): Promise<ChannelAnswer> {
      // JSON.stringify is this boundary's escaping: a title is a JSON string, whatever it holds
      const body = JSON.stringify({
        title: message.title,
        text: message.text,
        url: message.url,
        test: message.test ?? false,
        alerts: message.alerts,
      });
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "idempotency-key": idempotencyKey,
        "user-agent": "ofertas-alerter",
        ...(key ? await signatureHeaders(key, idempotencyKey, body) : {}),
      };
      return (await post(target, { headers, body }, policy, secrets)).answer;
    },
  };
}
