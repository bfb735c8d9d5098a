/**
 * An invitation, under `invite/<SHA-256 of its token>`: an admin asked for an account with this
 * login and role; whoever opens the link (it holds the token) before it expires chooses the
 * password. Also the first admin's setup link when the web view starts with no admin.
 */
import * as v from "valibot";
import { utcTimestamp } from "../contract/fields.ts";
import { LOGIN_PATTERN, ROLES } from "./account-record.ts";

export const InviteSchema = v.strictObject({
  type: v.literal("invite"),
  login: v.pipe(v.string(), v.regex(LOGIN_PATTERN)),
  role: v.picklist(ROLES),
  created_by: v.pipe(v.string(), v.maxLength(40)),
  expires_at: utcTimestamp,
});
export type Invite = v.InferOutput<typeof InviteSchema>;
