/**
 * Telegram: `tgram://<bot token>/<chat id>` (the token from the environment: `tgram://${TG_TOKEN}/123`),
 * sent with the Bot API's sendMessage. Telegram answers 200 with {"ok": false, "description": …}
 * for some refusals: only {"ok": true} is a delivery. OFERTAS_ALERT_TELEGRAM_API points it elsewhere.
 */
import { answerOf, type Channel, type ChannelAnswer, ChannelConfigError, describeChannel } from "./channel.ts";
import { checkTarget, type TargetPolicy } from "./guard.ts";
import type { AlertMessage } from "./message.ts";

export function telegramChannel(
  name: string,
  url: URL,
  policy: TargetPolicy,
  api = "https://api.telegram.org",
  fetchImpl: typeof fetch = fetch,
): Channel {
  // a bot token holds a ':' (id:secret): URL parsing reads it as user:password
  const token = decodeURIComponent(url.username ? `${url.username}:${url.password}` : url.hostname);
  const chat = url.pathname.replace(/^\/+|\/+$/g, "") || (url.username ? url.hostname : "");
  if (!/^\d+:[A-Za-z0-9_-]{20,}$/.test(token) || !/^-?\d{1,20}$|^@[A-Za-z0-9_]{5,32}$/.test(chat)) {
    throw new ChannelConfigError(name, "telegram needs tgram://<bot token>/<chat id>");
  }
  const target = new URL(`/bot${token}/sendMessage`, api);
  return {
    ...describeChannel(name, url, false),
    async send(message: AlertMessage): Promise<ChannelAnswer> {
      await checkTarget(target, policy);
      const response = await fetchImpl(target, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          chat_id: chat,
          text: `${message.title}\n${message.text}`.slice(0, 4096),
          disable_web_page_preview: true,
        }),
        redirect: "manual",
        signal: AbortSignal.timeout(15_000),
      });
      const answer = await answerOf(response);
      // never echo the bot token, even inside an error the API quotes back
      const detail = answer.detail.replaceAll(token, "***");
      return { ...answer, detail, ok: answer.ok && /"ok":\s*true/.test(answer.detail) };
    },
  };
}
