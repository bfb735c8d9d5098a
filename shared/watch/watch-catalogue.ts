/**
 * The watches by id, as the watches topic (`ofertas.watches`, compacted) says in log order: a
 * watch record under its id, a tombstone for a deleted one. Every reader (the route, the web
 * view, the alerter) keeps one. The route's requests to create or replace a watch (`put/<id>`
 * records, judged against the limits by watch-admission.ts) are not watches: a reader skips them
 * and waits for the watch record the route writes once its request is accepted.
 */
import * as v from "valibot";
import { log } from "../log.ts";
import { parseJsonText } from "../json-text.ts";
import { type Watch, WatchSchema } from "./watch.ts";

/** Keys of the watches topic that hold requests, not watches (watch-admission.ts). */
export const PUT_KEY_PREFIX = "put/";
export const putKey = (id: string): string => `${PUT_KEY_PREFIX}${id}`;

export class WatchCatalogue {
  private readonly byId = new Map<string, Watch>();

  /** A record of the watches topic, in log order. */
  apply(key: string, value: string | null): void {
    if (key.startsWith(PUT_KEY_PREFIX)) return;
    if (value === null) {
      this.byId.delete(key);
      return;
    }
    const parsed = v.safeParse(WatchSchema, parseJsonText(value));
    if (!parsed.success || parsed.output.id !== key) {
      log("warn", "watch_record_ignored", { key: key.slice(0, 80), reason: "not a valid watch" });
      return;
    }
    this.byId.set(key, parsed.output);
  }

  /** Every watch, by id. */
  watches(): Watch[] {
    return [...this.byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  watch(id: string): Watch | null {
    return this.byId.get(id) ?? null;
  }

  get size(): number {
    return this.byId.size;
  }
}
