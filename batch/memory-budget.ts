/**
 * The consumer's memory budget. Bun sizes its JavaScript heap from the machine's RAM and lets
 * garbage pile up accordingly (a 24 GB machine: a consumer of 480 MB that could live in 260).
 * JavaScriptCore takes the RAM to plan for from BUN_JSC_forceRAMSize, read when the process
 * starts, so the daemon starts itself once more with it set (the first process only waits and
 * passes signals and the exit code on). Runtime-specific, and only here.
 */
import { spawn } from "node:child_process";
import process from "node:process";

const JSC_RAM = "BUN_JSC_forceRAMSize";

/** True when this process handed the work to a child within the budget (and will exit with it). */
export function runWithinMemoryBudget(megabytes: number): boolean {
  const isBun = (globalThis as { Bun?: unknown }).Bun !== undefined;
  if (!isBun || megabytes === 0 || process.env[JSC_RAM]) return false;
  const child = spawn(process.execPath, process.argv.slice(1), {
    env: { ...process.env, [JSC_RAM]: String(megabytes * 1024 * 1024) },
    stdio: "inherit",
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => child.kill(signal));
  // end the way the daemon ended: its exit code, or the same signal
  child.on("exit", (code, signal) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)));
  return true;
}
