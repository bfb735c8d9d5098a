/**
 * Every HTTP channel against a real local server: receivers for the webhook, ntfy, Discord and
 * Telegram APIs (e-mail: email.test.ts). What each sends, what each counts as delivered, and
 * that no secret leaks.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { type RunningServer, serve } from "../../shared/serve.ts";
import type { Alert } from "../../shared/alert/alert-record.ts";
import { redact } from "./channel.ts";
import { channelOf, channelsOf } from "./channels.ts";
import { checkTarget } from "./guard.ts";
import { addressKind } from "./ip-address.ts";
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

before(() => {
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
});

after(async () => {
  await http.stop();
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

test("webhook: the alert as JSON, an idempotency key, and a Standard Webhooks signature of id, time and body", async () => {
  received.length = 0;
  answer = () => new Response(null, { status: 204 });
  const channel = channelOf("hook", `json://127.0.0.1:${http.port}/hooks/ofertas?secret=\${HOOK_SECRET}`, {
    HOOK_SECRET: "shh-0123456789",
  }, local);
  const before = Math.floor(Date.now() / 1000);
  const result = await channel.send(messageOf(alert), alert.alert_id);
  assert.deepEqual(result, { ok: true, detail: "204 No Content", status: 204 });
  const [r] = received;
  assert.equal(r!.path, "/hooks/ofertas");
  assert.equal(r!.headers["idempotency-key"], alert.alert_id);
  assert.equal(r!.headers["webhook-id"], alert.alert_id);
  const timestamp = Number(r!.headers["webhook-timestamp"]);
  assert.ok(timestamp >= before && timestamp <= Math.ceil(Date.now() / 1000), "Unix seconds, now");
  // a plain secret is used as its UTF-8 bytes; the signed content is id.timestamp.body
  const expected = createHmac("sha256", "shh-0123456789").update(`${alert.alert_id}.${timestamp}.${r!.body}`)
    .digest("base64");
  assert.equal(r!.headers["webhook-signature"], `v1,${expected}`);
  assert.equal(r!.headers["x-ofertas-signature"], undefined, "the old, replayable signature is gone");
  const body = JSON.parse(r!.body);
  assert.equal(body.alerts[0].item_id, "MLB1234567890");
  assert.match(body.title, /^Below your price: Apple iPhone 15 128 GB at R\$ 3\.999,00$/);
  assert.ok(!r!.path.includes("secret") && !JSON.stringify(r!.headers).includes("shh-"), "the secret is not sent");
  assert.equal(channel.redacted, `json://127.0.0.1:${http.port}/***?secret=***`);
});

test("webhook: a whsec_ secret is base64 of the key; a malformed one is a configuration error", async () => {
  received.length = 0;
  answer = () => new Response(null, { status: 204 });
  const key = Buffer.from("0123456789abcdef0123456789abcdef");
  const channel = channelOf(
    "hook",
    `json://127.0.0.1:${http.port}/h?secret=whsec_${key.toString("base64")}`,
    {},
    local,
  );
  assert.equal((await channel.send(testMessage(), "test-1")).ok, true);
  const r = received[0]!;
  const signed = `test-1.${r.headers["webhook-timestamp"]}.${r.body}`;
  assert.equal(r.headers["webhook-signature"], `v1,${createHmac("sha256", key).update(signed).digest("base64")}`);
  assert.throws(() => channelOf("hook", "jsons://h.example/x?secret=whsec_not*base64", {}, local), /whsec_/);
});

test("webhook: a 404 is not a delivery, and says so in the channel's own words", async () => {
  answer = () => new Response("no such hook", { status: 404, statusText: "Not Found" });
  const channel = channelOf("hook", `json://127.0.0.1:${http.port}/nope`, {}, local);
  const result = await channel.send(testMessage(), "test-1");
  assert.equal(result.ok, false);
  assert.equal(result.detail, "404 Not Found: no such hook");
  assert.equal(result.status, 404);
  answer = () => new Response(null, { status: 429, headers: { "retry-after": "7" } });
  assert.equal((await channel.send(testMessage(), "test-2")).retryAfterMs, 7000);
  // a wait that is no wait is ignored; a huge one is clamped to an hour
  answer = () => new Response(null, { status: 503, headers: { "retry-after": "1e308" } });
  assert.equal((await channel.send(testMessage(), "test-3")).retryAfterMs, undefined);
  answer = () => new Response(null, { status: 503, headers: { "retry-after": "999999999" } });
  assert.equal((await channel.send(testMessage(), "test-4")).retryAfterMs, 3_600_000);
  // a reply that quotes the hook's secret path back shows *** instead
  answer = (r) => new Response(`no hook at ${r.path}`, { status: 404, statusText: "Not Found" });
  const secretPath = channelOf("hook", `json://127.0.0.1:${http.port}/services/T0AAA/B0BBB/Xsecret123`, {}, local);
  const quoted = await secretPath.send(testMessage(), "test-5");
  assert.ok(!/T0AAA|B0BBB|Xsecret123/.test(quoted.detail), quoted.detail);
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
  await assert.rejects(checkTarget(new URL("https://[::ffff:127.0.0.1]/"), strict), /loopback/);
  await assert.rejects(checkTarget(new URL("https://[64:ff9b::a9fe:a9fe]/"), strict), /private range/);
  await assert.rejects(
    checkTarget(new URL("https://hooks.example.com/"), { ...strict, ...pinned(["93.184.216.34", "224.0.0.1"]) }),
    /reserved/,
  );
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
      ["::ffff:7f00:1", "loopback"],
      ["2001:db8::1", "reserved"],
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
  assert.equal(channel.redacted, `ntfy://127.0.0.1:${http.port}/***?token=***&priority=high`, "the topic is a secret");
  // a title that is not ASCII goes as RFC 2047 words, never raw bytes or a line break
  received.length = 0;
  await channel.send(messageOf({ ...alert, title: "Fone São Paulo\r\nX-Evil: 1 📱" }), alert.alert_id);
  assert.match(received[0]!.headers.title!, /^(=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= ?)+$/);
  assert.equal(received[0]!.headers["x-evil"], undefined);
  assert.throws(() => channelOf("p", "ntfys://ntfy.sh/t?priority=x%0d%0aEvil:1", {}, local), /priority must be/);
});

test("discord: JSON content to the webhook; 204 is a delivery; 429 says how long to wait", async () => {
  received.length = 0;
  answer = () => new Response(null, { status: 204 });
  const options = { ...local, discordApi: `http://127.0.0.1:${http.port}` };
  const channel = channelOf("chat", "discord://123456789012345678/AbC-dEf_ghIJklmNOPqrs", {}, options);
  assert.equal((await channel.send(messageOf(alert), alert.alert_id)).ok, true);
  assert.equal(received[0]!.path, "/api/webhooks/123456789012345678/AbC-dEf_ghIJklmNOPqrs");
  assert.match(JSON.parse(received[0]!.body).content, /^\*\*Below your price/);
  received.length = 0;
  await channel.send(messageOf({ ...alert, title: "[Grátis](https://evil.example) # ||x||" }), alert.alert_id);
  const content = JSON.parse(received[0]!.body).content as string;
  assert.ok(content.includes("\\[Grátis\\]\\(https\\://evil.example\\) \\# \\|\\|x\\|\\|"), content);
  assert.deepEqual(JSON.parse(received[0]!.body).allowed_mentions, { parse: [] });
  answer = () => Response.json({ message: "You are being rate limited.", retry_after: 1.5 }, { status: 429 });
  const limited = await channel.send(messageOf(alert), alert.alert_id);
  assert.equal(limited.ok, false);
  assert.equal(limited.retryAfterMs, 1500);
  answer = () => Response.json({ retry_after: 1e308 }, { status: 429 });
  assert.equal((await channel.send(messageOf(alert), alert.alert_id)).retryAfterMs, 3_600_000);
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
  const sent = JSON.parse(received[0]!.body);
  assert.equal(sent.chat_id, "-1001234567");
  assert.equal(sent.parse_mode, undefined, "plain text: nothing in a title is markup");
  received.length = 0;
  await channel.send(messageOf({ ...alert, title: "<b>Fone</b>\u0001 *x*\u202e" }), alert.alert_id);
  assert.match(JSON.parse(received[0]!.body).text, /^Below your price: <b>Fone<\/b> \*x\* at R\$/);
  answer = () => Response.json({ ok: false, description: `Bad Request: chat not found for bot${token}` });
  const refused = await channel.send(messageOf(alert), alert.alert_id);
  assert.equal(refused.ok, false);
  assert.match(refused.detail, /chat not found/);
  assert.ok(!refused.detail.includes(token) && !refused.detail.includes(token.split(":")[1]!));
  assert.equal(channel.redacted, "tgram://***");
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
    "jsons://***:***@h.example/***?token=***&keep=***",
  );
});
