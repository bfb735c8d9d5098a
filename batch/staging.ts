/**
 * A batch is written as it is read: each row goes straight into an NDJSON file on local disk
 * (gzip for the trip to GCS), one per partition date and Kafka partition, through bounded
 * buffers (line-file.ts), so memory does not grow with the batch. Sealing names the files after
 * the batch's offset ranges and gives the batch a deterministic id:
 *   <local dir>/spool/<table>/<date column>=<date>/<topic>-<partition>-<first>-<last>.json[.gz]
 * and the same name under staging/ is the GCS object (or, kept, the local file after the load).
 * A retried batch writes the same names and runs the same jobs. Everything under spool/ belongs
 * to a batch not yet loaded: a process that starts clears it (those records are read again from
 * Kafka), and a batch that is loaded, refused or abandoned deletes its own files.
 */
import { createReadStream, mkdirSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import process from "node:process";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { hexPrefix, sha256 } from "../shared/sha256.ts";
import { type LineFile, openLineFile } from "./line-file.ts";

export interface OffsetRange {
  topic: string;
  partition: number;
  first: string;
  last: string;
}

export interface StagedFile {
  /** Relative name: under the local folder, and the object name in the bucket. */
  path: string;
  /** Where the gzip file is on this machine. */
  localPath: string;
  date: string;
  rows: number;
}

export interface LoadBatch {
  /**
   * Deterministic id: a hash of the offset ranges and the batch's keys. A retry of the same
   * batch gets the same id (same job ids, same staging table). Another batch never does, not
   * even with the same offsets after a topic was recreated.
   */
  id: string;
  table: string;
  ranges: OffsetRange[];
  files: StagedFile[];
  rows: number;
  /** Partition dates the batch touches, sorted (the partitions a load writes). */
  dates: string[];
}

/** What the writer needs to know about a table's rows. */
export interface RowShape {
  table: string;
  /** Column that identifies a row; loads are idempotent on it. */
  keyColumn: string;
  /** Date column the table is partitioned by. */
  dateColumn: string;
  /**
   * gzip the staged files (for the trip to GCS). The local warehouse reads them from the same
   * disk and is faster without: no compression on either side.
   */
  compress?: boolean;
}

/** A row as the writer sees it: the key, the date and where it was read from. */
export type StageableRow = Record<string, unknown> & {
  kafka_topic: string;
  kafka_partition: number;
  kafka_offset: number;
};

/** The shape of a loaded table's rows. */
export function shapeOf(table: { name: string; key?: string; partitionField: string }): RowShape {
  if (!table.key) throw new Error(`table ${table.name} has no key: it is not loaded by the consumer`);
  return { table: table.name, keyColumn: table.key, dateColumn: table.partitionField, compress: true };
}

/** Batches being written or loaded, on local disk. */
export const SPOOL_DIR = "spool";
/** Where staged files go: the object prefix in GCS (a lifecycle rule clears it), kept files locally. */
export const STAGING_PREFIX = "staging";
let writerSequence = 0;

interface OpenFile {
  date: string;
  topic: string;
  partition: number;
  tmpPath: string;
  lines: LineFile;
  rows: number;
}

interface Range {
  topic: string;
  partition: number;
  first: bigint;
  last: bigint;
}

/** Writes one batch's rows as they come; `seal` returns the batch, `discard` forgets it. */
export class BatchWriter {
  private readonly files = new Map<string, OpenFile>();
  private readonly ranges = new Map<string, Range>();
  /** Rows come in runs of one partition (and mostly one date): the last file and range are looked up first. */
  private lastFile: OpenFile | null = null;
  private lastRange: Range | null = null;
  /** The batch's keys: de-duplication within the batch, and the batch id. */
  private readonly keys = new Set<string>();
  private readonly tmpDir: string;
  private sealed = false;
  duplicates = 0;
  rows = 0;

  private readonly extension: string;

  constructor(private readonly root: string, private readonly shape: RowShape) {
    this.extension = shape.compress ? ".json.gz" : ".json";
    this.tmpDir = join(root, SPOOL_DIR, shape.table, ".writing", `${process.pid}-${++writerSequence}`);
  }

  /** Counts a record's offset into the batch's ranges (rows and dead letters alike are committed). */
  noteOffset(topic: string, partition: number, offset: string | number): void {
    const at = BigInt(offset);
    let range = this.lastRange;
    if (range?.partition !== partition || range.topic !== topic) {
      const key = `${topic}/${partition}`;
      range = this.ranges.get(key) ?? null;
      if (!range) {
        this.ranges.set(key, this.lastRange = { topic, partition, first: at, last: at });
        return;
      }
      this.lastRange = range;
    }
    if (at < range.first) range.first = at;
    if (at > range.last) range.last = at;
  }

  /** Adds a row; returns a promise only when gzip asks the writer to wait (backpressure). */
  add(row: StageableRow): void | Promise<void> {
    if (this.sealed) throw new Error("batch already sealed");
    const key = row[this.shape.keyColumn] as string;
    if (this.keys.has(key)) {
      this.duplicates++;
      return;
    }
    this.keys.add(key);
    this.rows++;
    this.noteOffset(row.kafka_topic, row.kafka_partition, row.kafka_offset);
    const file = this.fileOf(row[this.shape.dateColumn] as string, row.kafka_topic, row.kafka_partition);
    file.rows++;
    return file.lines.add(JSON.stringify(row));
  }

  private fileOf(date: string, topic: string, partition: number): OpenFile {
    const last = this.lastFile;
    if (last?.partition === partition && last.date === date && last.topic === topic) return last;
    const fileKey = `${date}|${topic}|${partition}`;
    return this.lastFile = this.files.get(fileKey) ?? this.open(fileKey, date, topic, partition);
  }

  get offsetRanges(): OffsetRange[] {
    return [...this.ranges.values()].map((r) => ({
      topic: r.topic,
      partition: r.partition,
      first: String(r.first),
      last: String(r.last),
    }));
  }

  /** Closes every file, names it after the batch's ranges, and returns the batch. */
  async seal(): Promise<LoadBatch> {
    this.sealed = true;
    const ranges = this.offsetRanges;
    const rangeOf = new Map(ranges.map((r) => [`${r.topic}/${r.partition}`, r]));
    const staged: StagedFile[] = [];
    for (const file of this.files.values()) {
      await file.lines.close();
      const range = rangeOf.get(`${file.topic}/${file.partition}`)!;
      const name = `${this.shape.table}/${this.shape.dateColumn}=${file.date}/` +
        `${range.topic}-${range.partition}-${range.first}-${range.last}${this.extension}`;
      const path = `${STAGING_PREFIX}/${name}`;
      const localPath = join(this.root, SPOOL_DIR, name);
      await mkdir(dirname(localPath), { recursive: true });
      await rename(file.tmpPath, localPath);
      staged.push({ path, localPath, date: file.date, rows: file.rows });
    }
    await rm(this.tmpDir, { recursive: true, force: true });
    staged.sort((a, b) => a.path.localeCompare(b.path));
    return {
      id: await batchIdOf(ranges, [...this.keys]),
      table: this.shape.table,
      ranges,
      files: staged,
      rows: this.rows,
      dates: [...new Set(staged.map((f) => f.date))].sort(),
    };
  }

  /** Drops the batch: its files are deleted (its records will be read again). */
  async discard(): Promise<void> {
    this.sealed = true;
    for (const file of this.files.values()) file.lines.destroy();
    await rm(this.tmpDir, { recursive: true, force: true });
  }

  private open(fileKey: string, date: string, topic: string, partition: number): OpenFile {
    const tmpPath = join(this.tmpDir, `${this.files.size}${this.extension}`);
    // created synchronously, once per batch: add() stays free of awaits
    if (this.files.size === 0) mkdirSync(this.tmpDir, { recursive: true });
    const open: OpenFile = {
      date,
      topic,
      partition,
      tmpPath,
      lines: openLineFile(tmpPath, !!this.shape.compress),
      rows: 0,
    };
    this.files.set(fileKey, open);
    return open;
  }
}

export async function batchIdOf(ranges: readonly OffsetRange[], keys: readonly string[]): Promise<string> {
  const canonical = [...ranges]
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
    .map((r) => `${r.topic}/${r.partition}/${r.first}-${r.last}`)
    .join(",")
    .concat("|", [...keys].sort().join(","));
  return hexPrefix(await sha256(canonical), 12);
}

/** The lines (rows as JSON text) of a staged file, streamed. */
export async function* stagedLines(file: StagedFile): AsyncGenerator<string> {
  const raw = createReadStream(file.localPath);
  const input = file.localPath.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) if (line) yield line;
}

