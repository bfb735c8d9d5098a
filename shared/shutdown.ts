/** Process signals for the daemons (route, consumer, replay server): stop once, then exit. */
import process from "node:process";
import { log } from "./log.ts";
import { logRuntimeWarnings } from "./runtime-warnings.ts";

/** On SIGTERM or SIGINT runs `stop` once (a second signal while stopping is ignored), then exits 0. */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void stop().then(() => process.exit(0));
    });
  }
}

/**
 * A daemon's entry: runtime warnings as JSON lines, `start`, and a stop on SIGTERM or SIGINT.
 * A start that fails (what no retry fixes: bad settings, refused credentials) logs
 * `<name>_start_failed` and exits 2, so a supervisor does not restart it in a loop unseen.
 * `fail`, handed to `start`, is for what stops a running daemon's work for good (kafkajs giving
 * up on a reader, a rejection nobody handled): it stops the daemon and exits 1, for its
 * supervisor to start it again.
 */
export async function runDaemon(
  name: string,
  start: (fail: (error: Error) => void) => Promise<{ stop(): Promise<void> }> | { stop(): Promise<void> },
) {
  logRuntimeWarnings();
  let running: { stop(): Promise<void> } | undefined;
  let failed = false;
  const fail = (error: Error) => {
    if (failed) return;
    failed = true;
    process.exitCode = 1; // whatever ends the process now (Bun may end it once this handler returns)
    log("error", `${name}_failed`, {
      error: error.name,
      message: error.message,
      note: "stopping; a restart goes on from here",
    });
    void (running?.stop() ?? Promise.resolve()).catch(() => {}).finally(() => process.exit(1));
  };
  // a rejection nobody handled is a bug: one JSON line and a clean stop, not a runtime's stack dump
  const asError = (reason: unknown) => reason instanceof Error ? reason : new Error(String(reason));
  process.on("unhandledRejection", (reason) => fail(asError(reason)));
  process.on("uncaughtException", (error) => fail(asError(error)));
  try {
    running = await start(fail);
  } catch (error) {
    log("error", `${name}_start_failed`, { message: (error as Error).message });
    process.exit(2);
  }
  stopOnSignals(() => running.stop());
  return running;
}
