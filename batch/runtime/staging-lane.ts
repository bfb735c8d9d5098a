/**
 * Where an open batch's records become staged rows. Two lanes behind one interface:
 *  - in this thread (the unit tests, tools): transform + BatchWriter, record by record;
 *  - in a worker (the daemon): the transform and the writing run on another core while this
 *    thread reads Kafka. Records cross as one buffer per chunk (moved, not copied), and the
 *    worker answers with the chunk's dead letters; a few chunks may be in flight at once.
 * Either way the lane seals into a LoadBatch of staged files.
 */
import { Rpc, RpcEnded } from "../../shared/rpc/rpc.ts";
import { workerPort } from "../../shared/rpc/worker-port.ts";
import { BatchWriter, type LoadBatch, type RowShape, type StageableRow } from "../staging.ts";
import { type DeadLetter, type DeadLetterKind, headerText, type Transformed } from "../transform.ts";
import type { RawRecord } from "../backend/backend.ts";

export interface SealedBatch {
  batch: LoadBatch;
  /** Rows whose key was already in the batch. */
  duplicates: number;
}

export interface StagingLane {
  /**
   * Transforms and stages `records` in order. Resolves once the lane has taken them (a worker
   * lane may still be working on them); their dead letters go to the `onDead` of `open`.
   */
  add(records: RawRecord[]): Promise<void>;
  /** Waits for every record taken, closes the files and returns the batch. */
  seal(): Promise<SealedBatch>;
  discard(): Promise<void>;
}

export type OnDead = (letters: DeadLetter[]) => void;

export type TransformFn = (
  record: RawRecord,
  ingestedAt: string,
) => Transformed<StageableRow> | Promise<Transformed<StageableRow>>;

/** Records transformed and written in this thread. */
export function inThreadLane(
  root: string,
  shape: RowShape,
  transform: TransformFn,
  ingestedAt: string,
  onDead: OnDead,
): StagingLane {
  const writer = new BatchWriter(root, shape);
  return {
    async add(records) {
      const dead: DeadLetter[] = [];
      for (const record of records) {
        const t = await transform(record, ingestedAt);
        if ("row" in t) {
          const wait = writer.add(t.row);
          if (wait) await wait;
        } else if ("skip" in t) {
          writer.noteOffset(record.topic, record.partition, record.offset);
        } else {
          writer.noteOffset(record.topic, record.partition, record.offset);
          dead.push(t.deadLetter);
        }
      }
      if (dead.length) onDead(dead);
    },
    async seal() {
      return { batch: await writer.seal(), duplicates: writer.duplicates };
    },
    discard: () => writer.discard(),
  };
}

// ------------------------------------------------------------------ worker lane

/** What crosses to the worker for a chunk: values in one buffer, the rest small arrays. */
export interface ChunkMessage {
  type: "add";
  lane: number;
  chunk: number;
  topic: string;
  values: ArrayBuffer;
  /** Byte length of each value; -1 for a null value. */
  lengths: Int32Array;
  partitions: Int32Array;
  offsets: string[];
  /** The schema_version header of each record (null when absent). */
  versions: Array<string | null>;
}

export type WorkerRequest =
  | { type: "open"; lane: number; root: string; shape: RowShape; ingestedAt: string; transformModule: string }
  | ChunkMessage
  | { type: "seal" | "discard"; lane: number };

/** A chunk's answer: which of its records were dead letters. */
export type ChunkDead = Array<{ index: number; kind: DeadLetterKind; reason: string }>;

/** Chunks a lane may have in the worker before `add` waits: reading runs ahead of staging a little. */
const CHUNKS_IN_FLIGHT = 4;

/** One worker (shared/rpc/); one open lane at a time (the consumer fills one batch at a time). */
export class WorkerLanes {
  // a small heap (Bun's `smol`): the transform's garbage is collected early instead of growing the process
  private readonly rpc = new Rpc<WorkerRequest, unknown>(() =>
    workerPort(new URL("./staging-worker.ts", import.meta.url).href, { smol: true })
  );
  private lanes = 0;
  private failure: Error | null = null;

  /** `transformModule` exports `transformRecord`; it is imported in the worker. */
  constructor(private readonly transformModule: string) {}

  open(root: string, shape: RowShape, ingestedAt: string, onDead: OnDead): StagingLane {
    const lane = ++this.lanes;
    const opened = this.call({ type: "open", lane, root, shape, ingestedAt, transformModule: this.transformModule });
    let chunks = 0;
    const inFlight: Array<Promise<unknown>> = [opened];
    return {
      add: async (records) => {
        while (inFlight.length >= CHUNKS_IN_FLIGHT) await inFlight.shift();
        const message = pack(lane, ++chunks, records);
        // the chunk's original records stay here until the worker says which were dead letters
        inFlight.push(
          this.call(message, [message.values]).then((dead) => {
            const letters = dead as ChunkDead;
            if (letters.length) {
              onDead(letters.map((d) => ({ record: records[d.index]!, kind: d.kind, reason: d.reason })));
            }
          }),
        );
      },
      seal: async () => {
        await Promise.all(inFlight); // a failed chunk fails the batch
        return (await this.call({ type: "seal", lane })) as SealedBatch;
      },
      discard: async () => {
        await Promise.allSettled(inFlight);
        await this.call({ type: "discard", lane }).catch(() => {});
      },
    };
  }

  close(): void {
    this.rpc.close(true);
  }

  /** A worker that crashed took its lanes with it: every later batch fails (the daemon stops). */
  private call(request: WorkerRequest, transfer?: Transferable[]): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    return this.rpc.call(request, { transfer }).catch((error: Error) => {
      if (error instanceof RpcEnded) this.failure ??= new Error(`the staging worker stopped: ${error.message}`);
      throw error instanceof RpcEnded ? this.failure : new Error(`staging failed: ${error.message}`);
    });
  }
}

function pack(lane: number, chunk: number, records: RawRecord[]): ChunkMessage {
  let size = 0;
  for (const r of records) size += r.value?.length ?? 0;
  const values = new Uint8Array(size);
  const lengths = new Int32Array(records.length);
  const partitions = new Int32Array(records.length);
  const offsets: string[] = new Array(records.length);
  const versions: Array<string | null> = new Array(records.length);
  let at = 0;
  records.forEach((r, i) => {
    if (r.value) {
      values.set(r.value, at);
      at += r.value.length;
      lengths[i] = r.value.length;
    } else lengths[i] = -1;
    partitions[i] = r.partition;
    offsets[i] = r.offset;
    versions[i] = headerText(r.headers.schema_version) ?? null;
  });
  return {
    type: "add",
    lane,
    chunk,
    topic: records[0]?.topic ?? "",
    values: values.buffer,
    lengths,
    partitions,
    offsets,
    versions,
  };
}

/** The worker's side of a chunk: the records again (values are views into the moved buffer). */
export function unpack(message: ChunkMessage): RawRecord[] {
  const bytes = new Uint8Array(message.values);
  const records: RawRecord[] = new Array(message.lengths.length);
  let at = 0;
  for (let i = 0; i < records.length; i++) {
    const length = message.lengths[i]!;
    const value = length < 0 ? null : bytes.subarray(at, at + length);
    if (length > 0) at += length;
    const version = message.versions[i];
    records[i] = {
      topic: message.topic,
      partition: message.partitions[i]!,
      offset: message.offsets[i]!,
      key: null,
      value,
      headers: version === null || version === undefined ? {} : { schema_version: version },
    };
  }
  return records;
}
