/**
 * Offers onto `deal-of-the-day`: keyed by item id (one item's history stays ordered in one
 * partition), JSON values with the contract's headers, through the SafeProducer (idempotent,
 * acks=all, never reports an offer as sent unless Kafka acknowledged it).
 */
import type { KafkaConfig } from "kafkajs";
import { TOPICS } from "../shared/kafka.ts";
import { type OfferMessage, SCHEMA_VERSION } from "../shared/offer.ts";
import { type Message, type ProduceResult, SafeProducer, type SafeProducerOptions } from "../shared/safe-producer.ts";

export { ProduceError, type ProduceResult } from "../shared/safe-producer.ts";

export class OfferProducer {
  private readonly producer: SafeProducer;

  constructor(config: KafkaConfig, options: Partial<SafeProducerOptions> = {}) {
    this.producer = new SafeProducer(config, { topic: TOPICS.offers.name, ...options });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  ready(): Promise<{ ok: boolean; detail: string }> {
    return this.producer.ready();
  }

  send(offers: OfferMessage[]): Promise<ProduceResult> {
    return this.producer.send(offers.map(toKafkaMessage));
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}

export function toKafkaMessage(message: OfferMessage): Message {
  return {
    key: message.item_id,
    value: JSON.stringify(message),
    headers: {
      schema_version: String(SCHEMA_VERSION),
      scrape_id: message.scrape_id,
      "content-type": "application/json",
    },
  };
}
