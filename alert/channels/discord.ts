/**
 * Discord: `discord://<webhook id>/<webhook token>`, posted as JSON `{content}` to the channel's
 * webhook (204 on success, 429 with retry_after when rate-limited). The content is Markdown:
 * escaped by discord-markdown.ts, and mentions are off. OFERTAS_ALERT_DISCORD_API points it
 * elsewhere (a local receiver in tests).
 */
import { type Channel, type ChannelAnswer, ChannelConfigError, describeChannel, post } from "./channel.ts";
import { DISCORD_MAX_CONTENT, discordContent, discordMarkdown } from "./discord-markdown.ts";
import type { TargetPolicy } from "./guard.ts";
import type { AlertMessage } from "./message.ts";
import { secretsOf } from "./redact.ts";
import { discordRetryAfterMs } from "./retry-after.ts";

export function discordChannel(name: string, url: URL, policy: TargetPolicy, api = "https://discord.com"): Channel {
  const id = url.hostname;
  const token = url.pathname.replace(/^\/+|\/+$/g, "");
  if (!/^\d{5,25}$/.test(id) || !/^[A-Za-z0-9_-]{10,100}$/.test(token)) {
    throw new ChannelConfigError(name, "discord needs discord://<webhook id>/<webhook token>");
  }
  const target = new URL(`/api/webhooks/${id}/${token}`, api);
  const secrets = [...secretsOf(url), id, token];
  return {
    ...describeChannel(name, url, false),
    maxMessageChars: DISCORD_MAX_CONTENT,
    measure: (message) => discordMarkdown(message).length,
    async send(message: AlertMessage): Promise<ChannelAnswer> {
      const { answer, reply } = await post(
        target,
        {
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ content: discordContent(message), allowed_mentions: { parse: [] } }),
        },
        policy,
        secrets,
      );
      // Discord's 429 body says how long to wait (seconds, fractional)
      const wait = reply.status === 429 ? discordRetryAfterMs(reply.body) : undefined;
      return wait !== undefined ? { ...answer, retryAfterMs: Math.max(wait, answer.retryAfterMs ?? 0) } : answer;
    },
  };
}
