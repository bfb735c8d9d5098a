/**
 * A load's rows in a loaded table, by the Kafka positions it covered (shared/load-announcement.ts):
 * the SQL predicate both engines read them back with (the alerter's observations, the folds of
 * late rows). Every value is checked before it goes into the SQL.
 */
import type { LoadAnnouncement } from "./load-announcement.ts";

export type LoadPositions = LoadAnnouncement["ranges"];

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function positionsSql(ranges: LoadPositions): string {
  const terms = ranges.map((r) => {
    if (!/^\d{1,19}$/.test(r.first) || !/^\d{1,19}$/.test(r.last)) {
      throw new Error(`not an offset range: ${r.first}-${r.last}`);
    }
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(r.topic)) throw new Error(`not a topic: ${r.topic}`);
    return `(kafka_topic = ${quote(r.topic)} AND kafka_partition = ${
      Math.trunc(r.partition)
    } AND kafka_offset BETWEEN ${r.first} AND ${r.last})`;
  });
  return terms.join(" OR ") || "FALSE";
}
