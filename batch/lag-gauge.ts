/**
 * The consumer's lag per partition, on a clock of its own (and after each batch): a consumer with
 * nothing new, or stuck on a backlog it cannot load, still reports it.
 */
import { log } from "../shared/log.ts";
import type { ConsumerBackend } from "./backend/backend.ts";
import type { ConsumerMetrics } from "./consumer-metrics.ts";

/** How often the lag gauge is refreshed, whatever the batches do. */
export const LAG_EVERY_MS = 15_000;

export class LagGauge {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly backend: ConsumerBackend, private readonly metrics: ConsumerMetrics) {}

  start(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), LAG_EVERY_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async refresh(): Promise<void> {
    try {
      for (const { partition, lag } of await this.backend.lag()) {
        this.metrics.lag.set({ partition: String(partition) }, lag);
      }
    } catch (error) {
      log("debug", "lag_unknown", { message: (error as Error).message });
    }
  }
}
