/**
 * A watch: what to follow (a target: a deals view, a category, a search or one item, on a site)
 * and when (a period: every N minutes, or a cron expression in a time zone). Watches are data,
 * kept on a compacted Kafka topic keyed by their id (shared/watch/watch-catalogue.ts), managed through
 * the route's API (edge/watches/). The schema checks each field on its own, so a bad watch is
 * refused with one reason per field; what depends on the deployment (the minimum period, the
 * budget, whether a target's URL can be built) is checked by the route.
 */
import * as v from "valibot";
import { cleanString, siteCode, utcTimestamp, watchId } from "../contract/fields.ts";
import { parseDuration } from "../duration.ts";
import { VIEWS } from "../views.ts";
import { WatchAlertsSchema } from "../alert/rule.ts";
import { accountId } from "../accounts/account-ids.ts";
import { cronProblem, storedCronProblem, timeZoneProblem } from "./schedule.ts";

export const MAX_WATCH_PAGES = 20;
export const MAX_NAME_LENGTH = 100;

const wholeNumber = (name: string, min: number, max: number) =>
  v.pipe(
    v.number(`${name} must be a number`),
    v.integer(`${name} must be a whole number`),
    v.minValue(min, `${name} must be from ${min} to ${max}`),
    v.maxValue(max, `${name} must be from ${min} to ${max}`),
  );
const boundedText = (name: string, max: number) =>
  v.pipe(cleanString(`${name} must be a string`), v.maxLength(max, `${name} must be at most ${max} characters`));

/** What a run scrapes: the body of `POST /scrape`, as a watch keeps it. */
export const WatchTargetSchema = v.strictObject({
  site: siteCode,
  view: v.picklist(VIEWS, `view must be one of ${VIEWS.join(", ")}`),
  pages: v.optional(wholeNumber("pages", 1, MAX_WATCH_PAGES), 1),
  category: v.optional(boundedText("category", 32)),
  query: v.optional(boundedText("query", 200)),
  price_min: v.optional(wholeNumber("price_min", 0, 1_000_000_000)),
  price_max: v.optional(wholeNumber("price_max", 1, 1_000_000_000)),
  item: v.optional(boundedText("item", 500)),
});
export type WatchTarget = v.InferOutput<typeof WatchTargetSchema>;

/** A period whose cron expression passes `cronCheck` (the rules of a write, or of a stored watch). */
const periodSchema = (cronCheck: (expression: string) => string | null) =>
  v.pipe(
    v.strictObject({
      every: v.optional(
        v.pipe(
          v.string("period.every must be a string"),
          v.check((s) => parseDuration(s) !== null, "period.every must be a duration like 90s, 15m, 1h or 1d"),
        ),
      ),
      cron: v.optional(
        v.pipe(
          v.string("period.cron must be a string"),
          v.maxLength(100, "period.cron must be at most 100 characters"),
          v.rawCheck(({ dataset, addIssue }) => {
            const problem = dataset.typed ? cronCheck(dataset.value) : null;
            if (problem) addIssue({ message: `period.cron: ${problem}` });
          }),
        ),
      ),
      time_zone: v.optional(
        v.pipe(
          v.string("period.time_zone must be a string"),
          v.maxLength(64, "period.time_zone must be at most 64 characters"),
          v.check(
            (tz) => timeZoneProblem(tz) === null,
            "period.time_zone must be an IANA time zone like America/Sao_Paulo",
          ),
        ),
      ),
    }, 'period must be an object like {"every":"15m"} or {"cron":"0 9 * * *","time_zone":"America/Sao_Paulo"}'),
    v.check(
      (p) => (p.every === undefined) !== (p.cron === undefined),
      "period needs exactly one of every or cron",
    ),
    v.check((p) => p.time_zone === undefined || p.cron !== undefined, "period.time_zone is only for cron"),
  );

/**
 * `every` (a duration: 90s, 15m, 1h, 1d) or `cron` (five fields, or six with seconds; no year
 * field; it must run at least once more) in `time_zone`: what a caller may ask for.
 */
