/**
 * Every channel against a real local server: HTTP receivers for the webhook, ntfy, Discord and
 * Telegram APIs, and an SMTP server (the `smtp-server` package, by nodemailer's authors) for
 * e-mail. What each sends, what each counts as delivered, and that no secret leaks.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { SMTPServer } from "smtp-server";
import { type RunningServer, serve } from "../../shared/serve.ts";
import type { Alert } from "../../shared/alert/alert-record.ts";
import { redact } from "./channel.ts";
import { channelOf, channelsOf } from "./channels.ts";
import { addressKind, checkTarget } from "./guard.ts";
import { messageOf, testMessage } from "./message.ts";

interface Received {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

let http: RunningServer;
const received: Received[] = [];
let answer: (r: Received) => Response = () => new Response(null, { status: 204 });
let smtp: SMTPServer;
let smtpPort = 0;
const mails: Array<{ from: string; to: string[]; raw: string }> = [];

before(async () => {
  http = serve(async (request) => {
    const r: Received = {
      method: request.method,
      path: new URL(request.url).pathname,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    };
    received.push(r);
    return answer(r);
  }, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 1 << 20 });
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onAuth: (auth, _session, callback) =>
      auth.username === "me" && auth.password === "s3cret-pass"
        ? callback(null, { user: "me" })
        : callback(new Error("bad login")),
    onData: (stream, session, callback) => {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString()));
      stream.on("end", () => {
        mails.push({
          from: String(session.envelope.mailFrom && session.envelope.mailFrom.address),
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
  smtpPort = (smtp.server.address() as { port: number }).port;
});

after(async () => {
  await http.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const local = { allowLoopback: true, allowPrivate: false };
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
  channels: ["hook"],
  decided_at: "2026-12-04T12:00:00.000Z",
  source: "batch-1",
};

test("webhook: the alert as JSON, an idempotency key, and an HMAC-SHA256 signature of the body", async () => {
  received.length = 0;
  answer = () => new Response(null, { status: 204 });
  const channel = channelOf("hook", `json://127.0.0.1:${http.port}/hooks/ofertas?secret=\${HOOK_SECRET}`, {
    HOOK_SECRET: "shh-0123456789",
  }, local);
  const result = await channel.send(messageOf(alert), alert.alert_id);
  assert.deepEqual(result, { ok: true, detail: "204 No Content" });
  const [r] = received;
  assert.equal(r!.path, "/hooks/ofertas");
  assert.equal(r!.headers["idempotency-key"], alert.alert_id);
  const expected = createHmac("sha256", "shh-0123456789").update(r!.body).digest("hex");
  assert.equal(r!.headers["x-ofertas-signature"], `sha256=${expected}`);
  const body = JSON.parse(r!.body);
  assert.equal(body.alerts[0].item_id, "MLB1234567890");
  assert.match(body.title, /^Below your price: Apple iPhone 15 128 GB at R\$ 3\.999,00$/);
  assert.ok(!r!.path.includes("secret") && !JSON.stringify(r!.headers).includes("shh-"), "the secret is not sent");
  assert.equal(channel.redacted, `json://127.0.0.1:${http.port}/hooks/ofertas?secret=***`);
});

test("webhook: a 404 is not a delivery, and says so in the channel's own words", async () => {
  answer = () => new Response("no such hook", { status: 404, statusText: "Not Found" });
  const channel = channelOf("hook", `json://127.0.0.1:${http.port}/nope`, {}, local);
  const result = await channel.send(testMessage(), "test-1");
  assert.equal(result.ok, false);
  assert.equal(result.detail, "404 Not Found: no such hook");
  answer = () => new Response(null, { status: 429, headers: { "retry-after": "7" } });
  assert.equal((await channel.send(testMessage(), "test-2")).retryAfterMs, 7000);
});

test("guard: https to public hosts; loopback, private ranges and plain http only when allowed", async () => {
  const pinned = (ips: string[]) => ({ resolve: () => Promise.resolve(ips) });
  const strict = { allowLoopback: false, allowPrivate: false };
  await checkTarget(new URL("https://hooks.example.com/x"), { ...strict, ...pinned(["93.184.216.34"]) });
  await assert.rejects(
    checkTarget(new URL("http://hooks.example.com/x"), { ...strict, ...pinned(["93.184.216.34"]) }),
    /plain http/,
  );
  await assert.rejects(checkTarget(new URL("https://127.0.0.1/x"), strict), /loopback/);
  await assert.rejects(
    checkTarget(new URL("https://hooks.example.com/"), { ...strict, ...pinned(["10.0.0.5"]) }),
    /private range/,
  );
  await assert.rejects(checkTarget(new URL("https://169.254.169.254/computeMetadata"), strict), /private range/);
  await assert.rejects(checkTarget(new URL("https://[::1]/"), strict), /loopback/);
  await checkTarget(new URL("http://127.0.0.1:9/x"), { allowLoopback: true, allowPrivate: false });
  await checkTarget(new URL("https://hooks.internal/"), {
    allowLoopback: false,
    allowPrivate: true,
    ...pinned(["192.168.1.2"]),
  });
  for (
    const [ip, kind] of [
      ["172.20.1.1", "private"],
      ["172.32.0.1", "public"],
      ["100.64.0.1", "private"],
      ["fd00::1", "private"],
      ["fe80::1", "private"],
      ["::ffff:10.1.2.3", "private"],
      ["2001:db8::1", "public"],
    ]
  ) {
    assert.equal(addressKind(ip!), kind, ip!);
  }
  // a channel refused by the guard is an error, never a silent success
  const channel = channelOf("hook", "json://127.0.0.1:9/x", {}, strict);
  await assert.rejects(channel.send(testMessage(), "k"), /loopback/);
});

test("ntfy: the message as the body, the title and the token as headers", async () => {
  received.length = 0;
  answer = () => Response.json({ id: "abc" });
  const channel = channelOf("phone", `ntfy://127.0.0.1:${http.port}/ofertas-deals?token=\${NTFY_TOKEN}&priority=high`, {
    NTFY_TOKEN: "tk_secret",
  }, local);
  assert.equal((await channel.send(messageOf(alert), alert.alert_id)).ok, true);
  const [r] = received;
  assert.equal(r!.path, "/ofertas-deals");
  assert.equal(r!.headers.authorization, "Bearer tk_secret");
  assert.equal(r!.headers.priority, "high");
  assert.equal(r!.headers.title, "Below your price: Apple iPhone 15 128 GB at R$ 3.999,00");
  assert.equal(r!.headers.click, alert.url);
  assert.match(r!.body, /at or below your price/);
  assert.ok(!channel.redacted.includes("tk_secret"));
});

test("discord: JSON content to the webhook; 204 is a delivery; 429 says how long to wait", async () => {
  received.length = 0;
  answer = () => new Response(null, { status: 204 });
  const options = { ...local, discordApi: `http://127.0.0.1:${http.port}` };
  const channel = channelOf("chat", "discord://123456789012345678/AbC-dEf_ghIJklmNOPqrs", {}, options);
  assert.equal((await channel.send(messageOf(alert), alert.alert_id)).ok, true);
  assert.equal(received[0]!.path, "/api/webhooks/123456789012345678/AbC-dEf_ghIJklmNOPqrs");
  assert.match(JSON.parse(received[0]!.body).content, /^\*\*Below your price/);
  answer = () => Response.json({ message: "You are being rate limited.", retry_after: 1.5 }, { status: 429 });
  const limited = await channel.send(messageOf(alert), alert.alert_id);
  assert.equal(limited.ok, false);
  assert.equal(limited.retryAfterMs, 1500);
  assert.equal(channel.redacted, "discord://***");
});

test("telegram: only {ok: true} is a delivery; the bot token never appears in an answer", async () => {
  received.length = 0;
  const token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
  const options = { ...local, telegramApi: `http://127.0.0.1:${http.port}` };
  const channel = channelOf("tg", `tgram://\${TG_TOKEN}/-1001234567`, { TG_TOKEN: token }, options);
  answer = () => Response.json({ ok: true, result: { message_id: 1 } });
  assert.equal((await channel.send(messageOf(alert), alert.alert_id)).ok, true);
  assert.equal(received[0]!.path, `/bot${token}/sendMessage`);
  assert.equal(JSON.parse(received[0]!.body).chat_id, "-1001234567");
  answer = () => Response.json({ ok: false, description: `Bad Request: chat not found for bot${token}` });
  const refused = await channel.send(messageOf(alert), alert.alert_id);
  assert.equal(refused.ok, false);
  assert.match(refused.detail, /chat not found/);
  assert.ok(!refused.detail.includes(token));
  assert.equal(channel.redacted, "tgram://***");
});

test("e-mail: nodemailer to a local SMTP server, the alert id as Message-ID; a bad login is an error", async () => {
  mails.length = 0;
  const channel = channelOf(
    "mail",
    `mailto://me:\${SMTP_PASSWORD}@127.0.0.1:${smtpPort}?to=deals@example.com,other@example.com&from=ofertas@example.com`,
    { SMTP_PASSWORD: "s3cret-pass" },
    local,
  );
  const result = await channel.send(messageOf(alert), alert.alert_id);
  assert.equal(result.ok, true, result.detail);
  assert.equal(mails.length, 1);
  assert.deepEqual(mails[0]!.to, ["deals@example.com", "other@example.com"]);
  assert.equal(mails[0]!.from, "ofertas@example.com");
  assert.match(mails[0]!.raw, /Subject: Below your price: Apple iPhone 15 128 GB at R\$ 3\.999,00/);
  assert.match(mails[0]!.raw, new RegExp(`Message-ID: <${alert.alert_id}@ofertas>`, "i"));
  assert.ok(!channel.redacted.includes("s3cret") && channel.redacted.startsWith("mailto://***:***@127.0.0.1:"));
  channel.close?.();
  const wrong = channelOf("mail", `mailto://me:nope@127.0.0.1:${smtpPort}?to=a@example.com`, {}, local);
  const refused = await wrong.send(messageOf(alert), alert.alert_id);
  assert.equal(refused.ok, false);
  assert.match(refused.detail, /535|bad login|Invalid/i);
  wrong.close?.();
});

test("channels: a bad configuration names the channel and never shows its secret", () => {
  assert.throws(() => channelsOf("{nope", {}, local), /OFERTAS_ALERT_CHANNELS is not JSON/);
  assert.throws(() => channelsOf("[]", {}, local), /must be a JSON object/);
  assert.throws(() => channelsOf('{"x": "smtp://a"}', {}, local), /alert channel x: unknown scheme smtp:/);
  assert.throws(() => channelsOf('{"x": "tgram://${TG}/1"}', {}, local), /alert channel x: \$\{TG\} is not set/);
  assert.throws(() => channelsOf('{"Bad Name": "json://a/b"}', {}, local), /names are 1-32/);
  assert.throws(() => channelsOf('{"x": "ntfys://ntfy.sh/"}', {}, local), /needs a host and a topic/);
  assert.throws(() => channelsOf('{"x": "mailtos://a:b@smtp.example.com"}', {}, local), /\?to=/);
  const channels = channelsOf(
    '{"a": "jsons://hooks.example.com/x?secret=${S}", "b": "ntfys://ntfy.sh/t?digest=daily"}',
    {
      S: "very-secret",
    },
    local,
  );
  assert.deepEqual([...channels.keys()], ["a", "b"]);
  assert.equal(channels.get("b")!.digest, "daily");
  for (const c of channels.values()) assert.ok(!c.redacted.includes("very-secret"));
  assert.equal(
    redact(new URL("jsons://u:p@h.example/x?token=t&keep=1")),
    "jsons://***:***@h.example/x?token=***&keep=1",
  );
});
