/**
 * Where an open batch's records become staged rows. Two lanes behind one interface:
 *  - in this thread (the unit tests, tools): transform + BatchWriter, record by record;
 *  - in a worker (the daemon): the transform and the writing run on another core while this
 *    thread reads Kafka. Records cross as one buffer per chunk (moved, not copied), and the
 *    worker answers with the chunk's dead letters; a few chunks may be in flight at once.
 * Either way the lane seals into a LoadBatch of staged files.
 */
import { BatchWriter, type LoadBatch, type RowShape, type StageableRow } from "./staging.ts";
import { type DeadLetter, type DeadLetterKind, headerText, type RawRecord, type Transformed } from "./transform.ts";

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

export type WorkerReply =
  | { type: "added"; lane: number; chunk: number; dead: Array<{ index: number; kind: DeadLetterKind; reason: string }> }
  | { type: "sealed"; lane: number; batch: LoadBatch; duplicates: number }
  | { type: "discarded"; lane: number }
  | { type: "failed"; lane: number; chunk?: number; message: string };

/** Chunks a lane may have in the worker before `add` waits: reading runs ahead of staging a little. */
const CHUNKS_IN_FLIGHT = 4;

/** One worker; one open lane at a time (the consumer fills one batch at a time). */
export class WorkerLanes {
  private worker: Worker | null = null;
  private lanes = 0;
  private readonly waiting = new Map<string, { resolve(reply: WorkerReply): void; reject(error: Error): void }>();
  private failure: Error | null = null;

  /** `transformModule` exports `transformRecord`; it is imported in the worker. */
  constructor(private readonly transformModule: string) {}

  open(root: string, shape: RowShape, ingestedAt: string, onDead: OnDead): StagingLane {
    const worker = this.start();
    const lane = ++this.lanes;
    worker.postMessage(
      { type: "open", lane, root, shape, ingestedAt, transformModule: this.transformModule } satisfies WorkerRequest,
    );
    let chunks = 0;
    const inFlight: Array<Promise<unknown>> = [];
    return {
      add: async (records) => {
        while (inFlight.length >= CHUNKS_IN_FLIGHT) await inFlight.shift();
        const chunk = ++chunks;
        const message = pack(lane, chunk, records);
        const reply = this.request(`${lane}/added/${chunk}`);
        worker.postMessage(message, [message.values]);
        // the chunk's original records stay here until the worker says which were dead letters
        inFlight.push(reply.then((r) => {
          const dead = (r as Extract<WorkerReply, { type: "added" }>).dead;
          if (dead.length) onDead(dead.map((d) => ({ record: records[d.index]!, kind: d.kind, reason: d.reason })));
        }));
      },
      seal: async () => {
        await Promise.all(inFlight); // a failed chunk fails the batch
        const reply = this.request(`${lane}/sealed`);
        worker.postMessage({ type: "seal", lane } satisfies WorkerRequest);
        const sealed = (await reply) as Extract<WorkerReply, { type: "sealed" }>;
        return { batch: sealed.batch, duplicates: sealed.duplicates };
      },
      discard: async () => {
        await Promise.allSettled(inFlight);
        const reply = this.request(`${lane}/discarded`);
        worker.postMessage({ type: "discard", lane } satisfies WorkerRequest);
        await reply.catch(() => {});
      },
    };
  }

  close(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private start(): Worker {
    if (this.failure) throw this.failure;
    if (this.worker) return this.worker;
    // a small heap: the transform's garbage is collected early instead of growing the process
    const worker = new Worker(new URL("./staging-worker.ts", import.meta.url).href, {
      type: "module",
      smol: true,
    } as WorkerOptions);
    worker.addEventListener("message", (event: MessageEvent) => {
      const reply = event.data as WorkerReply;
      const key = reply.type === "added" ? `${reply.lane}/added/${reply.chunk}` : `${reply.lane}/${reply.type}`;
      if (reply.type === "failed") {
        const error = new Error(`staging failed: ${reply.message}`);
        for (const [k, w] of this.waiting) {
          if (k.startsWith(`${reply.lane}/`)) {
            w.reject(error);
            this.waiting.delete(k);
          }
        }
        return;
      }
      this.waiting.get(key)?.resolve(reply);
      this.waiting.delete(key);
    });
    worker.addEventListener("error", (event) => {
      this.failure = new Error(`the staging worker stopped: ${(event as ErrorEvent).message}`);
      for (const w of this.waiting.values()) w.reject(this.failure);
      this.waiting.clear();
    });
    this.worker = worker;
    return worker;
  }

  private request(key: string): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.set(key, { resolve, reject }));
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