/**
 * Splits a batch in two halves by rows (to find the rows a warehouse refuses); each half is
 * a batch of its own with its own ranges and id. The parent's files are deleted.
 */
export async function splitBatch(batch: LoadBatch, root: string, shape: RowShape): Promise<[LoadBatch, LoadBatch]> {
  const half = Math.ceil(batch.rows / 2);
  const halves = [new BatchWriter(root, shape), new BatchWriter(root, shape)] as const;
  let seen = 0;
  for (const file of batch.files) {
    for await (const line of stagedLines(file)) {
      const wait = halves[seen++ < half ? 0 : 1].add(JSON.parse(line) as StageableRow);
      if (wait) await wait;
    }
  }
  await deleteLocalFiles(batch);
  return [await halves[0].seal(), await halves[1].seal()];
}

export async function deleteLocalFiles(batch: LoadBatch): Promise<void> {
  await Promise.all(batch.files.map((f) => rm(f.localPath, { force: true })));
}

/** Clears what a previous process left in the spool (batches it never committed). */
export async function clearSpool(root: string, table: string): Promise<void> {
  // one table's spool only: each feed of the daemon clears its own when it starts
  await rm(join(root, SPOOL_DIR, table), { recursive: true, force: true });
}

/** Rows and offsets already in memory → a sealed batch (tests, tools, benchmarks). */
export async function stageRows(
  root: string,
  shape: RowShape,
  rows: readonly StageableRow[],
  ranges: readonly OffsetRange[] = [],
): Promise<LoadBatch> {
  const writer = new BatchWriter(root, shape);
  for (const r of ranges) {
    writer.noteOffset(r.topic, r.partition, r.first);
    writer.noteOffset(r.topic, r.partition, r.last);
  }
  for (const row of rows) {
    const wait = writer.add(row);
    if (wait) await wait;
  }
  return writer.seal();
}
