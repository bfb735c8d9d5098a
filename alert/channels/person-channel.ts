/**
 * A person's channel, from what they typed in the page to a Channel the deliverer sends on:
 *
 *   ntfy      an ntfy topic's address (`https://ntfy.sh/my-topic`)
 *   webhook   an https URL (a signing secret optional: Standard Webhooks, as the operator's)
 *   discord   a Discord webhook's address (`https://discord.com/api/webhooks/<id>/<token>`)
 *   telegram  a chat id, through the deployment's bot (OFERTAS_TELEGRAM_BOT_TOKEN)
 *   email     an address, through the deployment's relay (OFERTAS_SMTP_URL)
 *
 * What a person types is never expanded (`${NAME}` reads nothing from the environment: a person
 * cannot make a channel carry the deployment's secrets) and goes through the same target guard
 * as every channel (guard.ts: no loopback, private or reserved address unless the deployment
 * allows it). What they gave is sealed at rest (shared/accounts/secret-box.ts) with the record's
 * key as additional data; `shown` is the redacted form a page may show.
 */
import type { ChannelKind, ChannelRecord } from "../../shared/accounts/channel-record.ts";
import type { SecretBox } from "../../shared/accounts/secret-box.ts";
import { channelKey } from "../../shared/accounts/account-book.ts";
import { type Channel, ChannelConfigError, expandSecrets } from "./channel.ts";
import { channelOf, type ChannelOptions } from "./channels.ts";

/** What a person gave for a channel (sealed as JSON). */
export interface PersonChannelInput {
  kind: ChannelKind;
  /** The address, URL, chat id or e-mail address. */
  value: string;
  /** A webhook's signing secret (optional). */
  secret?: string;
}

export interface OperatorRelays {
  telegramBotToken: string | null;
  smtpUrl: string | null;
  /** The environment, for `${NAME}` in the operator's own relay URL (never in a person's input). */
  env: Record<string, string | undefined>;
}

const MAX_VALUE = 500;
const EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$/;
const CHAT_ID = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/;

/** The channel URL (the operator's notation) for a person's input; throws a RangeError saying what is wrong. */
export function personChannelUrl(input: PersonChannelInput, relays: OperatorRelays): string {
  const value = input.value.trim();
  if (value === "" || value.length > MAX_VALUE) throw new RangeError(`give an address of 1 to ${MAX_VALUE} characters`);
  if (value.includes("${") || /[\s\\]/.test(value)) throw new RangeError("an address has no spaces, backslashes or ${");
  switch (input.kind) {
    case "ntfy":
    case "webhook": {
      const url = parseHttp(value);
      const scheme = input.kind === "ntfy" ? "ntfy" : "json";
      const out = new URL(`${scheme}${url.protocol === "https:" ? "s" : ""}://${url.host}${url.pathname}${url.search}`);
      if (input.kind === "ntfy" && url.pathname.split("/").filter(Boolean).length !== 1) {
        throw new RangeError("an ntfy address is the server and one topic, like https://ntfy.sh/my-topic");
      }
      if (input.kind === "webhook" && input.secret) out.searchParams.set("secret", input.secret.slice(0, 200));
      return out.toString();
    }
    case "discord": {
      const m =
        /^https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/(\d{5,25})\/([A-Za-z0-9_-]{20,100})\/?$/
          .exec(value);
      if (!m) {
        throw new RangeError("a Discord webhook address looks like https://discord.com/api/webhooks/<id>/<token>");
      }
      return `discord://${m[1]}/${m[2]}`;
    }
    case "telegram": {
      if (!relays.telegramBotToken) {
        throw new RangeError("this deployment has no Telegram bot (OFERTAS_TELEGRAM_BOT_TOKEN)");
      }
      if (!CHAT_ID.test(value)) {
        throw new RangeError("a Telegram chat is a number (like -1001234567890) or @channelname");
      }
      return `tgram://${encodeURIComponent(relays.telegramBotToken)}/${encodeURIComponent(value)}`;
    }
    case "email": {
      if (!relays.smtpUrl) throw new RangeError("this deployment has no mail relay (OFERTAS_SMTP_URL)");
      if (!EMAIL.test(value)) throw new RangeError("give an e-mail address like me@example.com");
      const relay = new URL(expandSecrets("smtp", relays.smtpUrl, relays.env));
      relay.searchParams.set("to", value);
      return relay.toString();
    }
  }
}

function parseHttp(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RangeError("give the whole address, starting with https://");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new RangeError("the address must start with https://");
  }
  if (url.username || url.password) throw new RangeError("an address with a user name or password in it is refused");
  return url;
}

/** The Channel for a person's input, under the record's id (its name in alerts and deliveries). */
export function personChannel(
  id: string,
  input: PersonChannelInput,
  relays: OperatorRelays,
  options: ChannelOptions,
): Channel {
  try {
    const url = personChannelUrl(input, relays);
    // plain http only where the deployment allows loopback (development); the guard still checks the address
    if (/^(json|ntfy):/.test(url) && !options.allowLoopback) {
      throw new RangeError("the address must start with https://");
    }
    // no environment: nothing a person typed can read the deployment's variables
    return channelOf(id, url, {}, options);
  } catch (error) {
    if (error instanceof ChannelConfigError) throw new RangeError(error.message.replace(`alert channel ${id}: `, ""));
    throw error;
  }
}

/** Seals a person's input for the record `id`. */
export function sealChannel(box: SecretBox, id: string, input: PersonChannelInput): Promise<string> {
  return box.seal(JSON.stringify(input), channelKey(id));
}

/** Opens a record's input and builds its Channel; throws when the key or the record is wrong. */
export async function channelOfRecord(
  box: SecretBox,
  record: ChannelRecord,
  relays: OperatorRelays,
  options: ChannelOptions,
): Promise<Channel> {
  const input = JSON.parse(await box.open(record.sealed, channelKey(record.id))) as PersonChannelInput;
  return personChannel(record.id, { ...input, kind: record.kind }, relays, options);
}
