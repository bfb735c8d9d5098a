/**
 * What the enricher detailed recently, and what it should leave alone for a while: an item
 * detailed within the freshness window is not fetched again; an item whose page failed waits
 * out its backoff. Bounded: past `maxItems` the oldest entries go first (they are the least
 * fresh anyway). Rebuilt from the product-details topic when the enricher starts
 * (details-history.ts), so a restart does not fetch everything again.
 */
export class FreshnessLedger {
  /** item id → when it was last detailed (ms); Map order is insertion order: oldest first. */
  private readonly detailed = new Map<string, number>();
  /** item id → not before (ms). */
  private readonly waiting = new Map<string, number>();

  constructor(private readonly freshMs: number, private readonly maxItems = 500_000) {}

  get size(): number {
    return this.detailed.size;
  }

  /** Whether the item needs no fetch at `now`: detailed recently, or waiting after a failure. */
  isFresh(itemId: string, now: number): boolean {
    const at = this.detailed.get(itemId);
    if (at !== undefined && now - at < this.freshMs) return true;
    const until = this.waiting.get(itemId);
    if (until !== undefined) {
      if (now < until) return true;
      this.waiting.delete(itemId);
    }
    return false;
  }

  markDetailed(itemId: string, at: number): void {
    const known = this.detailed.get(itemId);
    if (known !== undefined && known >= at) return;
    this.detailed.delete(itemId); // re-inserted last: the newest
    this.detailed.set(itemId, at);
    this.waiting.delete(itemId);
    this.trim(this.detailed);
  }

  markFailed(itemId: string, until: number): void {
    this.waiting.delete(itemId);
    this.waiting.set(itemId, until);
    this.trim(this.waiting);
  }

  private trim(map: Map<string, number>): void {
    while (map.size > this.maxItems) map.delete(map.keys().next().value!);
  }
}
