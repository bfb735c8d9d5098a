/**
 * Whose is what: every read and write of a watch, a channel or a mute asks here. An admin sees
 * and changes every watch; a member only their own; nobody signed in sees only the operator's
 * watches (those with no owner: the route's token, the command line), read-only, as before
 * accounts. Something not yours is answered exactly as something that does not exist (404).
 */
import type { Watch } from "../../shared/watch/watch.ts";
import type { Person } from "./session.ts";

export function canSee(person: Person | null, watch: Pick<Watch, "owner">): boolean {
  if (!watch.owner) return true;
  return person !== null && (person.account.role === "admin" || person.account.id === watch.owner);
}

export function canChange(person: Person | null, watch: Pick<Watch, "owner">): boolean {
  if (!person) return false;
  return person.account.role === "admin" || (watch.owner !== undefined && watch.owner === person.account.id);
}

/** A channel or a mute is its owner's alone (admins included: a person's channels are theirs). */
export function owns(person: Person | null, record: { owner: string } | null): boolean {
  return person !== null && record !== null && record.owner === person.account.id;
}

/**
 * Which watch ids `person` may see, failing closed: a watch is visible only once it is known
 * (the watches read, not deleted) and `canSee` allows it. While the watches are not read yet
 * (`null`: a cold start, a Kafka outage) or for a watch id nobody knows (deleted), nothing tied
 * to a watch is shown: a person's alerts and finds must not leak because a list was empty.
 */
export function watchVisibility(
  person: Person | null,
  watches: ReadonlyArray<Pick<Watch, "id" | "owner">> | null,
): (watchId: string) => boolean {
  const visible = new Set((watches ?? []).filter((w) => canSee(person, w)).map((w) => w.id));
  return (watchId) => visible.has(watchId);
}

/** Alerts `person` may see: those of global rules, and of watches visible to them (fails closed). */
export function visibleAlerts<A extends { watch_id: string | null }>(
  person: Person | null,
  alerts: readonly A[],
  watches: ReadonlyArray<Pick<Watch, "id" | "owner">> | null,
): A[] {
  const visible = watchVisibility(person, watches);
  return alerts.filter((a) => a.watch_id === null || visible(a.watch_id));
}
