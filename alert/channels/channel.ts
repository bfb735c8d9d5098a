/**
 * A notification channel, configured as a URL as Apprise and changedetection.io do
 * (`jsons://…`, `ntfys://…`, `discord://…`, `tgram://…`, `mailtos://…`): parsed once at start,
 * secrets taken from the environment (`${NAME}` inside the URL), never logged (`redacted`).
 * Each send answers with the channel's own words: a 2xx is a delivery, anything else an error
 * the deliverer retries, and `alerts test` prints.
 */
import type { AlertMessage } from "./message.ts";
import type { TargetPolicy } from "./guard.ts";
import { type HttpReply, type PostOptions, postPinned } from "./pinned-http.ts";
import { plainLine } from "./plain-text.ts";
import { redact, scrubSecrets } from "./redact.ts";
import { retryAfterHeaderMs } from "./retry-after.ts";

export { redact } from "./redact.ts";

export interface ChannelAnswer {
  ok: boolean;
  /**
   * The channel's own answer: status and the start of its body, or the error, without the
   * channel's secrets. For the operator (logs, `alerts test`, /readyz): never for public pages.
   */
  detail: string;
  /** The HTTP or SMTP status code alone, when there was one: what a public page may show. */
  status?: number;
  /** How long the channel asked us to wait (429 Retry-After / retry_after), in ms, at most an hour. */
  retryAfterMs?: number;
}

export interface Channel {
  readonly name: string;
  readonly scheme: string;
  /** The URL without secrets, for logs and the web view. */
  readonly redacted: string;
  /** Whether the channel's API drops a repeated idempotency key (webhooks do; chats do not). */
  readonly idempotent: boolean;
  /** `hourly` or `daily`: alerts wait and go as one message per period. */
  readonly digest: "hourly" | "daily" | null;
  /** The longest message the channel's API takes (characters as `measure` counts them); absent: no limit. */
  readonly maxMessageChars?: number;
  /** How long a message is once this channel has written it (escaping included); absent: title + text. */
  measure?(message: AlertMessage): number;
  send(message: AlertMessage, idempotencyKey: string): Promise<ChannelAnswer>;
  close?(): void;
}

/** A channel URL that cannot be used, with the reason (the secret-free URL only). */
export class ChannelConfigError extends Error {
  constructor(name: string, message: string) {
    super(`alert channel ${name}: ${message}`);
    this.name = "ChannelConfigError";
  }
}

/** `${NAME}` in a channel URL, from the environment; a missing one is a configuration error. */
export function expandSecrets(name: string, url: string, env: Record<string, string | undefined>): string {
  return url.replace(/\$\{([A-Z][A-Z0-9_]*)\}/g, (_, variable: string) => {
    const value = env[variable];
    if (value === undefined || value === "") {
      throw new ChannelConfigError(name, `\${${variable}} is not set in the environment`);
    }
    return encodeURIComponent(value);
  });
}

/** What every channel says of itself: its name, scheme, redacted URL, idempotency and digest. */
export function describeChannel(
  name: string,
  url: URL,
  idempotent: boolean,
): Pick<Channel, "name" | "scheme" | "redacted" | "idempotent" | "digest"> {
  return { name, scheme: url.protocol.slice(0, -1), redacted: redact(url), idempotent, digest: digestOf(url, name) };
}

/** The length of a detail: the status and the start of the body. */
export const DETAIL_LENGTH = 300;

/** What one HTTP answer means: the status and the start of its body, the channel's secrets taken out. */
export function answerOf(reply: HttpReply, secrets: readonly string[]): ChannelAnswer {
  const body = plainLine(reply.body.slice(0, DETAIL_LENGTH * 2)).replace(/\s+/g, " ").trim();
  const line = `${reply.status} ${plainLine(reply.statusText)}`.trim();
  const detail = scrubSecrets(`${line}${body ? `: ${body}` : ""}`, secrets).slice(0, DETAIL_LENGTH);
  const retryAfterMs = retryAfterHeaderMs(reply.headers.get("retry-after"));
  return {
    ok: reply.status >= 200 && reply.status < 300,
    detail,
    status: reply.status,
    ...(retryAfterMs !== undefined && retryAfterMs > 0 ? { retryAfterMs } : {}),
  };
}

/**
 * One POST through the guard, pinned to the checked address (pinned-http.ts), and what its
 * answer means. A refused target or a failed connection is thrown (the deliverer retries it),
 * with the channel's secrets taken out of the message.
 */
export async function post(
  url: URL,
  options: PostOptions,
  policy: TargetPolicy,
  secrets: readonly string[],
): Promise<{ answer: ChannelAnswer; reply: HttpReply }> {
  let reply: HttpReply;
  try {
    reply = await postPinned(url, options, policy);
  } catch (error) {
    const e = error as Error;
    throw Object.assign(new Error(scrubSecrets(plainLine(e.message), secrets).slice(0, DETAIL_LENGTH)), {
      name: e.name,
    });
  }
  return { answer: answerOf(reply, secrets), reply };
}

export const digestOf = (url: URL, name: string): Channel["digest"] => {
  const digest = url.searchParams.get("digest");
  if (digest === null) return null;
  if (digest !== "hourly" && digest !== "daily") throw new ChannelConfigError(name, "digest must be hourly or daily");
  return digest;
};
