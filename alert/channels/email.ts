/**
 * E-mail over SMTP with nodemailer: `mailtos://user:password@smtp.example.com?to=me@example.com`
 * (TLS from the start, port 465) or `mailto://…:587` (STARTTLS when the server offers it), the
 * password from the environment (`mailtos://me:${SMTP_PASSWORD}@…`). `from` defaults to the user.
 * The alert id is the message's Message-ID, so a re-sent alert is the same message to a client.
 */
import nodemailer from "nodemailer";
import { type Channel, type ChannelAnswer, ChannelConfigError, describeChannel } from "./channel.ts";
import type { AlertMessage } from "./message.ts";

export function emailChannel(name: string, url: URL): Channel {
  const secure = url.protocol === "mailtos:";
  const to = (url.searchParams.get("to") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const user = decodeURIComponent(url.username);
  const from = url.searchParams.get("from") ?? (user.includes("@") ? user : `ofertas@${url.hostname}`);
  if (!url.hostname || to.length === 0 || to.length > 20) {
    throw new ChannelConfigError(
      name,
      "e-mail needs a host and ?to=address[,address]: mailtos://user:pass@smtp.example.com?to=me@example.com",
    );
  }
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (secure ? 465 : 587)),
    secure,
    auth: user ? { user, pass: decodeURIComponent(url.password) } : undefined,
    // a local relay in tests speaks STARTTLS with a self-signed certificate or none at all
    tls: { rejectUnauthorized: url.searchParams.get("insecure") !== "true" },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    ...describeChannel(name, url, true),
    async send(message: AlertMessage, idempotencyKey: string): Promise<ChannelAnswer> {
      try {
        const info = await transport.sendMail({
          from,
          to,
          subject: message.title,
          text: message.text,
          messageId: `<${idempotencyKey}@ofertas>`,
          headers: { "X-Ofertas-Alert-Id": idempotencyKey },
        });
        return { ok: info.rejected.length === 0, detail: String(info.response ?? "sent").slice(0, 300) };
      } catch (error) {
        const e = error as Error & { responseCode?: number; response?: string };
        return { ok: false, detail: `${e.responseCode ?? ""} ${e.response ?? e.message}`.trim().slice(0, 300) };
      }
    },
    close: () => transport.close(),
  };
}
