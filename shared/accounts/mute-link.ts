/**
 * The mute link an alert carries: `<OFERTAS_PUBLIC_URL>/mute?t=<token>`, the token signed with
 * OFERTAS_LINK_KEY (shared/accounts/signed-token.ts) and expiring, naming what it mutes: whose
 * (the watch's owner), the watch, the rule, the item. Opening it shows what would be silenced and
 * a button (a GET never changes anything: mail scanners open links); pressing it writes the mute.
 * The alerter makes the links (alert/mute-links.ts); the web view checks them (web/accounts/mute-routes.tsx).
 */
import * as v from "valibot";
import { accountId } from "./account-ids.ts";
import { watchId } from "../contract/fields.ts";

export const MuteLinkSchema = v.object({
  /** The owner of the watch (whose mute it is). */
  o: accountId,
  w: watchId,
  /** The rule's id within the watch. */
  r: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,31}$/)),
  s: v.pipe(v.string(), v.regex(/^[A-Z]{3}$/)),
  i: v.pipe(v.string(), v.regex(/^[A-Z]{3}\d{5,15}$/)),
  /** The item's title as the alert said it (hostile text: escaped where shown). */
  t: v.pipe(v.string(), v.maxLength(80)),
});
export type MuteLink = v.InferOutput<typeof MuteLinkSchema>;

export const parseMuteLink = (value: unknown): MuteLink | null => {
  const parsed = v.safeParse(MuteLinkSchema, value);
  return parsed.success ? parsed.output : null;
};

/** The link's address under the web view's public address. */
export const muteUrl = (publicUrl: string, token: string) => `${publicUrl.replace(/\/$/, "")}/mute?t=${token}`;
