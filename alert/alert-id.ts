/**
 * An alert's identity comes from the deal, not from whatever carried it: the rule, the item, the
 * episode (the observation that opened it: its scrape time and offer key) and the alert's number
 * within the episode (0 for the opening, then reminders). Every path that decides an alert (a load evaluated
 * again, a batch read twice, a second alerter, one catching up an hour late) decides the same
 * id, so the outbox holds it once and a receiver's idempotency key means something.
 */
import { hexPrefix, sha256 } from "../shared/sha256.ts";
import type { Fired } from "./episodes.ts";

/** The (rule, item) an episode belongs to: `<rule key>|<site>|<item id>`. */
export const episodeKey = (ruleKey: string, site: string, itemId: string) => `${ruleKey}|${site}|${itemId}`;

/** 24 hex characters of SHA-256 over the episode key, the episode's opening observation and the alert's number. */
export async function alertIdOf(key: string, fired: Fired): Promise<string> {
  return hexPrefix(
    await sha256(`${key}|${new Date(fired.since).toISOString()}|${fired.sinceKey}|${fired.number}`),
    12,
  );
}
