/**
 * Webhook signatures in Standard Webhooks 1.0 form (standardwebhooks.com), which receivers can
 * check with that project's libraries or a few lines of their own (docs/alerts.md):
 *
 *   webhook-id: <the idempotency key: the same on every retry of a message>
 *   webhook-timestamp: <Unix seconds when this attempt was signed>
 *   webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">
 *
 * The timestamp is signed with the body, so a captured request is refused once it is older than
 * the receiver's tolerance (5 minutes), and within it the id tells a replay from a new message.
 * The key is the secret's bytes: `whsec_<base64>` decoded (the standard's form), or any other
 * secret's UTF-8 bytes.
 */

const WHSEC = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/** The HMAC key of a webhook secret; a `whsec_` secret that is not base64 is an error. */
export function webhookKey(secret: string): Uint8Array {
  if (!secret.startsWith("whsec_")) return new TextEncoder().encode(secret);
  const base64 = WHSEC.exec(secret)?.[1];
  if (!base64 || base64.length % 4 !== 0) throw new Error("a whsec_ secret must be whsec_ followed by base64");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** The three headers of one signed attempt. */
export async function signatureHeaders(
  key: Uint8Array,
  id: string,
  body: string,
  nowMs = Date.now(),
): Promise<Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string>> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const hmacKey = await crypto.subtle.importKey(
    "raw",
    key as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", hmacKey, new TextEncoder().encode(`${id}.${timestamp}.${body}`)),
  );
  return {
    "webhook-id": id,
    "webhook-timestamp": timestamp,
    "webhook-signature": `v1,${btoa(String.fromCharCode(...mac))}`,
  };
}
