/**
 * A notification channel, configured as a URL as Apprise and changedetection.io do
 * (`jsons://…`, `ntfys://…`, `discord://…`, `tgram://…`, `mailtos://…`): parsed once at start,
 * secrets taken from the environment (`${NAME}` inside the URL), never logged (`redacted`).
 * Each send answers with the channel's own words: a 2xx is a delivery, anything else an error
 * the deliverer retries, and `alerts test` prints.
 */
import type { AlertMessage } from "./message.ts";

export interface ChannelAnswer {
  ok: boolean;
  /** The channel's own answer: status and the start of its body, or the error. */
  detail: string;
  /** How long the channel asked us to wait (429 Retry-After / retry_after), in ms. */
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

/** The URL with user info, passwords, tokens and secrets replaced by ***. */
/** What every channel says of itself: its name, scheme, redacted URL, idempotency and digest. */
export function describeChannel(
  name: string,
  url: URL,
  idempotent: boolean,
): Pick<Channel, "name" | "scheme" | "redacted" | "idempotent" | "digest"> {
  return { name, scheme: url.protocol.slice(0, -1), redacted: redact(url), idempotent, digest: digestOf(url, name) };
}

export function redact(url: URL): string {
  const copy = new URL(url.toString());
  if (copy.username) copy.username = "***";
  if (copy.password) copy.password = "***";
  for (const key of [...copy.searchParams.keys()]) {
    if (/secret|token|pass|key/i.test(key)) copy.searchParams.set(key, "***");
  }
  // discord://id/token and tgram://token/chat keep secrets in the path
  if (["discord:", "tgram:"].includes(copy.protocol)) return `${copy.protocol}//***`;
  return copy.toString();
}

/** What one HTTP answer means: the status and the start of its body. */
export async function answerOf(response: Response): Promise<ChannelAnswer> {
  const body = (await response.text().catch(() => "")).slice(0, 300).replace(/\s+/g, " ").trim();
  const detail = `${response.status} ${response.statusText}${body ? `: ${body}` : ""}`.trim();
  const retryAfter = Number(response.headers.get("retry-after"));
  return {
    ok: response.ok,
    detail,
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
  };
}

export const digestOf = (url: URL, name: string): Channel["digest"] => {
  const digest = url.searchParams.get("digest");
  if (digest === null) return null;
  if (digest !== "hourly" && digest !== "daily") throw new ChannelConfigError(name, "digest must be hourly or daily");
  return digest;
};
