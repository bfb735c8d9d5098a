/**
 * An account, as the accounts topic keeps it under `account/<id>`: a login (an e-mail address or
 * a name, lower case, unique: the first account record to claim it in log order holds it), a role,
 * the password's hash (never the password), and `session_epoch`: a session of another epoch is
 * void, so raising it ends every session at once (sign out everywhere, a changed password). The feed token is kept as its hash.
 * `version` orders changes: a record replaces the account only when it is the previous version
 * + 1 (decided in log order, account-book.ts), so a write made from a stale copy is refused
 * instead of undoing a change made meanwhile (account-store.ts applies it again on the winner).
 */
import * as v from "valibot";
import { utcTimestamp } from "../contract/fields.ts";
import { accountId } from "./account-ids.ts";

export const ROLES = ["admin", "member"] as const;
export type Role = (typeof ROLES)[number];
export const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._+@-]{1,78}[a-z0-9]$/;

export const AccountSchema = v.strictObject({
  type: v.literal("account"),
  id: accountId,
  login: v.pipe(v.string(), v.regex(LOGIN_PATTERN)),
  role: v.picklist(ROLES),
  password_hash: v.pipe(v.string(), v.maxLength(200)),
  session_epoch: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** 0 for a new account (and records written before versions existed); each change adds 1. */
  version: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
  /** SHA-256 hex of the private feed's token; null: no feed. */
  feed_token_hash: v.nullable(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/))),
  created_at: utcTimestamp,
  updated_at: utcTimestamp,
});
export type Account = v.InferOutput<typeof AccountSchema>;

/** A login as typed, made canonical (trimmed, lower case); null when it cannot be one. */
export function canonicalLogin(text: string): string | null {
  const login = text.trim().toLowerCase();
  return LOGIN_PATTERN.test(login) ? login : null;
}
