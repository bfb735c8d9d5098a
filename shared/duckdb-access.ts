/**
 * Sharing the local DuckDB file between its one writer (the batch consumer) and its readers
 * (the web view, the reports). DuckDB lets one process hold the file at a time for writing,
 * and a process reading it blocks the writer. So:
 *  - the writer announces itself in `<file>.writer` before it opens the file, and waits only
 *    for a query already running (a lock error is retried every few milliseconds);
 *  - a reader that sees the announcement waits for the writer to finish before it opens the
 *    file, so a stream of reads can never starve a load. A stale announcement (a crashed
 *    writer) is ignored after a minute.
 */
import { rm, stat, writeFile } from "node:fs/promises";
import process from "node:process";
import { retry, sleep } from "./retry.ts";

const STALE_MS = 60_000;
const isLockError = (error: unknown) => /lock/i.test((error as Error)?.message ?? "");

/** Marks the file as wanted by the writer; returns the release. */
export async function announceWrite(databasePath: string): Promise<() => Promise<void>> {
  const marker = `${databasePath}.writer`;
  await writeFile(marker, `${process.pid} ${new Date().toISOString()}\n`).catch(() => {});
  return () => rm(marker, { force: true });
}

/** Opens the file for writing, retrying briefly while a reader finishes its query. */
export function openExclusive<T>(open: () => Promise<T>, waitMs = 30_000): Promise<T> {
  return retry(open, {
    attempts: Math.ceil(waitMs / 20),
    backoff: { baseMs: 20, maxMs: 20, jitter: "none" },
    retryable: isLockError,
  });
}

/** True while a writer has announced itself and is not stale. */
export async function writerWaiting(databasePath: string, now = Date.now()): Promise<boolean> {
  try {
    const s = await stat(`${databasePath}.writer`);
    return now - s.mtimeMs < STALE_MS;
  } catch {
    return false;
  }
}

/**
 * Opens the file for reading: first lets an announced writer go, then retries while the writer
 * holds the file. Gives up after `waitMs` (the caller answers from what it has, or fails).
 */
export async function openShared<T>(databasePath: string, open: () => Promise<T>, waitMs = 10_000): Promise<T> {
  const deadline = Date.now() + waitMs;
  while (await writerWaiting(databasePath) && Date.now() < deadline) await sleep(20);
  return retry(open, {
    attempts: Math.max(1, Math.ceil((deadline - Date.now()) / 20)),
    backoff: { baseMs: 20, maxMs: 20, jitter: "none" },
    retryable: isLockError,
  });
}
