/**
 * The worker side of WorkerLanes (staging-lane.ts), answering through shared/rpc/: transforms the
 * chunks it is given and writes the rows into the open batch's staged files, answering each chunk
 * with its dead letters. Runs on its own core while the consumer's main thread reads Kafka.
 */
import { answerInWorker } from "../../shared/rpc/worker-port.ts";
import { BatchWriter } from "../staging.ts";
import { type ChunkDead, type ChunkMessage, type TransformFn, unpack, type WorkerRequest } from "./staging-lane.ts";

interface Lane {
  writer: BatchWriter;
  ingestedAt: string;
  transform: Promise<TransformFn>;
}

const lanes = new Map<number, Lane>();
const modules = new Map<string, Promise<TransformFn>>();

answerInWorker<WorkerRequest>(async (request) => {
  if (request.type === "open") {
    let transform = modules.get(request.transformModule);
    if (!transform) {
      transform = import(request.transformModule).then((m) => m.transformRecord as TransformFn);
      modules.set(request.transformModule, transform);
    }
    lanes.set(request.lane, {
      writer: new BatchWriter(request.root, request.shape),
      ingestedAt: request.ingestedAt,
      transform,
    });
    return null;
  }
  const lane = lanes.get(request.lane);
  if (!lane) throw new Error(`no open lane ${request.lane}`);
  if (request.type === "add") return await add(request, lane);
  lanes.delete(request.lane);
  if (request.type === "seal") return { batch: await lane.writer.seal(), duplicates: lane.writer.duplicates };
  await lane.writer.discard();
  return null;
});

async function add(message: ChunkMessage, lane: Lane): Promise<ChunkDead> {
  const transform = await lane.transform;
  const dead: ChunkDead = [];
  const records = unpack(message);
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    let t = transform(record, lane.ingestedAt);
    if (t instanceof Promise) t = await t;
    if ("row" in t) {
      const wait = lane.writer.add(t.row);
      if (wait) await wait;
    } else if ("skip" in t) {
      lane.writer.noteOffset(record.topic, record.partition, record.offset);
    } else {
      lane.writer.noteOffset(record.topic, record.partition, record.offset);
      dead.push({ index, kind: t.deadLetter.kind, reason: t.deadLetter.reason });
    }
  }
  return dead;
}
