/**
 * The watch form's two halves: what a paste proposes (edge/watches/page-url.ts recognises it,
 * this fills the form: a name, the target, an hourly schedule, no rules yet) and what a sent
 * form asks for (the fields read back into a watch's input, with an error next to each field
 * that is wrong). The watch itself is then validated once more, as every watch is, by the
 * watches' own store (edge/watches/watch-store.ts: the schema, the limits, decided in log order).
 */
import type { SiteCode } from "../../shared/sites.ts";
import type { Rule } from "../../shared/alert/rule.ts";
import {
  defaultName,
  MAX_WATCH_PAGES,
  type Watch,
  type WatchInput,
  type WatchTarget,
} from "../../shared/watch/watch.ts";
import { VIEWS } from "../../shared/views.ts";

export const EVERY_CHOICES = ["15m", "30m", "1h", "3h", "6h", "12h", "1d"] as const;
export const CLEAR_CHOICES = ["1h", "6h", "1d", "3d"] as const;
export const REARM_CHOICES = ["", "1d", "3d", "7d"] as const;
export const ABSENT_CHOICES = ["1d", "3d", "7d", "14d"] as const;

/** The form's values, as strings (what a page shows and a browser sends back). */
export type WatchForm = Record<string, string> & { channels?: string };

export function formOfTarget(target: WatchTarget, name?: string): WatchForm {
  return {
    name: name ?? defaultName(target),
    t_site: target.site,
    t_view: target.view,
    t_query: target.query ?? "",
    t_item: target.item ?? "",
    t_category: target.category ?? "",
    t_price_min: target.price_min === undefined ? "" : String(target.price_min),
    t_price_max: target.price_max === undefined ? "" : String(target.price_max),
    pages: String(target.pages ?? 1),
    every: "1h",
    below: "",
    real_deal: "",
    new_low: "",
    new_low_days: "30",
    drop: "",
    clear_after: "6h",
    rearm_after: "",
    absent_after: "3d",
    first_run: "alert",
    enabled: "on",
  };
}

/** A stored watch as the form shows it (editing). */
export function formOfWatch(w: Watch): { form: WatchForm; channels: string[] } {
  const form = formOfTarget(w.target, w.name);
  // a cron schedule (from the API or the command line) is kept as it is unless changed here
  form.every = w.period.every ?? "cron";
  if (w.period.cron) (form.cron = w.period.cron), (form.time_zone = w.period.time_zone ?? "");
  form.enabled = w.enabled ? "on" : "";
  const rules = w.alerts?.rules ?? [];
  const first = rules[0];
  if (first) {
    form.clear_after = first.clear_after;
    form.rearm_after = first.rearm_after ?? "";
    form.absent_after = first.absent_after;
  }
  for (const r of rules) {
    if (r.kind === "below") form.below = String(r.price);
    if (r.kind === "real_deal") form.real_deal = String(r.min_real_discount_pct);
    if (r.kind === "new_low") (form.new_low = "on"), (form.new_low_days = String(r.days));
    if (r.kind === "drop") form.drop = String(r.min_drop_pct);
  }
  form.first_run = w.alerts?.first_run ?? "alert";
  return { form, channels: w.alerts?.channels ?? [] };
}

export type FieldErrors = Record<string, string>;

const num = (
  value: string | undefined,
) => (value === undefined || value.trim() === "" ? null : Number(value.replace(",", ".")));

/**
 * The watch input a form asks for, or the errors by field. `channels` are the person's own
 * channel ids they ticked (checked against their channels by the caller).
 */
