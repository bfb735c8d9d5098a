/** Process signals for the daemons (route, consumer, replay server): stop once, then exit. */
import process from "node:process";

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
