/**
 * Alerts as the web view shows them (an item's alert history, a watch's alerts and its Atom
 * feed): web_alerts.sql's rows grouped per alert, each channel delivered, retrying (with its
 * attempts and the status code of the channel's last answer) or waiting. The channel's reply
 * text is the operator's (logs, `alerts test`): it may quote a secret or anything a receiver
 * chose to say, so it stops here and no public page or JSON answer carries it.
 */
import { type Engine, fillWebQuery, paramRef, sqlFile } from "../shared/sql-templates.ts";
import { decimalOrNull, textOrNull } from "./row-values.ts";

export interface AlertDelivery {
  channel: string;
  state: "delivered" | "retrying" | "waiting";
  attempts: number;
  /** The HTTP or SMTP status code of the channel's last answer; null for an error without one. */
  status: number | null;
}

export interface AlertView {
  alert_id: string;
  kind: string;
  rule_key: string | null;
  watch_id: string | null;
  site: string | null;
  item_id: string | null;
  title: string | null;
  currency: string | null;
  url: string | null;
  price: string | null;
  verdict: string | null;
  real_discount_pct: string | null;
  why: string | null;
  decided_at: string;
  deliveries: AlertDelivery[];
}

export type AlertFilter = { site: string; itemId: string } | { watchId: string } | { any: true };

export interface AlertQuery {
  filter: AlertFilter;
  first: string;
  last: string;
  limit: number;
}

/** The SQL and its parameters; the filter's values are parameters, never text in the SQL. */
export function webAlertsSql(
  engine: Engine,
  dataset: string,
  q: AlertQuery,
): { sql: string; params: Record<string, string> } {
  const p = (name: string) => paramRef(engine, name);
  let filter = "TRUE";
  const params: Record<string, string> = {};
  if ("itemId" in q.filter) {
    filter = `site = ${p("site")} AND item_id = ${p("item_id")}`;
    Object.assign(params, { site: q.filter.site, item_id: q.filter.itemId });
  } else if ("watchId" in q.filter) {
    filter = `watch_id = ${p("watch_id")}`;
    params.watch_id = q.filter.watchId;
  }
  const sql = fillWebQuery(sqlFile(engine, "web_alerts").replaceAll("{{filter}}", filter), { dataset, ...q });
  return { sql, params };
}

const text = textOrNull;

/** Rows (one per alert and channel) → alerts with their deliveries, in the rows' order. */
export function alertViewsOf(rows: ReadonlyArray<Record<string, unknown>>): AlertView[] {
  const byId = new Map<string, AlertView>();
  for (const row of rows) {
    const id = String(row.alert_id);
    let view = byId.get(id);
    if (!view) {
      const channels = Array.isArray(row.channels) ? row.channels.map(String) : [];
      view = {
        alert_id: id,
        kind: String(row.kind),
        rule_key: text(row.rule_key),
        watch_id: text(row.watch_id),
        site: text(row.site),
        item_id: text(row.item_id),
        title: text(row.title),
        currency: text(row.currency),
        url: text(row.url),
        price: decimalOrNull(row.price),
        verdict: text(row.verdict),
        real_discount_pct: decimalOrNull(row.real_discount_pct),
        why: text(row.why),
        decided_at: new Date(String(row.decided_at).replace(" ", "T").replace(/(\d)$/, "$1Z")).toISOString(),
        deliveries: channels.map((channel) => ({ channel, state: "waiting", attempts: 0, status: null })),
      };
      byId.set(id, view);
    }
    if (row.channel === null || row.channel === undefined) continue;
    const delivery = view.deliveries.find((d) => d.channel === row.channel);
    const state = Number(row.delivered) === 1 ? "delivered" : "retrying";
    const entry = {
      channel: String(row.channel),
      state,
      attempts: Number(row.attempts ?? 0),
      status: statusCodeOf(text(row.detail)),
    } as const;
    if (delivery) Object.assign(delivery, entry);
    else view.deliveries.push({ ...entry });
  }
  return [...byId.values()];
}

/** The status code a delivery's detail starts with ("500 Internal Server Error", "421 try later"). */
export function statusCodeOf(detail: string | null): number | null {
  const code = /^([1-5]\d\d)\b/.exec(detail ?? "")?.[1];
  return code ? Number(code) : null;
}
