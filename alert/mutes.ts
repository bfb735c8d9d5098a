/**
 * Whether an alert is muted: a person's watch's alert by that person's mutes (an item, a rule of
 * the watch, the whole watch: shared/accounts/mute-record.ts); an operator's watch's or a global
 * rule's alert by any admin's. Mutes are about the person's time, so `now` is the alerter's clock
 * when the alert is decided. The outbox asks before writing (alert/outbox.ts).
 */
import type { Alert } from "../shared/alert/alert-record.ts";
import type { AccountBook } from "../shared/accounts/account-book.ts";

export function mutedBy(
  book: AccountBook,
  ownerOf: (watchId: string) => string | undefined,
  now: () => number = Date.now,
): (alert: Alert) => boolean {
  return (alert) => {
    const owner = alert.watch_id ? ownerOf(alert.watch_id) : undefined;
    const at = now();
    if (owner) return book.isMuted(owner, alert, at);
    return book.allAccounts().some((a) => a.role === "admin" && book.isMuted(a.id, alert, at));
  };
}
