import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { SecretBox, SecretBoxError } from "./secret-box.ts";

const keyText = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");

describe("secrets at rest", () => {
  test("a round trip gives the secret back, and the sealed text does not hold it", async () => {
    const box = await SecretBox.fromBase64(keyText());
    const secret = "ntfys://ntfy.sh/my-private-topic-9f3a";
    const sealed = await box.seal(secret, "channel/c-abc");
    assert.ok(!sealed.includes("my-private-topic"));
    assert.equal(await box.open(sealed, "channel/c-abc"), secret);
    // a fresh IV each time: the same secret never seals the same way twice
    assert.notEqual(await box.seal(secret, "channel/c-abc"), sealed);
  });

  test("a wrong key is refused, saying it is another key", async () => {
    const sealed = await (await SecretBox.fromBase64(keyText())).seal("s3cret", "channel/c-1");
    const other = await SecretBox.fromBase64(keyText());
    await assert.rejects(other.open(sealed, "channel/c-1"), /another key/);
  });

  test("a sealed value moved to another record, or altered, does not open", async () => {
    const box = await SecretBox.fromBase64(keyText());
    const sealed = await box.seal("s3cret", "channel/c-1");
    await assert.rejects(box.open(sealed, "channel/c-2"), SecretBoxError);
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString("base64url");
    await assert.rejects(box.open(parts.join("."), "channel/c-1"), /does not open/);
    await assert.rejects(box.open("plain text", "channel/c-1"), /not a sealed secret/);
  });

  test("a key that is not 32 bytes of base64 is refused", async () => {
    await assert.rejects(SecretBox.fromBase64("too-short"), /32 bytes/);
    await assert.rejects(SecretBox.fromBase64(Buffer.alloc(16).toString("base64")), /32 bytes/);
  });
});
