/**
 * Discord: `discord://<webhook id>/<webhook token>`, posted as JSON `{content}` to the channel's
 * webhook (204 on success, 429 with retry_after when rate-limited). OFERTAS_ALERT_DISCORD_API
 * points it elsewhere (a local receiver in tests).
 */
import { answerOf, type Channel, type ChannelAnswer, ChannelConfigError, describeChannel } from "./channel.ts";
import { checkTarget, type TargetPolicy } from "./guard.ts";
import type { AlertMessage } from "./message.ts";

export function discordChannel(
  name: string,
  url: URL,
  policy: TargetPolicy,
  api = "https://discord.com",
  fetchImpl: typeof fetch = fetch,
): Channel {
  const id = url.hostname;
  const token = url.pathname.replace(/^\/+|\/+$/g, "");
  if (!/^\d{5,25}$/.test(id) || !/^[A-Za-z0-9_-]{10,100}$/.test(token)) {
    throw new ChannelConfigError(name, "discord needs discord://<webhook id>/<webhook token>");
  }
  const target = new URL(`/api/webhooks/${id}/${token}`, api);
  return {
    ...describeChannel(name, url, false),
    async send(message: AlertMessage): Promise<ChannelAnswer> {
      await checkTarget(target, policy);
      const content = `**${message.title}**\n${message.text}`.slice(0, 2000);
      const response = await fetchImpl(target, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ content, allowed_mentions: { parse: [] } }),
        redirect: "manual",
        signal: AbortSignal.timeout(15_000),
      });
      const answer = await answerOf(response);
      // Discord's 429 body says how long to wait (seconds, fractional)
      const wait = /"retry_after":\s*([\d.]+)/.exec(answer.detail)?.[1];
      return wait ? { ...answer, retryAfterMs: Math.ceil(Number(wait) * 1000) } : answer;
    },
  };
}
