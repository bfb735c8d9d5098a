/**
 * The generic webhook: `jsons://host/path` (https) or `json://host/path` (http, loopback only).
 * POSTs the alert as JSON with an `Idempotency-Key` header (the alert id: a receiver drops a
 * re-delivery by it) and, with `?secret=…` (or `${NAME}`), `X-Ofertas-Signature: sha256=<hex>`,
 * the HMAC-SHA256 of the body with that secret.
 */
import { answerOf, type Channel, type ChannelAnswer, ChannelConfigError, describeChannel } from "./channel.ts";
import { checkTarget, type TargetPolicy } from "./guard.ts";
import type { AlertMessage } from "./message.ts";

const OWN_PARAMS = ["secret", "digest"];

async function hmacHex(secret: string, body: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(body)));
  return Array.from(signature, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function webhookChannel(
  name: string,
  url: URL,
  policy: TargetPolicy,
  fetchImpl: typeof fetch = fetch,
): Channel {
  if (!url.hostname) throw new ChannelConfigError(name, "a webhook needs a host");
  // a URL cannot change from json: to http: in place (a special scheme): it is rebuilt
  const target = new URL(`${url.protocol === "jsons:" ? "https:" : "http:"}//${url.host}${url.pathname}${url.search}`);
  const secret = url.searchParams.get("secret");
  for (const p of OWN_PARAMS) target.searchParams.delete(p);
  return {
    ...describeChannel(name, url, true),
    async send(message: AlertMessage, idempotencyKey: string): Promise<ChannelAnswer> {
      await checkTarget(target, policy);
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
      };
      if (secret) headers["x-ofertas-signature"] = `sha256=${await hmacHex(secret, body)}`;
      return answerOf(
        await fetchImpl(target, {
          method: "POST",
          headers,
          body,
          redirect: "manual",
          signal: AbortSignal.timeout(15_000),
        }),
      );
    },
  };
}
