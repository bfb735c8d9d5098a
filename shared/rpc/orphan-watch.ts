/**
 * A process that must not outlive the one that started it (a loader child, the consumer's
 * memory-budget re-run): when its parent is gone (killed, even with SIGKILL, which it cannot
 * pass on), the process is re-parented, and this notices within `everyMs` and exits at once.
 * Whatever it was doing is not committed anywhere, so nothing is lost: it is done again.
 */
import process from "node:process";

export function exitWhenOrphaned(everyMs = 250, onOrphaned: () => void = () => process.exit(1)): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) onOrphaned();
  }, everyMs);
  // the watch alone never keeps a process alive
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
