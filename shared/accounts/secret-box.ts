/**
 * Secrets at rest (a person's channel: an ntfy topic, a webhook URL and its secret, a Discord
 * hook): AES-256-GCM through WebCrypto (Bun and Deno alike), a random 96-bit IV per message, and
 * the record's id as additional data, so a sealed value copied onto another record does not
 * open. The key is 32 bytes, base64 in OFERTAS_SECRETS_KEY (the environment, or Secret Manager
 * in the cloud). A sealed value names its key by a short fingerprint, so a wrong key is refused
 * saying so instead of yielding garbage: `v1.<key id>.<iv>.<ciphertext+tag>` (base64url).
 */
import { Buffer } from "node:buffer";

const IV_BYTES = 12;
const PREFIX = "v1";

export class SecretBoxError extends Error {
  override name = "SecretBoxError";
}

export class SecretBox {
  private constructor(private readonly key: CryptoKey, readonly keyId: string) {}

  /** From the base64 of 32 random bytes (`openssl rand -base64 32`); throws naming what is wrong. */
  static async fromBase64(text: string): Promise<SecretBox> {
    const bytes = Buffer.from(text.trim(), "base64");
    if (bytes.length !== 32 || bytes.toString("base64") !== text.trim().replace(/=*$/, (m) => m)) {
      throw new SecretBoxError("the secrets key must be the base64 of exactly 32 bytes (openssl rand -base64 32)");
    }
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    const keyId = Buffer.from(digest.slice(0, 6)).toString("base64url");
    const key = await crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
    return new SecretBox(key, keyId);
  }

  /** Seals `plain` for the record `recordId` (the additional data). */
  async seal(plain: string, recordId: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const sealed = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(recordId) },
      this.key,
      new TextEncoder().encode(plain),
    );
    return [PREFIX, this.keyId, Buffer.from(iv).toString("base64url"), Buffer.from(sealed).toString("base64url")]
      .join(".");
  }

  /** Opens what `seal` made for the same record; throws a SecretBoxError otherwise. */
  async open(sealed: string, recordId: string): Promise<string> {
    const parts = sealed.split(".");
    if (parts.length !== 4 || parts[0] !== PREFIX) throw new SecretBoxError("not a sealed secret");
    if (parts[1] !== this.keyId) {
      throw new SecretBoxError(`sealed with another key (${parts[1]}), not this one (${this.keyId})`);
    }
    try {
      const plain = await crypto.subtle.decrypt(
        {
          name: "AES-GCM",
          iv: Buffer.from(parts[2]!, "base64url"),
          additionalData: new TextEncoder().encode(recordId),
        },
        this.key,
        Buffer.from(parts[3]!, "base64url"),
      );
      return new TextDecoder().decode(plain);
    } catch {
      throw new SecretBoxError("the sealed secret does not open: altered, or sealed for another record");
    }
  }
}
