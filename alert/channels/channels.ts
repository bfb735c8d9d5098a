/**
 * The channels of a deployment, from OFERTAS_ALERT_CHANNELS: a JSON object of name → URL.
 * Every URL is checked at start (a bad one stops the alerter with its name and reason; its
 * secrets never appear in the message).
 */
import { type Channel, ChannelConfigError, expandSecrets } from "./channel.ts";
import { discordChannel } from "./discord.ts";
import { emailChannel } from "./email.ts";
import type { TargetPolicy } from "./guard.ts";
import { ntfyChannel } from "./ntfy.ts";
import { telegramChannel } from "./telegram.ts";
import { webhookChannel } from "./webhook.ts";

export interface ChannelOptions extends TargetPolicy {
  discordApi?: string;
  telegramApi?: string;
}

export const SCHEMES = ["json", "jsons", "ntfy", "ntfys", "discord", "tgram", "mailto", "mailtos"] as const;

export function channelOf(
  name: string,
  raw: string,
  env: Record<string, string | undefined>,
  options: ChannelOptions,
): Channel {
  if (!/^[a-z0-9_-]{1,32}$/.test(name)) {
    throw new ChannelConfigError(name.slice(0, 40), "names are 1-32 of a-z 0-9 _ -");
  }
  let url: URL;
  try {
    url = new URL(expandSecrets(name, raw, env));
  } catch (error) {
    if (error instanceof ChannelConfigError) throw error;
    throw new ChannelConfigError(name, "is not a URL");
  }
  switch (url.protocol) {
    case "json:":
    case "jsons:":
      return webhookChannel(name, url, options);
    case "ntfy:":
    case "ntfys:":
      return ntfyChannel(name, url, options);
    case "discord:":
      return discordChannel(name, url, options, options.discordApi);
    case "tgram:":
      return telegramChannel(name, url, options, options.telegramApi);
    case "mailto:":
    case "mailtos:":
      return emailChannel(name, url, options);
    default:
      throw new ChannelConfigError(
        name,
        `unknown scheme ${url.protocol} (known: ${SCHEMES.map((s) => `${s}://`).join(", ")})`,
      );
  }
}

/** The JSON object of OFERTAS_ALERT_CHANNELS, every channel built; throws on the first bad one. */
export function channelsOf(
  json: string | null,
  env: Record<string, string | undefined>,
  options: ChannelOptions,
): Map<string, Channel> {
  const channels = new Map<string, Channel>();
  if (json === null) return channels;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new ChannelConfigError("(all)", `OFERTAS_ALERT_CHANNELS is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ChannelConfigError(
      "(all)",
      'OFERTAS_ALERT_CHANNELS must be a JSON object like {"me": "ntfys://ntfy.sh/my-topic"}',
    );
  }
  for (const [name, url] of Object.entries(parsed)) {
    if (typeof url !== "string") throw new ChannelConfigError(name, "must be a URL string");
    channels.set(name, channelOf(name, url, env, options));
  }
  return channels;
}
