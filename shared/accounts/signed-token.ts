/**
 * Signed, expiring tokens for links sent in messages (a mute link in an alert): a payload (JSON)
 * and its expiry, signed with HMAC-SHA256 under a key from the environment (OFERTAS_LINK_KEY), so
 * anyone holding the link can do exactly what it names, until it expires, and nothing else.
 * `<base64url payload>.<base64url signature>`; verification is WebCrypto's (constant time).
 */
import { Buffer } from "node:buffer";

/** The longest token accepted (a link in a message; every input has a bound). */
export const MAX_TOKEN_LENGTH = 1_024;

export type TokenCheck<T> = { ok: true; payload: T } | { ok: false; reason: string };

export class LinkSigner {
  private constructor(private readonly key: CryptoKey) {}

  /** From a secret of at least 32 characters. */
  static async fromSecret(secret: string): Promise<LinkSigner> {
    if (secret.length < 32) throw new RangeError("the link key must be at least 32 characters");
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    return new LinkSigner(key);
  }

  /** Signs `payload` until `expiresAt` (ms). */
  async sign(payload: Record<string, unknown>, expiresAt: number): Promise<string> {
    const body = Buffer.from(JSON.stringify({ ...payload, exp: Math.floor(expiresAt / 1000) })).toString("base64url");
    const signature = await crypto.subtle.sign("HMAC", this.key, new TextEncoder().encode(body));
    return `${body}.${Buffer.from(signature).toString("base64url")}`;
  }

  /** The payload of a valid, unexpired token; otherwise why not. `parse` checks its shape. */
  async verify<T>(token: string, now: number, parse: (value: unknown) => T | null): Promise<TokenCheck<T>> {
    if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: "this link is not one of ours" };
    const [body, signature, extra] = token.split(".");
    if (!body || !signature || extra !== undefined) return { ok: false, reason: "this link is not one of ours" };
    const valid = await crypto.subtle.verify(
      "HMAC",
      this.key,
      Buffer.from(signature, "base64url"),
      new TextEncoder().encode(body),
    );
    if (!valid) return { ok: false, reason: "this link is not one of ours (or was changed)" };
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    } catch {
      return { ok: false, reason: "this link is not one of ours" };
    }
    const exp = (value as { exp?: unknown }).exp;
    if (typeof exp !== "number" || exp * 1000 <= now) return { ok: false, reason: "this link has expired" };
    const payload = parse(value);
    return payload === null ? { ok: false, reason: "this link is not one of ours" } : { ok: true, payload };
  }
}
