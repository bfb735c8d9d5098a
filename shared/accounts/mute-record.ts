/**
 * A mute, under `mute/<id>` on the accounts topic: its owner silences, until a time, one item
 * (on every watch of theirs: "I bought it"), one rule of a watch, or a whole watch. The alerter
 * skips alerts it covers (alert/mutes.ts); a tombstone undoes it.
 */
import * as v from "valibot";
import { utcTimestamp, watchId } from "../contract/fields.ts";
import { siteCode } from "../contract/fields.ts";
import { accountId, MUTE_ID } from "./account-ids.ts";

export const MUTE_KINDS = ["item", "rule", "watch"] as const;
export type MuteKind = (typeof MUTE_KINDS)[number];

export const MuteSchema = v.strictObject({
  type: v.literal("mute"),
  id: v.pipe(v.string(), v.regex(MUTE_ID)),
  owner: accountId,
  kind: v.picklist(MUTE_KINDS),
  /** The watch (rule and watch mutes; an item mute's watch, for the page to say where it came from). */
  watch_id: v.nullable(watchId),
  rule_id: v.nullable(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,31}$/))),
  site: v.nullable(siteCode),
  item_id: v.nullable(v.pipe(v.string(), v.regex(/^[A-Z]{3}\d{5,15}$/))),
  /** What the person saw when they muted it (the item's title), for the page; hostile text, escaped there. */
  label: v.pipe(v.string(), v.maxLength(200)),
  until: utcTimestamp,
  created_at: utcTimestamp,
});
export type Mute = v.InferOutput<typeof MuteSchema>;

/** What an alert must say for a mute to cover it. */
export interface MutableAlert {
  watch_id: string | null;
  rule_key: string;
  site: string | null;
  item_id: string | null;
}

/** Whether `mute` covers `alert` of a watch of the mute's owner at `now`. */
export function covers(mute: Mute, alert: MutableAlert, now: number): boolean {
  if (Date.parse(mute.until) <= now) return false;
  switch (mute.kind) {
    case "item":
      return alert.item_id !== null && alert.site === mute.site && alert.item_id === mute.item_id;
    case "watch":
      return alert.watch_id === mute.watch_id;
    case "rule":
      return alert.watch_id === mute.watch_id && alert.rule_key === `watch:${mute.watch_id}:${mute.rule_id}`;
  }
}
