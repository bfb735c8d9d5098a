/**
 * Ids of what people own (accounts, their channels, their mutes): a kind letter, a dash and 12
 * random base32 characters, e.g. `u-k3x9q2m7a1bz`. They are Kafka keys, URL path segments and
 * channel names in alert records (at most 32 characters, [a-z0-9_-]), and carry no meaning: an id
 * in a URL tells nothing about whose it is, and every read checks ownership anyway.
 */
import * as v from "valibot";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

export const ACCOUNT_ID = /^u-[a-z2-7]{12}$/;
export const CHANNEL_ID = /^c-[a-z2-7]{12}$/;
export const MUTE_ID = /^m-[a-z2-7]{12}$/;

export function newId(kind: "u" | "c" | "m"): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `${kind}-${[...bytes].map((b) => ALPHABET[b & 31]).join("")}`;
}

/**
 * An id derived from what it names (the same text, the same id): what is posted twice is then
 * written twice under one key (a mute of the same thing is changed in place, not added again).
 */
export async function derivedId(kind: "m", text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return `${kind}-${[...digest.slice(0, 12)].map((b) => ALPHABET[b & 31]).join("")}`;
}

/** A random token for a URL or a cookie (32 bytes, base64url): a session, an invitation, a feed. */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** SHA-256 hex of a token: what the topic keeps instead of the token (a reader of the topic cannot sign in). */
export async function tokenHash(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export const accountId = v.pipe(v.string(), v.regex(ACCOUNT_ID, "must be an account id"));
