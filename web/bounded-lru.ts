/**
 * A map bounded by entries and by bytes, the least recently used entry dropped first; an entry
 * the owner pins (today's list of deals) is never dropped. The bytes are the owner's estimate of
 * each value (its answer's JSON length); an entry's size may be learnt after it is stored (an
 * answer still being computed counts as nothing until it is in).
 */

export interface LruBounds {
  maxEntries: number;
  maxBytes: number;
}

interface Slot<V> {
  value: V;
  bytes: number;
}

export class BoundedLru<V> {
  private readonly slots = new Map<string, Slot<V>>();
  private total = 0;

  constructor(readonly bounds: LruBounds, private readonly pinned: (key: string) => boolean = () => false) {}

  get size(): number {
    return this.slots.size;
  }

  get bytes(): number {
    return this.total;
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  /** The value, now the most recently used. */
  get(key: string): V | undefined {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.value;
  }

  /** Only if it is still `value` (a later store may have replaced it). */
  peek(key: string): V | undefined {
    return this.slots.get(key)?.value;
  }

  set(key: string, value: V, bytes = 0): void {
    this.delete(key);
    this.slots.set(key, { value, bytes });
    this.total += bytes;
    this.trim();
  }

  /** Records what `key`'s value weighs now that it is known, if `key` still holds `value`. */
  resize(key: string, value: V, bytes: number): void {
    const slot = this.slots.get(key);
    if (!slot || slot.value !== value) return;
    this.total += bytes - slot.bytes;
    slot.bytes = bytes;
    this.trim();
  }

  delete(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    this.total -= slot.bytes;
    this.slots.delete(key);
  }

  /** Drops the least recently used unpinned entries until both bounds hold (pinned ones may exceed them). */
  private trim(): void {
    if (this.slots.size <= this.bounds.maxEntries && this.total <= this.bounds.maxBytes) return;
    for (const key of [...this.slots.keys()]) {
      if (this.slots.size <= this.bounds.maxEntries && this.total <= this.bounds.maxBytes) return;
      if (!this.pinned(key)) this.delete(key);
    }
  }
}
