/**
 * SHA-256 of UTF-8 text. Bun hashes synchronously (no await per row on the consumer's hot
 * path); elsewhere (Deno) the web-standard crypto.subtle is used. The only runtime-specific
 * lines of the contract.
 */
type SyncSha256 = (text: string) => Uint8Array;

interface BunLike {
  SHA256: { hash(data: string): Uint8Array };
}

/** The synchronous hash where the runtime offers one, else null. */
export const sha256Sync: SyncSha256 | null = (() => {
  const bun = (globalThis as { Bun?: BunLike }).Bun;
  return bun?.SHA256 ? (text: string) => bun.SHA256.hash(text) : null;
})();

export async function sha256(text: string): Promise<Uint8Array> {
  if (sha256Sync) return sha256Sync(text);
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** The first `bytes` bytes as lower-case hex (a table lookup: it runs once per offer). */
export function hexPrefix(digest: Uint8Array, bytes: number): string {
  let out = "";
  for (let i = 0; i < bytes; i++) out += HEX[digest[i]!]!;
  return out;
}
