/**
 * What the batch consumer says on `ofertas.loads` after each load of offers, before it commits
 * (the alerter reads it): which Kafka positions of which topic the load covered and which days it
 * touched. The observations of a load are the daily_offers rows at those positions, whatever way
 * the load was cut or split (rows the warehouse refused are simply not there), so the alerter
 * finds exactly what was loaded. The batch id only names the load in logs.
 */
import * as v from "valibot";

const offset = v.pipe(v.string(), v.regex(/^\d{1,19}$/));

export const OffsetRangeSchema = v.object({
  topic: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]{1,249}$/)),
  partition: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000)),
  first: offset,
  last: offset,
});

export const LoadAnnouncementSchema = v.object({
  batch_id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,128}$/)),
  table: v.string(),
  dates: v.pipe(v.array(v.pipe(v.string(), v.isoDate())), v.minLength(1), v.maxLength(400)),
  rows: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** The Kafka positions the load covered (absent in announcements of earlier versions). */
  ranges: v.optional(v.pipe(v.array(OffsetRangeSchema), v.maxLength(10_000)), []),
  loaded_at: v.string(),
});
export type LoadAnnouncement = v.InferOutput<typeof LoadAnnouncementSchema>;
