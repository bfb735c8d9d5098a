/**
 * Process warnings as JSON log lines instead of the runtime's free-text lines on stderr.
 *
 * One is known and harmless, and dropped: kafkajs's request queue, when not throttled,
 * schedules its next check at (-1 - now) ms, which timers clamp to 1 ms, exactly what it means.
 * Bun reports that as a TimeoutNegativeWarning (three non-JSON lines per Kafka client). Any
 * other warning is a warn line an operator should read. Each daemon's entry installs it.
 */
import process from "node:process";
import { log } from "./log.ts";

let installed = false;

export function isKnownHarmless(warning: { name: string }): boolean {
  return warning.name === "TimeoutNegativeWarning";
}

export function logRuntimeWarnings(): void {
  if (installed || typeof process.on !== "function") return;
  installed = true;
  // the runtime's own listener prints the free-text lines; this one replaces it
  process.removeAllListeners("warning");
  process.on("warning", (warning: Error & { code?: string }) => {
    if (isKnownHarmless(warning)) return;
    log("warn", "runtime_warning", { name: warning.name, code: warning.code, message: warning.message });
  });
}
