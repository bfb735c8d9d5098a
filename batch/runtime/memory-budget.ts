/**
 * The consumer's memory budget. Bun sizes its JavaScript heap from the machine's RAM and lets
 * garbage pile up accordingly (a 24 GB machine: a consumer of 480 MB that could live in 260).
 * JavaScriptCore takes the RAM to plan for from BUN_JSC_forceRAMSize, read when the process
 * starts, so the daemon starts itself once more with it set: the first process (the one a
 * supervisor started) only waits and passes signals and the exit code on, and the daemon ends at
 * once when that first process is gone, SIGKILL included (shared/rpc/orphan-watch.ts): one PID
 * stops both. Runtime-specific, and only here.
 */
import { spawn } from "node:child_process";
import process from "node:process";
import { log } from "../../shared/log.ts";
import { exitWhenOrphaned } from "../../shared/rpc/orphan-watch.ts";

const JSC_RAM = "BUN_JSC_forceRAMSize";
/** Set by the launcher for its re-run: the pid of the process to stay with. */
const LAUNCHER = "OFERTAS_BUDGET_LAUNCHER";

/** True when this process handed the work to a child within the budget (and will exit with it). */
export function runWithinMemoryBudget(megabytes: number): boolean {
  if (process.env[LAUNCHER] === String(process.ppid)) {
    // the re-run: never outlive the launcher (the batch under way is read again after a restart)
    exitWhenOrphaned(250, () => {
      log("warn", "consumer_orphaned", { note: "the process that started this one is gone; stopping at once" });
      process.exit(1);
    });
    return false;
  }
  const isBun = (globalThis as { Bun?: unknown }).Bun !== undefined;
  if (!isBun || megabytes === 0 || process.env[JSC_RAM]) return false;
  const child = spawn(process.execPath, process.argv.slice(1), {
    env: { ...process.env, [JSC_RAM]: String(megabytes * 1024 * 1024), [LAUNCHER]: String(process.pid) },
    stdio: "inherit",
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => child.kill(signal));
  // end the way the daemon ended: its exit code, or the same signal
  child.on("exit", (code, signal) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)));
  return true;
}
