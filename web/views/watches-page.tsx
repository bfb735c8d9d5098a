/**
 * `GET /watches`: every watch, what it follows and how often, its last run (when, outcome,
 * offers, errors), its next run and whether it is backing off; a link to what it found.
 */
import { describePeriod, describeTarget } from "../../shared/watch/watch.ts";
import type { AlertView } from "../alerts.ts";
import type { WatchView } from "../watch-source.ts";
import { ALERT_NAME } from "./alert-list.tsx";
import { Layout, type PageContext } from "./layout.tsx";
import { ButtonForm } from "./forms.tsx";
import type { Person } from "../accounts/session.ts";
import { canChange } from "../accounts/ownership.ts";

export interface WatchesPageProps {
  ctx: PageContext;
  /** null: the watches are still being read from Kafka. */
  watches: WatchView[] | null;
  today: string;
  /** The last week's alerts per watch, newest first. */
  alerts: Map<string, AlertView[]>;
  /** Accounts are on (web/accounts/): the page offers the form and, to who may, each watch's actions. */
  accounts?: boolean;
  person?: Person | null;
}

/** An instant as São Paulo reads it: "2026-12-04 09:00". */
export function localTime(iso: string | null): string {
  if (!iso) return "—";
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: "America/Sao_Paulo",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

export function WatchesPage(p: WatchesPageProps) {
  return (
    <Layout title="Watches" ctx={p.ctx}>
      <h1>Watches</h1>
      <p>
        What ofertas follows on its own, each on its schedule. Times are São Paulo's. {!p.accounts
          ? (
            <>
              Add one with <code>bun run edge/cli.ts watch add --search "words"</code>.
            </>
          )
          : p.person
          ? <a href="/watches/new" class="button">Follow something: paste a link or words</a>
          : (
            <>
              <a href="/login?next=/watches/new">Sign in</a> to follow something: paste a link or words.
            </>
          )}
      </p>
      {p.watches === null
        ? <p class="empty" role="status">The watches are still being read from Kafka; reload in a moment.</p>
        : p.watches.length === 0
        ? <p class="empty">No watches yet.</p>
        : (
          <table class="watches">
            <thead>
              <tr>
                <th scope="col">Watch</th>
                <th scope="col">Follows</th>
                <th scope="col">Schedule</th>
                <th scope="col">Last run</th>
                <th scope="col">Next run</th>
                <th scope="col">Alerts (7 days)</th>
                {p.person && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {p.watches.map((w) => (
                <WatchRow watch={w} today={p.today} alerts={p.alerts.get(w.id) ?? []} person={p.person ?? null} />
              ))}
            </tbody>
          </table>
        )}
      <p>
        <a href="/api/watches">These watches as JSON</a>
      </p>
    </Layout>
  );
}

function WatchRow(
  { watch: w, today, alerts, person }: { watch: WatchView; today: string; alerts: AlertView[]; person: Person | null },
) {
  const stuck = alerts.flatMap((a) => a.deliveries.filter((d) => d.state !== "delivered"));
  const last = w.status.last_run;
  const state = !w.enabled
    ? "disabled"
    : w.status.running
    ? "running"
    : w.status.backoff_until
    ? "backing-off"
    : "scheduled";
  return (
    <tr data-watch={w.id} data-state={state} id={`watch-${w.id}`}>
      <th scope="row">
        {w.name}
        <br />
        <a href={`/?date=${today}&watch=${encodeURIComponent(w.id)}`}>its deals</a>
      </th>
      <td>{describeTarget(w.target)}</td>
      <td>{describePeriod(w.period)}</td>
      <td class="last-run">
        {last
          ? (
            <>
              <span class={`outcome ${last.outcome}`}>{last.outcome}</span> {localTime(last.finished_at)}
              <br />
              {last.produced} offer{last.produced === 1 ? "" : "s"}, {last.pages_fetched} page
              {last.pages_fetched === 1 ? "" : "s"}
              {last.errors.length > 0 && (
                <ul class="errors">
                  {last.errors.map((e) => (
                    <li>{e.message.startsWith(e.kind) ? e.message : `${e.kind}: ${e.message}`}</li>
                  ))}
                </ul>
              )}
            </>
          )
          : "not run yet"}
      </td>
      <td class="next-run">
        {state === "disabled" ? "disabled" : state === "running" ? "running now" : state === "backing-off"
          ? (
            <>
              <strong>backing off</strong> until {localTime(w.status.backoff_until)} (after {w.status.failures}{" "}
              failing run{w.status.failures === 1 ? "" : "s"} in a row on {w.status.host ?? "its host"}
              {w.status.backoff_reason ? `, last: ${w.status.backoff_reason}` : ""})
            </>
          )
          : localTime(w.status.next_run)}
      </td>
      <td class="watch-alerts">
        {alerts.length === 0 ? (w.alerts ? "none" : "no rules") : (
          <>
            {alerts.length}: latest <strong>{ALERT_NAME[alerts[0]!.kind] ?? alerts[0]!.kind}</strong>{" "}
            {alerts[0]!.title ?? ""} {localTime(alerts[0]!.decided_at)}
          </>
        )}
        {stuck.length > 0 && (
          <p class="stuck">
            {stuck.length} waiting for a channel:{" "}
            {[...new Set(stuck.map((d) => d.status ? `${d.channel} (${d.status})` : d.channel))].join(", ")}
          </p>
        )}
        {w.alerts && !w.owner && (
          <>
            <br />
            <a href={`/watches/${w.id}/alerts.atom`}>Atom feed</a>
          </>
        )}
      </td>
      {person && (
        <td class="actions">
          {canChange(person, w) && (
            <>
              <a href={`/watches/${w.id}/edit`}>Change {w.name}</a>{" "}
              <ButtonForm
                action={`/watches/${w.id}/${w.enabled ? "pause" : "resume"}`}
                csrf={person.csrf}
                label={w.enabled ? "Pause" : "Resume"}
              />
              <ButtonForm action={`/watches/${w.id}/delete`} csrf={person.csrf} label={`Delete ${w.name}`} danger />
            </>
          )}
        </td>
      )}
    </tr>
  );
}
