/**
 * Telegram: `tgram://<bot token>/<chat id>` (the token from the environment: `tgram://${TG_TOKEN}/123`),
 * sent with the Bot API's sendMessage. Telegram answers 200 with {"ok": false, "description": …}
 * for some refusals: only {"ok": true} is a delivery. The text is plain (no parse_mode, so no
 * Markdown or HTML in a title means anything), controls removed (plain-text.ts), at most 4,096
 * characters. OFERTAS_ALERT_TELEGRAM_API points it elsewhere.
 */
import { type Channel, type ChannelAnswer, ChannelConfigError, describeChannel, post } from "./channel.ts";
import type { TargetPolicy } from "./guard.ts";
import type { AlertMessage } from "./message.ts";
import { cut, plainLine, plainText } from "./plain-text.ts";
import { secretsOf } from "./redact.ts";

const MAX_TEXT = 4096;

export function telegramChannel(
  name: string,
  url: URL,
  policy: TargetPolicy,
  api = "https://api.telegram.org",
): Channel {
  // a bot token holds a ':' (id:secret): URL parsing reads it as user:password
  const token = decodeURIComponent(url.username ? `${url.username}:${url.password}` : url.hostname);
  const chat = url.pathname.replace(/^\/+|\/+$/g, "") || (url.username ? url.hostname : "");
  if (!/^\d+:[A-Za-z0-9_-]{20,}$/.test(token) || !/^-?\d{1,20}$|^@[A-Za-z0-9_]{5,32}$/.test(chat)) {
    throw new ChannelConfigError(name, "telegram needs tgram://<bot token>/<chat id>");
  }
  const target = new URL(`/bot${token}/sendMessage`, api);
  // the token, and its secret half alone, never shown, even inside an error the API quotes back
  const secrets = [...secretsOf(url), token, token.slice(token.indexOf(":") + 1)];
  return {
    ...describeChannel(name, url, false),
    maxMessageChars: MAX_TEXT,
    measure: (message) => telegramText(message).length,
    async send(message: AlertMessage): Promise<ChannelAnswer> {
      const { answer, reply } = await post(
        target,
        {
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            chat_id: chat,
            text: cut(telegramText(message), MAX_TEXT),
            link_preview_options: { is_disabled: true },
          }),
        },
        policy,
        secrets,
      );
      let ok = false;
      try {
        ok = (JSON.parse(reply.body) as { ok?: unknown } | null)?.ok === true;
      } catch {
        // not JSON: not a delivery
      }
      return { ...answer, ok: answer.ok && ok };
    },
  };
}

/** The message as Telegram gets it: plain text, whole (cut to MAX_TEXT when sent). */
const telegramText = (message: AlertMessage) => `${plainLine(message.title)}\n${plainText(message.text)}`;
