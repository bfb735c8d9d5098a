/**
 * The in-memory twin of OfferProducer, for the route's unit tests: it keeps what it was asked
 * to send, and can be told Kafka is down (every send fails with nothing acknowledged).
 */
import type { OfferMessage } from "../shared/offer.ts";
import { ProduceError, type ProduceResult } from "../shared/safe-producer.ts";

export class MemoryProducer {
  readonly sent: OfferMessage[] = [];
  down = false;

  ready(): Promise<{ ok: boolean; detail: string }> {
    return Promise.resolve(
      this.down ? { ok: false, detail: "Kafka unreachable (simulated)" } : { ok: true, detail: "memory: 6 partitions" },
    );
  }

  send(messages: OfferMessage[]): Promise<ProduceResult> {
    if (this.down) {
      return Promise.reject(new ProduceError(0, messages.length, new Error("Kafka unreachable (simulated)")));
    }
    this.sent.push(...messages);
    return Promise.resolve({ produced: messages.length });
  }
}
