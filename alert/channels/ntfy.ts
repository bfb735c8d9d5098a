/**
 * ntfy (https://ntfy.sh or a server of your own): `ntfys://host/topic` (https) or `ntfy://host/topic`
 * (http, loopback only). The message is the body; title, priority and tags are headers; a
 * token (`?token=…`, `${NAME}` for the secret) goes as a bearer token. The topic is a secret too
 * (on ntfy.sh anyone who knows it can read it): it never appears in a shown URL or answer.
 * The title header is ASCII or RFC 2047 words (ntfy-header.ts); the body is plain text cut to
 * ntfy's 4,096 bytes (beyond, ntfy would turn it into an attachment).
 */
import { type Channel, type ChannelAnswer, ChannelConfigError, describeChannel, post } from "./channel.ts";
import type { TargetPolicy } from "./guard.ts";
import type { AlertMessage } from "./message.ts";
import { headerUrl, ntfyHeader } from "./ntfy-header.ts";
import { cut, plainLine, plainText } from "./plain-text.ts";
import { secretsOf } from "./redact.ts";

const PRIORITIES = ["1", "2", "3", "4", "5", "min", "low", "default", "high", "max", "urgent"];
/** ntfy's message limit in bytes; a character is at most 3 UTF-8 bytes per UTF-16 unit. */
const MAX_BODY_UNITS = Math.floor(4096 / 3);

export function ntfyChannel(name: string, url: URL, policy: TargetPolicy): Channel {
  const topic = url.pathname.replace(/^\/+|\/+$/g, "");
  if (!url.hostname || !/^[A-Za-z0-9_-]{1,64}$/.test(topic)) {
    throw new ChannelConfigError(name, "ntfy needs a host and a topic: ntfys://ntfy.sh/my-topic");
  }
  const target = new URL(`${url.protocol === "ntfys:" ? "https:" : "http:"}//${url.host}/${topic}`);
  const token = url.searchParams.get("token") ?? (url.password ? decodeURIComponent(url.password) : null);
  const priority = url.searchParams.get("priority") ?? "default";
  if (!PRIORITIES.includes(priority)) throw new ChannelConfigError(name, `priority must be one of ${PRIORITIES}`);
  if (token !== null && !/^[\x21-\x7e]{1,200}$/.test(token)) {
    throw new ChannelConfigError(name, "the ntfy token must be printable ASCII");
  }
  const secrets = [...secretsOf(url), topic];
  return {
    ...describeChannel(name, url, false),
    maxMessageChars: MAX_BODY_UNITS,
    measure: (message) => ntfyBody(message).length,
    async send(message: AlertMessage, idempotencyKey: string): Promise<ChannelAnswer> {
      const headers: Record<string, string> = {
        title: ntfyHeader(message.title),
        priority,
        tags: message.test ? "test_tube" : "moneybag",
        "x-ofertas-alert-id": ntfyHeader(idempotencyKey, 64),
        "content-type": "text/plain; charset=utf-8",
      };
      const click = headerUrl(message.url);
      if (click) headers.click = click;
      if (token) headers.authorization = `Bearer ${token}`;
      const body = cut(ntfyBody(message), MAX_BODY_UNITS);
      return (await post(target, { headers, body }, policy, secrets)).answer;
    },
  };
}

/** The body as ntfy gets it: plain text, whole (cut to MAX_BODY_UNITS when sent). */
const ntfyBody = (message: AlertMessage) => `${plainLine(message.title)}\n${plainText(message.text)}`;
