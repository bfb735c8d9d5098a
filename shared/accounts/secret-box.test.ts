import { describe, expect, test } from "bun:test";
import { Buffer } from "node:buffer";
import { SecretBox, SecretBoxError } from "./secret-box.ts";

const keyText = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");

describe("secrets at rest", () => {
  test("a round trip gives the secret back, and the sealed text does not hold it", async () => {
    const box = await SecretBox.fromBase64(keyText());
    const secret = "ntfys://ntfy.sh/my-private-topic-9f3a";
    const sealed = await box.seal(secret, "channel/c-abc");
    expect(sealed).not.toContain("my-private-topic");
    expect(await box.open(sealed, "channel/c-abc")).toBe(secret);
    // a fresh IV each time: the same secret never seals the same way twice
    expect(await box.seal(secret, "channel/c-abc")).not.toBe(sealed);
  });

  test("a wrong key is refused, saying it is another key", async () => {
    const sealed = await (await SecretBox.fromBase64(keyText())).seal("s3cret", "channel/c-1");
    const other = await SecretBox.fromBase64(keyText());
    await expect(other.open(sealed, "channel/c-1")).rejects.toThrow(/another key/);
  });

  test("a sealed value moved to another record, or altered, does not open", async () => {
    const box = await SecretBox.fromBase64(keyText());
    const sealed = await box.seal("s3cret", "channel/c-1");
    await expect(box.open(sealed, "channel/c-2")).rejects.toBeInstanceOf(SecretBoxError);
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString("base64url");
    await expect(box.open(parts.join("."), "channel/c-1")).rejects.toThrow(/does not open/);
    await expect(box.open("plain text", "channel/c-1")).rejects.toThrow(/not a sealed secret/);
  });

  test("a key that is not 32 bytes of base64 is refused", async () => {
    await expect(SecretBox.fromBase64("too-short")).rejects.toThrow(/32 bytes/);
    await expect(SecretBox.fromBase64(Buffer.alloc(16).toString("base64"))).rejects.toThrow(/32 bytes/);
  });
});
