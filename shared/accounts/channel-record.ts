/**
 * A person's channel, under `channel/<id>` on the accounts topic: its owner, a name they chose,
 * its kind, and what they gave (an ntfy topic URL, a webhook URL, a Discord hook, a Telegram chat,
 * an e-mail address) sealed with the deployment's key (secret-box.ts, the record's key as
 * additional data). `shown` is what a page may show of it (redacted by structure); the sealed
 * value is never shown, never logged, and opened only by the alerter and the test button.
 * A person holds at most MAX_CHANNELS_PER_PERSON, decided in log order (account-book.ts).
 */
import * as v from "valibot";
import { utcTimestamp } from "../contract/fields.ts";
import { accountId, CHANNEL_ID } from "./account-ids.ts";

export const CHANNEL_KINDS = ["ntfy", "webhook", "discord", "telegram", "email"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
/** Channels one person may hold: a new channel past it in log order is ignored by every reader. */
export const MAX_CHANNELS_PER_PERSON = 10;

export const ChannelRecordSchema = v.strictObject({
  type: v.literal("channel"),
  id: v.pipe(v.string(), v.regex(CHANNEL_ID)),
  owner: accountId,
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(40)),
  kind: v.picklist(CHANNEL_KINDS),
  sealed: v.pipe(v.string(), v.maxLength(4_000)),
  shown: v.pipe(v.string(), v.maxLength(200)),
  created_at: utcTimestamp,
});
export type ChannelRecord = v.InferOutput<typeof ChannelRecordSchema>;

export const channelRecordKey = (id: string) => `channel/${id}`;
