/**
 * The Standard Webhooks signature: the receiver snippet of docs/alerts.md, taken from the doc as
 * written, verifies what the channel really sends (both secret forms), and refuses a tampered
 * body, another secret, and a request replayed after the 5-minute tolerance.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, serve } from "../../shared/serve.ts";
import { channelOf } from "./channels.ts";
import { testMessage } from "./message.ts";
import { signatureHeaders, webhookKey } from "./webhook-signature.ts";

type Verify = (secret: string, headers: Headers, rawBody: string, nowSeconds?: number) => boolean;

/** The ```ts block after the marker in docs/alerts.md, imported as a module. */
async function docSnippet(): Promise<Verify> {
  const doc = readFileSync(new URL("../../docs/alerts.md", import.meta.url), "utf8");
  const marker = doc.indexOf("<!-- verify-webhook.ts:");
  assert.ok(marker > 0, "the snippet's marker is in docs/alerts.md");
  const code = /```ts\n([\s\S]*?)\n```/.exec(doc.slice(marker))?.[1];
  assert.ok(code, "a ts block follows the marker");
  const file = join(mkdtempSync(join(tmpdir(), "ofertas-verify-")), "verify-webhook.ts");
  writeFileSync(file, code);
  return ((await import(file)) as { verifyOfertasWebhook: Verify }).verifyOfertasWebhook;
}

let http: RunningServer;
const received: Array<{ headers: Headers; body: string }> = [];
before(() => {
  http = serve(async (request) => {
    received.push({ headers: request.headers, body: await request.text() });
    return new Response(null, { status: 204 });
  }, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 1 << 20 });
});
after(() => http.stop());

const local = { allowLoopback: true, allowPrivate: false };

test("docs/alerts.md's receiver verifies what the channel sends, and nothing else", async () => {
  const verify = await docSnippet();
  const whsec = `whsec_${Buffer.from("a 32-byte key for the hmac-sha256").toString("base64")}`;
  for (const secret of ["plain-secret-0123", whsec]) {
    received.length = 0;
    const channel = channelOf("hook", `json://127.0.0.1:${http.port}/h?secret=\${S}`, { S: secret }, local);
    assert.equal((await channel.send(testMessage(), "msg-0123"), received.length), 1);
    const { headers, body } = received[0]!;
    const sentAt = Number(headers.get("webhook-timestamp"));
    assert.equal(verify(secret, headers, body), true, secret);
    assert.equal(verify(secret, headers, body.replace("test message", "test massage")), false, "a changed body");
    const other = secret.startsWith("whsec_") ? `whsec_${Buffer.from("another key").toString("base64")}` : `${secret}x`;
    assert.equal(verify(other, headers, body), false, "another secret");
    assert.equal(verify(secret, headers, body, sentAt + 5 * 60), true, "within 5 minutes");
    assert.equal(verify(secret, headers, body, sentAt + 5 * 60 + 1), false, "replayed after 5 minutes");
    const otherId = new Headers(headers);
    otherId.set("webhook-id", "msg-9999");
    assert.equal(verify(secret, otherId, body), false, "the id is signed");
    const rotated = new Headers(headers);
    rotated.set("webhook-signature", `v1,${Buffer.alloc(32).toString("base64")} ${headers.get("webhook-signature")}`);
    assert.equal(verify(secret, rotated, body), true, "one good signature among several");
  }
});

/** The test vector the Standard Webhooks reference libraries all check. */
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

test("signatureHeaders: the Standard Webhooks test vector, exactly; the time is signed", async () => {
  const key = webhookKey(VECTOR.secret);
  const headers = await signatureHeaders(key, VECTOR.id, VECTOR.body, VECTOR.timestamp * 1000 + 999);
  assert.deepEqual(headers, {
    "webhook-id": VECTOR.id,
    "webhook-timestamp": String(VECTOR.timestamp),
    "webhook-signature": VECTOR.signature,
  });
  const later = await signatureHeaders(key, VECTOR.id, VECTOR.body, (VECTOR.timestamp + 1) * 1000);
  assert.notEqual(later["webhook-signature"], VECTOR.signature);
  const verify = await docSnippet();
  assert.equal(verify(VECTOR.secret, new Headers(headers), VECTOR.body, VECTOR.timestamp), true, "the doc's receiver");
  assert.deepEqual(webhookKey("plain"), new TextEncoder().encode("plain"));
  assert.throws(() => webhookKey("whsec_***"), /base64/);
});
