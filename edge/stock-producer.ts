/**
 * Stock observations onto `ofertas.stock` (shared/contract/stock-message.ts), keyed by their
 * subject so one item's or product's observations stay ordered in one partition, through the
 * SafeProducer (idempotent, acks=all, never reports a message as sent unless Kafka acknowledged it).
 */
import type { KafkaConfig } from "kafkajs";
import { STOCK_SCHEMA_VERSION, type StockMessage, stockSubjectKey } from "../shared/contract/stock-message.ts";
import { type ProduceResult, SafeProducer, type SafeProducerOptions } from "../shared/safe-producer.ts";

export class StockProducer {
  private readonly producer: SafeProducer;

  constructor(config: KafkaConfig, options: Partial<SafeProducerOptions> & { topic: string }) {
    this.producer = new SafeProducer(config, options);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  send(messages: StockMessage[]): Promise<ProduceResult> {
    return this.producer.send(messages.map((m) => ({
      key: stockSubjectKey(m),
      value: JSON.stringify(m),
      headers: { schema_version: String(STOCK_SCHEMA_VERSION), "content-type": "application/json" },
    })));
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}
