/**
 * Announces each loaded batch of offers on `ofertas.loads` (acks=all), after the batch is in the
 * warehouse and before its offsets are committed: the alerter evaluates what the batch touched
 * (item_days rows marked with the batch's id). A crash between the two announces the batch again
 * when it is re-read; the alerter's episodes make a second evaluation say nothing new.
 */
import type { KafkaConfig } from "kafkajs";
import * as v from "valibot";
import { SafeProducer } from "../shared/safe-producer.ts";
import { type StepOptions, untilDoneOrAbandoned } from "./abandoned.ts";
import type { LoadBatch } from "./staging.ts";

export const LoadAnnouncementSchema = v.object({
  batch_id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,128}$/)),
  table: v.string(),
  dates: v.pipe(v.array(v.pipe(v.string(), v.isoDate())), v.minLength(1), v.maxLength(400)),
  rows: v.pipe(v.number(), v.integer(), v.minValue(0)),
  loaded_at: v.string(),
});
export type LoadAnnouncement = v.InferOutput<typeof LoadAnnouncementSchema>;

export interface LoadAnnouncer {
  connect(): Promise<void>;
  announce(batch: LoadBatch): Promise<void>;
  close(): Promise<void>;
}

export class KafkaLoadAnnouncer implements LoadAnnouncer {
  private readonly producer: SafeProducer;

  constructor(config: KafkaConfig, topic: string) {
    this.producer = new SafeProducer(config, { topic, sendTimeoutMs: 60_000 });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async announce(batch: LoadBatch): Promise<void> {
    const announcement: LoadAnnouncement = {
      batch_id: batch.id,
      table: batch.table,
      dates: batch.dates,
      rows: batch.rows,
      loaded_at: new Date().toISOString(),
    };
    await this.producer.send([{
      key: batch.table,
      value: JSON.stringify(announcement),
      headers: { "content-type": "application/json" },
    }]);
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}

/** The batch is announced (acks=all) before its commit; an outage is retried, never skipped. */
export function announceUntilDone(
  announcer: LoadAnnouncer,
  batch: LoadBatch,
  step: Pick<StepOptions, "abandoned" | "backoff">,
): Promise<void> {
  return untilDoneOrAbandoned(() => announcer.announce(batch), {
    ...step,
    event: "load_announcement_failed",
    fields: { batch_id: batch.id },
  });
}
