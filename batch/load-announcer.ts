/**
 * Announces each loaded batch of offers on `ofertas.loads` (acks=all), after the batch is in the
 * warehouse and before its offsets are committed: the alerter judges the observations at the
 * batch's Kafka positions (shared/load-announcement.ts). The announcement carries the sealed
 * batch's own ranges, which cover every half a refused row split it into. A crash between the
 * two announces the batch again when it is re-read; the alerter's episodes skip what they judged.
 */
import type { KafkaConfig } from "kafkajs";
import type { LoadAnnouncement } from "../shared/load-announcement.ts";
import { SafeProducer } from "../shared/safe-producer.ts";
import { type StepPolicy, untilDoneOrAbandoned } from "./abandoned.ts";
import type { LoadBatch } from "./staging.ts";

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
      ranges: batch.ranges,
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
  step: StepPolicy,
): Promise<void> {
  return untilDoneOrAbandoned(() => announcer.announce(batch), {
    ...step,
    event: "load_announcement_failed",
    fields: { batch_id: batch.id },
  });
}
