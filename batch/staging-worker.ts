/**
 * The worker side of WorkerLanes (staging-lane.ts): transforms the chunks it is given and
 * writes the rows into the open batch's staged files, answering each chunk with its dead
 * letters. Runs on its own core while the consumer's main thread reads Kafka.
 */
import { type ChunkMessage, unpack, type WorkerReply, type WorkerRequest } from "./staging-lane.ts";
import { BatchWriter, type StageableRow } from "./staging.ts";
import type { DeadLetterKind, RawRecord, Transformed } from "./transform.ts";

interface Scope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: WorkerReply): void;
}

type Transform = (
  record: RawRecord,
  ingestedAt: string,
) => Transformed<StageableRow> | Promise<Transformed<StageableRow>>;

const scope = globalThis as unknown as Scope;
const lanes = new Map<number, { writer: BatchWriter; ingestedAt: string; transform: Promise<Transform> }>();
const modules = new Map<string, Promise<Transform>>();
/** Messages are handled one after another, in order (a chunk's awaits must not interleave). */
let queue: Promise<unknown> = Promise.resolve();

scope.onmessage = (event: MessageEvent) => {
  const request = event.data as WorkerRequest;
  queue = queue.then(() => handle(request)).catch((error: Error) =>
    scope.postMessage({
      type: "failed",
      lane: request.lane,
      chunk: request.type === "add" ? request.chunk : undefined,
      message: error?.message ?? String(error),
    })
  );
};

async function handle(request: WorkerRequest): Promise<void> {
  if (request.type === "open") {
    let transform = modules.get(request.transformModule);
    if (!transform) {
      transform = import(request.transformModule).then((m) => m.transformRecord as Transform);
      modules.set(request.transformModule, transform);
    }
    lanes.set(request.lane, {
      writer: new BatchWriter(request.root, request.shape),
      ingestedAt: request.ingestedAt,
      transform,
    });
    return;
  }
  const lane = lanes.get(request.lane);
  if (!lane) throw new Error(`no open lane ${request.lane}`);
  if (request.type === "add") return add(request, lane);
  lanes.delete(request.lane);
  if (request.type === "seal") {
    const batch = await lane.writer.seal();
    scope.postMessage({ type: "sealed", lane: request.lane, batch, duplicates: lane.writer.duplicates });
  } else {
    await lane.writer.discard();
    scope.postMessage({ type: "discarded", lane: request.lane });
  }
}

async function add(
  message: ChunkMessage,
  lane: { writer: BatchWriter; ingestedAt: string; transform: Promise<Transform> },
) {
  const transform = await lane.transform;
  const dead: Array<{ index: number; kind: DeadLetterKind; reason: string }> = [];
  const records = unpack(message);
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    let t = transform(record, lane.ingestedAt);
    if (t instanceof Promise) t = await t;
    if ("row" in t) {
      const wait = lane.writer.add(t.row);
      if (wait) await wait;
    } else {
      lane.writer.noteOffset(record.topic, record.partition, record.offset);
      dead.push({ index, kind: t.deadLetter.kind, reason: t.deadLetter.reason });
    }
  }
  scope.postMessage({ type: "added", lane: message.lane, chunk: message.chunk, dead });
}