export const PeriodSchema = periodSchema((expression) => cronProblem(expression));
/**
 * A period as a reader accepts it from the topic: any expression croner reads, so a watch whose
 * schedule has ended (or was written under older rules) is still listed, with no next run, and
 * can be deleted.
 */
export const StoredPeriodSchema = periodSchema(storedCronProblem);
export type Period = v.InferOutput<typeof PeriodSchema>;

/** What a caller sends to create or replace a watch (`PUT /watches/:id`). */
export const WatchInputSchema = v.strictObject({
  name: v.optional(
    v.pipe(
      cleanString("name must be a string"),
      v.trim(),
      v.minLength(1, "name must not be empty"),
      v.maxLength(MAX_NAME_LENGTH, `name must be at most ${MAX_NAME_LENGTH} characters`),
    ),
  ),
  target: WatchTargetSchema,
  period: PeriodSchema,
  enabled: v.optional(v.boolean("enabled must be true or false"), true),
  /** Who to tell, and when, about what the watch finds (shared/alert/rule.ts). */
  alerts: v.optional(WatchAlertsSchema),
  /**
   * The account whose watch it is (shared/accounts/): its alerts go only to that person's
   * channels, and only they (and admins) see and change it. Absent: the operator's (the route's
   * token, the command line), alerting the operator's channels as before.
   */
  owner: v.optional(accountId),
}, "a watch must be a JSON object with target and period");
export type WatchInput = v.InferInput<typeof WatchInputSchema>;

/** A watch as kept on the topic. */
export const WatchSchema = v.strictObject({
  id: watchId,
  name: v.pipe(cleanString(), v.maxLength(MAX_NAME_LENGTH)),
  target: WatchTargetSchema,
  period: StoredPeriodSchema,
  enabled: v.boolean(),
  alerts: v.optional(WatchAlertsSchema),
  owner: v.optional(accountId),
  created_at: utcTimestamp,
  updated_at: utcTimestamp,
});
export type Watch = v.InferOutput<typeof WatchSchema>;

/** One line per problem, each naming its field ("target.pages: …"). */
export function watchProblems(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.slice(0, 10).map((issue) => {
    const path = v.getDotPath(issue);
    const message = issue.kind === "schema" && issue.expected === "never"
      ? "unknown field"
      : issue.received === "undefined" && issue.kind === "schema"
      ? "is required"
      : issue.message;
    // messages that already name their field are shown as they are
    const field = path?.split(".").pop();
    return path && !(field && message.startsWith(field)) && !message.startsWith(path) ? `${path}: ${message}` : message;
  });
}

/** A name for a watch that has none: what it follows. */
export function defaultName(target: WatchTarget): string {
  switch (target.view) {
    case "search":
      return `${target.site} search "${target.query ?? ""}"`;
    case "item":
      return `${target.site} item ${target.item ?? ""}`.slice(0, MAX_NAME_LENGTH);
    case "category":
      return `${target.site} deals in ${target.category ?? ""}`;
    default:
      return `${target.site} deals (${target.view})`;
  }
}

/** What a watch follows, in words: `MLB search "iphone 15" (2 pages)`. */
export function describeTarget(t: WatchTarget): string {
  const pages = t.view === "item" || t.pages === 1 ? "" : ` (${t.pages} pages)`;
  switch (t.view) {
    case "search": {
      const range = t.price_max === undefined ? "" : `, ${t.price_min ?? 0}–${t.price_max}`;
      return `${t.site} search "${t.query ?? ""}"${range}${pages}`;
    }
    case "item":
      return `${t.site} item ${t.item ?? ""}`;
    case "category":
      return `${t.site} deals in ${t.category ?? ""}${pages}`;
    default:
      return `${t.site} deals (${t.view.replaceAll("_", " ")})${pages}`;
  }
}

/** How often, in words: `every 15m`, `cron "0 9 * * *" America/Sao_Paulo`. */
export function describePeriod(p: Period): string {
  return p.every !== undefined ? `every ${p.every}` : `cron "${p.cron}" ${p.time_zone ?? "UTC"}`;
}
