/**
 * A session, under `session/<SHA-256 of its token>` on the accounts topic: whose it is and until
 * when. The cookie holds the token; the topic holds only its hash, so reading the topic signs
 * nobody in. A tombstone ends it (sign out); raising an account's `session_epoch` ends all of its
 * sessions at once (sign out everywhere).
 */
import * as v from "valibot";
import { utcTimestamp } from "../contract/fields.ts";
import { accountId } from "./account-ids.ts";

export const SessionSchema = v.strictObject({
  type: v.literal("session"),
  account_id: accountId,
  /** The account's session_epoch when it began. */
  epoch: v.pipe(v.number(), v.integer(), v.minValue(0)),
  created_at: utcTimestamp,
  expires_at: utcTimestamp,
});
export type Session = v.InferOutput<typeof SessionSchema>;
