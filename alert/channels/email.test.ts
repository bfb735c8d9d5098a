/**
 * E-mail against real SMTP servers (the `smtp-server` package, by nodemailer's authors): on
 * loopback in development, plain SMTP is allowed; anywhere else TLS is required, so a server
 * without STARTTLS never sees the password, and a server with it is reached on the address the
 * guard checked with its certificate checked against the host name.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import type { Alert } from "../../shared/alert/alert-record.ts";
import { channelOf } from "./channels.ts";
import { addressKind } from "./ip-address.ts";
import { messageOf } from "./message.ts";

const cert = readFileSync(new URL("./fixtures/tls-test-cert.pem", import.meta.url), "utf8");
const key = readFileSync(new URL("./fixtures/tls-test-key.pem", import.meta.url), "utf8");

interface Server {
  server: SMTPServer;
  port: number;
  logins: string[];
  mails: string[];
}
const servers: Server[] = [];

/** An SMTP server that records every login attempt (with its password) and every message. */
async function smtpServer(host: string, options: SMTPServerOptions): Promise<Server> {
  const logins: string[] = [];
  const mails: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    onAuth: (auth, _session, callback) => {
      logins.push(`${auth.username}:${auth.password}`);
      return auth.username === "me" && auth.password === "s3cret-pass"
        ? callback(null, { user: "me" })
        : callback(new Error("bad login"));
    },
    onData: (stream, _session, callback) => {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString()));
      stream.on("end", () => {
        mails.push(raw);
        callback();
      });
    },
    ...options,
  });
  // a client that hangs up during the TLS handshake (the wrong-name case) is an error to the server
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  const s = { server, port: (server.server.address() as { port: number }).port, logins, mails };
  servers.push(s);
  return s;
}

/** An address of this machine that is not loopback (and not reserved): where "not local" is tested. */
const outside = Object.values(networkInterfaces()).flat()
  .find((i) => i && !i.internal && !i.address.startsWith("fe80") && addressKind(i.address) !== "reserved")?.address;

let plainLoopback: Server;
before(async () => {
  plainLoopback = await smtpServer("127.0.0.1", { disabledCommands: ["STARTTLS"] });
});
after(async () => {
  for (const s of servers) await new Promise<void>((resolve) => s.server.close(() => resolve()));
});

const alert: Alert = {
  type: "alert",
  schema_version: 1,
  alert_id: "0123456789abcdef01234567",
  rule_key: "watch:iphone:below",
  kind: "below",
  watch_id: "iphone",
  site: "MLB",
  item_id: "MLB1234567890",
  offer_date: "2026-12-04",
  title: "Apple iPhone 15 128 GB",
  currency: "BRL",
  url: "https://www.mercadolivre.com.br/apple-iphone-15/p/MLB1027172671",
  price: "3999.00",
  verdict: null,
  real_discount_pct: null,
  why: "R$ 3.999,00 is at or below your price of R$ 4.000,00.",
  channels: ["mail"],
  decided_at: "2026-12-04T12:00:00.000Z",
  source: "batch-1",
};
const dev = { allowLoopback: true, allowPrivate: false };

