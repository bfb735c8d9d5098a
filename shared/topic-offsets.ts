/**
 * A topic's offsets (low and high per partition) through kafkajs's admin, without its one crash:
 * while a partition's leader moves (a broker restarted, leaders going back to their preferred
 * nodes) kafkajs's fetchTopicOffsets can find no answer for the topic and throws a TypeError
 * ("Cannot destructure property 'partitions'…") instead of a Kafka error. That moment passes:
 * it is retried briefly here, then reported as a retriable error that names the topic.
 */
import type { Admin } from "kafkajs";
import { retry } from "./retry.ts";

export type TopicOffsets = Awaited<ReturnType<Admin["fetchTopicOffsets"]>>;

export class OffsetsUnavailableError extends Error {
  override name = "OffsetsUnavailableError";
  readonly retriable = true;
}

/** kafkajs's crash on an empty answer, told from every other error. */
function isEmptyAnswerCrash(error: unknown): boolean {
  return error instanceof TypeError && /partitions/.test(error.message);
}

export function topicOffsets(admin: Pick<Admin, "fetchTopicOffsets">, topic: string): Promise<TopicOffsets> {
  return withoutEmptyAnswerCrash(topic, () => admin.fetchTopicOffsets(topic));
}

/** Any of the admin's offset lookups for `topic` (fetchTopicOffsetsByTimestamp has the same crash). */
export async function withoutEmptyAnswerCrash<T>(topic: string, fetch: () => Promise<T>): Promise<T> {
  try {
    return await retry(fetch, {
      attempts: 5,
      backoff: { baseMs: 200, maxMs: 1_000, jitter: "equal" },
      retryable: isEmptyAnswerCrash,
    });
  } catch (error) {
    if (!isEmptyAnswerCrash(error)) throw error;
    throw new OffsetsUnavailableError(`the offsets of ${topic} are not known yet (a partition leader is moving)`);
  }
}
