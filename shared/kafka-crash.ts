/**
 * What a kafkajs consumer's crash means, said once. kafkajs restarts a consumer whose crash was
 * retriable (a leader or coordinator moving, one request's retries used up during an outage);
 * one it does not restart reads nothing more, and a daemon that went on would stall without a
 * word. So every reader of the project registers here: a restart is info when its cause is a
 * transient fault and warn otherwise; a crash kafkajs gives up on is an error, and the owner is
 * told (`onGiveUp`: the daemon stops, and its supervisor starts it again).
 */
import type { Consumer } from "kafkajs";
import { isTransientKafkaMessage } from "./kafka-log.ts";
import { log } from "./log.ts";

export function onConsumerCrash(consumer: Consumer, reader: string, onGiveUp: (error: Error) => void): void {
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    const error = payload.error instanceof Error ? payload.error : new Error(String(payload.error));
    const fields = { reader, error: error.name, message: error.message, restart: payload.restart };
    if (payload.restart) {
      const transient = isTransientKafkaMessage(error.message);
      log(transient ? "info" : "warn", "kafka_consumer_crash", transient ? { ...fields, transient: true } : fields);
      return;
    }
    log("error", "kafka_consumer_crash", { ...fields, note: "kafkajs stopped this reader" });
    onGiveUp(error);
  });
}
