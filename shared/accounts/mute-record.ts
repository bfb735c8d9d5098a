/**
 * A mute, under `mute/<id>` on the accounts topic: its owner silences, until a time, one item
 * (on every watch of theirs: "I bought it"), one rule of a watch, or a whole watch. The alerter
 * skips alerts it covers (alert/mutes.ts); a tombstone undoes it. Its id is derived from whose it
 * is and what it covers (muteIdOf), so muting the same thing again changes that mute in place, and
 * a person holds at most MAX_MUTES_PER_PERSON mutes in force.
 */
import * as v from "valibot";
import { utcTimestamp, watchId } from "../contract/fields.ts";
import { siteCode } from "../contract/fields.ts";
import { accountId, derivedId, MUTE_ID } from "./account-ids.ts";

export const MUTE_KINDS = ["item", "rule", "watch"] as const;
export type MuteKind = (typeof MUTE_KINDS)[number];
/** Mutes in force one person may hold (a mute of the same thing again does not count twice). */
export const MAX_MUTES_PER_PERSON = 200;

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

/** What a mute covers: an item (on every watch), a rule of a watch, or a watch. */
export type MuteScope = Pick<Mute, "kind" | "watch_id" | "rule_id" | "site" | "item_id">;

/** The id of `owner`'s mute of this scope: the same for the same owner and scope. */
export function muteIdOf(owner: string, scope: MuteScope): Promise<string> {
  const what = scope.kind === "item"
    ? [scope.site, scope.item_id]
    : scope.kind === "rule"
    ? [scope.watch_id, scope.rule_id]
    : [scope.watch_id];
  return derivedId("m", JSON.stringify([owner, scope.kind, ...what]));
}

/** Whether two mutes cover the same thing (an item mute's watch is only where it came from). */
export function sameScope(a: MuteScope, b: MuteScope): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "item") return a.site === b.site && a.item_id === b.item_id;
  return a.watch_id === b.watch_id && (a.kind === "watch" || a.rule_id === b.rule_id);
}

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
