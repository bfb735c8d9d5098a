/**
 * Password hashes: scrypt with OWASP's parameters (N = 2^17, r = 8, p = 1, a 16-byte random
 * salt, a 32-byte key), through node:crypto, which Bun and Deno both provide (no dependency, no
 * native binding). Each hash is stored with its parameters (`scrypt$17$8$1$<salt>$<key>`, base64url),
 * so raising them later still verifies old hashes, and `needsRehash` says when to write a new one
 * at the next sign-in. The comparison is constant-time. A hash takes about 128 MiB and 0.4 s:
 * callers bound how many run at once (web/accounts/login-limiter.ts).
 */
import { Buffer } from "node:buffer";
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

export interface ScryptParameters {
  /** log2 of N, the CPU/memory cost. */
  logN: number;
  r: number;
  p: number;
}

/** OWASP Password Storage Cheat Sheet: scrypt with N = 2^17, r = 8, p = 1 (when Argon2id is not at hand). */
export const OWASP_SCRYPT: ScryptParameters = { logN: 17, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** A longer password is refused before hashing (every input has a bound). */
export const MAX_PASSWORD_LENGTH = 256;
export const MIN_PASSWORD_LENGTH = 10;

/** scrypt's memory is 128·N·r bytes; node's default maxmem (32 MiB) is below OWASP's 128 MiB. */
const memoryOf = (p: ScryptParameters) => 128 * 2 ** p.logN * p.r;

function derive(password: string, salt: Buffer, p: ScryptParameters): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize("NFC"),
      salt,
      KEY_BYTES,
      { N: 2 ** p.logN, r: p.r, p: p.p, maxmem: memoryOf(p) + 16 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    )
  );
}

/** Why a new password cannot be used, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `a password may have at most ${MAX_PASSWORD_LENGTH} characters`;
  return null;
}

export async function hashPassword(password: string, params: ScryptParameters = OWASP_SCRYPT): Promise<string> {
  if (password.length > MAX_PASSWORD_LENGTH) throw new RangeError("password too long");
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return ["scrypt", params.logN, params.r, params.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

const STORED = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{32,128})$/;

/** The parameters of a stored hash, or null when it is not one of ours. */
export function parametersOf(stored: string): ScryptParameters | null {
  const m = STORED.exec(stored);
  if (!m) return null;
  const p = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  // bounds: a record cannot make a verification take gigabytes
  return p.logN >= 10 && p.logN <= 20 && p.r >= 1 && p.r <= 16 && p.p >= 1 && p.p <= 4 ? p : null;
}

/** True when `password` is the one hashed; a malformed hash never verifies. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const params = parametersOf(stored);
  if (!params || password.length > MAX_PASSWORD_LENGTH) return false;
  const [, , , , salt, key] = stored.split("$");
  const expected = Buffer.from(key!, "base64url");
  const actual = await derive(password, Buffer.from(salt!, "base64url"), params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** True when the stored hash was made with weaker parameters than today's. */
export function needsRehash(stored: string, target: ScryptParameters = OWASP_SCRYPT): boolean {
  const p = parametersOf(stored);
  return !p || p.logN < target.logN || p.r < target.r || p.p < target.p;
}