test("e-mail on loopback in development: plain SMTP, the alert id as Message-ID; a bad login is an error", async () => {
  const channel = channelOf(
    "mail",
    `mailto://me:\${SMTP_PASSWORD}@127.0.0.1:${plainLoopback.port}?to=deals@example.com,other@example.com&from=ofertas@example.com`,
    { SMTP_PASSWORD: "s3cret-pass" },
    dev,
  );
  const result = await channel.send(
    messageOf({ ...alert, title: "Fone\u0001 com\r\nBcc: x@evil.example" }),
    alert.alert_id,
  );
  assert.equal(result.ok, true, result.detail);
  assert.equal(result.status, 250);
  const [raw] = plainLoopback.mails;
  assert.match(raw!, /Subject: Below your price: Fone com Bcc: x@evil\.example at R\$ 3\.999,00/);
  assert.doesNotMatch(raw!, /^Bcc:/m);
  assert.match(raw!, new RegExp(`Message-ID: <${alert.alert_id}@ofertas>`, "i"));
  assert.ok(!channel.redacted.includes("s3cret") && channel.redacted.startsWith("mailto://***:***@127.0.0.1:"));
  const wrong = channelOf("mail", `mailto://me:nope@127.0.0.1:${plainLoopback.port}?to=a@example.com`, {}, dev);
  const refused = await wrong.send(messageOf(alert), alert.alert_id);
  assert.equal(refused.ok, false);
  assert.match(refused.detail, /535|bad login|Invalid/i);
  assert.ok(!refused.detail.includes("nope"));
  // loopback is refused outright where the deployment does not allow it
  const strict = channelOf("mail", `mailto://127.0.0.1:${plainLoopback.port}?to=a@example.com`, {}, {
    allowLoopback: false,
    allowPrivate: false,
  });
  await assert.rejects(strict.send(messageOf(alert), alert.alert_id), /loopback/);
});

test("e-mail elsewhere: a server without STARTTLS gets no password and no mail", { skip: !outside }, async () => {
  const plain = await smtpServer(outside!, { disabledCommands: ["STARTTLS"] });
  const policy = { allowLoopback: true, allowPrivate: true, resolve: () => Promise.resolve([outside!]) };
  const channel = channelOf("mail", `mailto://me:s3cret-pass@mail.test:${plain.port}?to=a@example.com`, {}, policy);
  const result = await channel.send(messageOf(alert), alert.alert_id);
  assert.equal(result.ok, false);
  assert.match(result.detail, /STARTTLS|TLS/i);
  assert.deepEqual(plain.logins, [], "no AUTH was attempted");
  assert.deepEqual(plain.mails, []);
  // and ?insecure=true is no way around it there
  const insecure = channelOf(
    "mail",
    `mailto://me:s3cret-pass@mail.test:${plain.port}?to=a@example.com&insecure=true`,
    {},
    policy,
  );
  await assert.rejects(
    insecure.send(messageOf(alert), alert.alert_id),
    /insecure=true is only for a relay on loopback/,
  );
  assert.deepEqual(plain.logins, []);
});

test("e-mail elsewhere: STARTTLS and implicit TLS, on the checked address, the certificate checked against the name", {
  skip: !outside,
}, async () => {
  const starttls = await smtpServer(outside!, { key, cert });
  const implicit = await smtpServer(outside!, { key, cert, secure: true });
  const asked: string[] = [];
  const policy = {
    allowLoopback: false,
    allowPrivate: true,
    ca: cert,
    resolve: (host: string) => (asked.push(host), Promise.resolve([outside!])),
  };
  for (const [scheme, server] of [["mailto", starttls], ["mailtos", implicit]] as const) {
    const channel = channelOf(
      "mail",
      `${scheme}://me:s3cret-pass@mail.test:${server.port}?to=a@example.com`,
      {},
      policy,
    );
    const result = await channel.send(messageOf(alert), alert.alert_id);
    assert.equal(result.ok, true, `${scheme}: ${result.detail}`);
    assert.deepEqual(server.logins, ["me:s3cret-pass"], scheme);
    assert.equal(server.mails.length, 1, scheme);
    // a name the certificate does not carry, on the same address: refused before any login
    const other = channelOf("mail", `${scheme}://me:s3cret-pass@evil.test:${server.port}?to=a@example.com`, {}, policy);
    const refused = await other.send(messageOf(alert), alert.alert_id);
    assert.equal(refused.ok, false, scheme);
    assert.match(refused.detail, /altnames|certificate|evil\.test/i, scheme);
    assert.equal(server.logins.length, 1, `${scheme}: no login after a failed certificate check`);
  }
  assert.deepEqual(asked, ["mail.test", "evil.test", "mail.test", "evil.test"], "resolved once per send, by the guard");
});
