/** Messages as Kafka records of one partition (offsets 0, 1, …), the way the consumer reads them. */
import type { RawRecord } from "../batch/backend/backend.ts";

export function rawRecords(topic: string, messages: readonly unknown[]): RawRecord[] {
  const enc = new TextEncoder();
  return messages.map((m, i) => ({
    topic,
    partition: 0,
    offset: String(i),
    key: null,
    value: enc.encode(JSON.stringify(m)),
    headers: {},
  }));
}