export function inputOfForm(
  form: WatchForm,
  channels: string[],
  owner: string | undefined,
  sites: readonly SiteCode[],
): { ok: true; input: WatchInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const site = form.t_site as SiteCode;
  if (!sites.includes(site)) errors.paste = `this deployment follows ${sites.join(", ")}`;
  const view = form.t_view as WatchTarget["view"];
  if (!(VIEWS as readonly string[]).includes(view)) errors.paste = "paste a link or words again";
  const target: WatchTarget = { site, view, pages: Number(form.pages || 1) };
  if (form.t_query) target.query = form.t_query;
  if (form.t_item) target.item = form.t_item;
  if (form.t_category) target.category = form.t_category;
  const min = num(form.t_price_min);
  const max = num(form.t_price_max);
  if (max !== null) (target.price_max = max), (target.price_min = min ?? 0);
  if (!Number.isInteger(target.pages) || target.pages < 1 || target.pages > MAX_WATCH_PAGES) {
    errors.pages = `from 1 to ${MAX_WATCH_PAGES} pages`;
  }
  const keepCron = form.every === "cron" && !!form.cron;
  if (!keepCron && !(EVERY_CHOICES as readonly string[]).includes(form.every ?? "")) errors.every = "choose how often";
  const episode = {
    clear_after: (CLEAR_CHOICES as readonly string[]).includes(form.clear_after ?? "") ? form.clear_after! : "6h",
    rearm_after: form.rearm_after && (REARM_CHOICES as readonly string[]).includes(form.rearm_after)
      ? form.rearm_after
      : null,
    absent_after: (ABSENT_CHOICES as readonly string[]).includes(form.absent_after ?? "") ? form.absent_after! : "3d",
  };
  const rules: Rule[] = [];
  const below = num(form.below);
  if (below !== null) {
    if (!Number.isFinite(below) || below <= 0 || below > 1e12) errors.below = "a price above 0, like 3999.90";
    else rules.push({ kind: "below", price: Math.round(below * 100) / 100, ...episode });
  }
  const real = num(form.real_deal);
  if (real !== null) {
    if (!Number.isFinite(real) || real < 1 || real > 99) errors.real_deal = "a percentage from 1 to 99";
    else rules.push({ kind: "real_deal", min_real_discount_pct: real, ...episode });
  }
  if (form.new_low === "on") {
    const days = num(form.new_low_days);
    if (days === null || !Number.isInteger(days) || days < 1 || days > 90) errors.new_low_days = "from 1 to 90 days";
    else rules.push({ kind: "new_low", days, ...episode });
  }
  const drop = num(form.drop);
  if (drop !== null) {
    if (!Number.isFinite(drop) || drop < 1 || drop > 99) errors.drop = "a percentage from 1 to 99";
    else rules.push({ kind: "drop", min_drop_pct: drop, ...episode });
  }
  const name = (form.name ?? "").trim();
  if (name === "" || name.length > 100) errors.name = "a name of 1 to 100 characters";
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    input: {
      name,
      target,
      period: keepCron
        ? { cron: form.cron!, ...(form.time_zone ? { time_zone: form.time_zone } : {}) }
        : { every: form.every! },
      enabled: form.enabled === "on",
      ...(rules.length
        ? {
          alerts: {
            rules,
            first_run: form.first_run === "silent" ? "silent" : "alert",
            ...(channels.length ? { channels } : {}),
          },
        }
        : {}),
      ...(owner ? { owner } : {}),
    },
  };
}

/** A new watch's id: its name's words and 6 random letters (ids are global; names are not). */
export function newWatchId(name: string): string {
  const base = name.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "") || "watch";
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return `${base}-${[...bytes].map((b) => "abcdefghijklmnopqrstuvwxyz234567"[b & 31]).join("")}`;
}

/** The watch's errors from its store (one line per problem, each naming its field) put next to the form's fields. */
export function errorsOfStore(problems: readonly string[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const p of problems) {
    const field = /^target\.price/.test(p)
      ? "below"
      : /^(target|item|query|category)/.test(p)
      ? "paste"
      : /^period/.test(p)
      ? "every"
      : /^name/.test(p)
      ? "name"
      : /^alerts/.test(p)
      ? "below"
      : "form";
    errors[field] = errors[field] ? `${errors[field]}; ${p}` : p;
  }
  return errors;
}
