/**
 * ntfy (https://ntfy.sh or a server of your own): `ntfys://host/topic` (https) or `ntfy://host/topic`
 * (http, loopback only). The message is the body; title, priority and tags are headers; a
 * token (`?token=…`, `${NAME}` for the secret) goes as a bearer token.
 */
import { answerOf, type Channel, type ChannelAnswer, ChannelConfigError, describeChannel } from "./channel.ts";
import { checkTarget, type TargetPolicy } from "./guard.ts";
import type { AlertMessage } from "./message.ts";

export function ntfyChannel(name: string, url: URL, policy: TargetPolicy, fetchImpl: typeof fetch = fetch): Channel {
  const topic = url.pathname.replace(/^\/+|\/+$/g, "");
  if (!url.hostname || !/^[A-Za-z0-9_-]{1,64}$/.test(topic)) {
    throw new ChannelConfigError(name, "ntfy needs a host and a topic: ntfys://ntfy.sh/my-topic");
  }
  const target = new URL(`${url.protocol === "ntfys:" ? "https:" : "http:"}//${url.host}/${topic}`);
  const token = url.searchParams.get("token") ?? (url.password || null);
  const priority = url.searchParams.get("priority") ?? "default";
  return {
    ...describeChannel(name, url, false),
    async send(message: AlertMessage, idempotencyKey: string): Promise<ChannelAnswer> {
      await checkTarget(target, policy);
      const headers: Record<string, string> = {
        // headers carry ASCII: the title is also the first line of the body
        title: message.title.normalize("NFD").replace(/[^\x20-\x7e]/g, ""),
        priority,
        tags: message.test ? "test_tube" : "moneybag",
        "x-ofertas-alert-id": idempotencyKey,
      };
      if (message.url) headers.click = message.url;
      if (token) headers.authorization = `Bearer ${token}`;
      return answerOf(
        await fetchImpl(target, {
          method: "POST",
          headers,
          body: `${message.title}\n${message.text}`,
          redirect: "manual",
          signal: AbortSignal.timeout(15_000),
        }),
      );
    },
  };
}
