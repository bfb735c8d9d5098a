/**
 * The batch being read: its records go to their staged files as they come (a staging lane), its
 * size is counted against the batch's bounds, and its dead letters are held in small chunks and
 * sent while the batch fills; every chunk is acknowledged before the batch's commit.
 */
import type { OnDead, StagingLane } from "./runtime/staging-lane.ts";
import type { DeadLetter } from "./transform.ts";
import type { RawRecord } from "./backend/backend.ts";

/** Dead letters are sent in chunks of this many while a batch fills (memory stays bounded). */
export const DEAD_LETTER_CHUNK = 500;

export interface OpenBatchOptions {
  generation: number;
  maxRecords: number;
  maxBytes: number;
  openLane(ingestedAt: string, onDead: OnDead): StagingLane;
  /** Sends dead letters (retried until sent, or the batch abandoned). */
  sendLetters(letters: DeadLetter[], generation: number): Promise<void>;
}

export class OpenBatch {
  readonly lane: StagingLane;
  readonly ingestedAt = new Date().toISOString();
  readonly generation: number;
  records = 0;
  bytes = 0;
  deadLetters = 0;
  private pendingLetters: DeadLetter[] = [];
  /** Dead letters being sent while the batch fills. */
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly options: OpenBatchOptions) {
    this.generation = options.generation;
    this.lane = options.openLane(this.ingestedAt, (letters) => this.onDead(letters));
  }

  isFull(): boolean {
    return this.records >= this.options.maxRecords || this.bytes >= this.options.maxBytes;
  }

  /** How many of `records` still fit, counting them in. */
  fit(records: RawRecord[]): number {
    let n = 0;
    while (n < records.length && !this.isFull()) {
      this.records++;
      this.bytes += records[n]!.value?.length ?? 0;
      n++;
    }
    return n;
  }

  /** Sends what is left, after what is under way. */
  async flushLetters(): Promise<void> {
    await this.sending;
    const letters = this.pendingLetters;
    this.pendingLetters = [];
    await this.options.sendLetters(letters, this.generation);
  }

  private onDead(letters: DeadLetter[]): void {
    this.deadLetters += letters.length;
    this.pendingLetters.push(...letters);
    if (this.pendingLetters.length >= DEAD_LETTER_CHUNK) {
      const chunk = this.pendingLetters;
      this.pendingLetters = [];
      this.sending = this.sending.then(() => this.options.sendLetters(chunk, this.generation));
    }
  }
}
