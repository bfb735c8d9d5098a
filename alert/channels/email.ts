/**
 * E-mail over SMTP with nodemailer: `mailtos://user:password@smtp.example.com?to=me@example.com`
 * (TLS from the start, port 465) or `mailto://…:587` (STARTTLS, required), the password from the
 * environment (`mailtos://me:${SMTP_PASSWORD}@…`). `from` defaults to the user. The alert id is
 * the message's Message-ID, so a re-sent alert is the same message to a client.
 *
 * The host goes through the channel target guard like any channel's, and nodemailer connects to
 * the address the guard checked, with the host name as the TLS server name (the certificate is
 * checked against it). TLS is required: a server that offers no STARTTLS gets no password and no
 * mail. The one exception is a relay on loopback when the deployment allows loopback
 * (development, OFERTAS_ALERT_ALLOW_LOOPBACK), the policy every other channel follows for plain
 * http; `?insecure=true` (no certificate check) is allowed only there too.
 */
import nodemailer from "nodemailer";
import { withTimeout } from "../../shared/timeout.ts";
import { type Channel, type ChannelAnswer, ChannelConfigError, describeChannel, DETAIL_LENGTH } from "./channel.ts";
import { resolveTarget, type TargetPolicy, TargetRefused } from "./guard.ts";
import { ipVersion } from "./ip-address.ts";
import type { AlertMessage } from "./message.ts";
import { plainLine, plainText } from "./plain-text.ts";
import { scrubSecrets, secretsOf } from "./redact.ts";

/** A plain address (local part, and a domain or an address literal): no display name, no list. */
const ADDRESS = /^[^\s@<>,;:"()[\]\\]{1,64}@(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])$/;

export function emailChannel(name: string, url: URL, policy: TargetPolicy): Channel {
  const secure = url.protocol === "mailtos:";
  const to = (url.searchParams.get("to") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const user = decodeURIComponent(url.username);
  const from = url.searchParams.get("from") ?? (user.includes("@") ? user : `ofertas@${url.hostname}`);
  const insecure = url.searchParams.get("insecure") === "true";
  if (!url.hostname || to.length === 0 || to.length > 20) {
    throw new ChannelConfigError(
      name,
      "e-mail needs a host and ?to=address[,address]: mailtos://user:pass@smtp.example.com?to=me@example.com",
    );
  }
  for (const address of [...to, from]) {
    if (!ADDRESS.test(address)) throw new ChannelConfigError(name, `not an e-mail address: ${address.slice(0, 80)}`);
  }
  const secrets = secretsOf(url);
  const auth = user ? { user, pass: decodeURIComponent(url.password) } : undefined;
  return {
    ...describeChannel(name, url, true),
    async send(message: AlertMessage, idempotencyKey: string): Promise<ChannelAnswer> {
      const target = await withTimeout(resolveTarget(url.hostname, policy), 15_000, `resolving ${url.hostname}`);
      // the guard has already refused loopback unless the deployment allows it
      const plaintextAllowed = target.loopbackOnly && policy.allowLoopback;
      if (insecure && !plaintextAllowed) {
        throw new TargetRefused(`${target.host}: ?insecure=true is only for a relay on loopback`);
      }
      const transport = nodemailer.createTransport({
        host: target.address,
        port: Number(url.port || (secure ? 465 : 587)),
        secure,
        requireTLS: !secure && !plaintextAllowed,
        auth,
        tls: {
          ...(ipVersion(target.host) ? {} : { servername: target.host }),
          rejectUnauthorized: !insecure,
          ...(policy.ca ? { ca: policy.ca } : {}),
        },
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 30_000,
      });
      try {
        const info = await transport.sendMail({
          from,
          to,
          subject: plainLine(message.title),
          text: plainText(message.text),
          messageId: `<${idempotencyKey}@ofertas>`,
          headers: { "X-Ofertas-Alert-Id": idempotencyKey },
        });
        const response = String(info.response ?? "sent");
        return {
          ok: info.rejected.length === 0,
          detail: scrubSecrets(plainLine(response), secrets).slice(0, DETAIL_LENGTH),
          ...smtpStatus(response),
        };
      } catch (error) {
        const e = error as Error & { responseCode?: number; response?: string };
        const detail = e.response && !e.message.includes(e.response) ? `${e.message}: ${e.response}` : e.message;
        return {
          ok: false,
          detail: scrubSecrets(plainLine(detail), secrets).slice(0, DETAIL_LENGTH),
          ...(e.responseCode ? { status: e.responseCode } : {}),
        };
      } finally {
        transport.close();
      }
    },
  };
}

/** The reply code at the start of an SMTP response ("250 2.0.0 OK"). */
function smtpStatus(response: string): { status?: number } {
  const code = /^([2-5]\d\d)\b/.exec(response)?.[1];
  return code ? { status: Number(code) } : {};
}
