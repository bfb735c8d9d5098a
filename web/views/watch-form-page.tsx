/**
 * The watch form, in two steps: paste what you have (a Mercado Livre link of any of the 7 sites,
 * or words), then check what ofertas proposes (what it will follow, how often, when to tell you,
 * on which of your channels) and save. The same form edits a saved watch. The episode settings
 * are said in plain words; every field has its label and its error beside it.
 */
import type { ChannelRecord } from "../../shared/accounts/channel-record.ts";
import { SITE_CODES, SITES } from "../../shared/sites.ts";
import { describeTarget, type WatchTarget } from "../../shared/watch/watch.ts";
import {
  ABSENT_CHOICES,
  CLEAR_CHOICES,
  EVERY_CHOICES,
  REARM_CHOICES,
  type WatchForm,
} from "../accounts/watch-proposal.ts";
import { Check, Csrf, ErrorSummary, Field, Select } from "./forms.tsx";
import { Layout, type PageContext } from "./layout.tsx";

const WORDS: Record<string, string> = {
  "": "never",
  "15m": "15 minutes",
  "30m": "30 minutes",
  "1h": "hour",
  "3h": "3 hours",
  "6h": "6 hours",
  "12h": "12 hours",
  "1d": "day",
  "3d": "3 days",
  "7d": "week",
  "14d": "2 weeks",
};
const words = (d: string) => WORDS[d] ?? d;

export function PastePage(
  p: { ctx: PageContext; csrf: string; paste?: string; site: string; sites: readonly string[]; error?: string },
) {
  return (
    <Layout title="Follow something" ctx={p.ctx}>
      <h1>Follow something</h1>
      <p>
        Paste the address of a Mercado Livre or Mercado Libre page you are looking at: a search, a category, a deals
        page, a product or an item, on any of its sites. Or type the words you would search for.
      </p>
      <ErrorSummary errors={p.error ? { paste: p.error } : {}} />
      <form method="post" action="/watches/propose" class="stacked">
        <Csrf token={p.csrf} />
        <Field
          name="paste"
          label="A link, or words"
          value={p.paste}
          error={p.error}
          required
          size={60}
          hint="For example https://lista.mercadolivre.com.br/cafeteira-eletrica or: cafeteira elétrica"
        />
        <Select
          name="site"
          label="Site for words (a link says its own)"
          value={p.site}
          choices={SITE_CODES.filter((s) => p.sites.includes(s)).map((s) => [s, `${s}: ${SITES[s].domain}`])}
        />
        <button type="submit">See what ofertas proposes</button>
      </form>
    </Layout>
  );
}

export interface WatchFormProps {
  ctx: PageContext;
  csrf: string;
  form: WatchForm;
  target: WatchTarget;
  kind: string;
  notes: string[];
  channels: ChannelRecord[];
  chosen: string[];
  errors: Record<string, string>;
  /** Editing this watch; absent: a new one. */
  watchId?: string;
}

export function WatchFormPage(p: WatchFormProps) {
  const f = p.form;
  const hidden = [
    "t_site",
    "t_view",
    "t_query",
    "t_item",
    "t_category",
    "t_price_min",
    "t_price_max",
    "cron",
    "time_zone",
  ];
  return (
    <Layout title={p.watchId ? "Change a watch" : "Save a watch"} ctx={p.ctx}>
      <h1>{p.watchId ? `Change ${f.name}` : "What ofertas proposes"}</h1>
      <p>
        ofertas will follow <strong>{describeTarget(p.target)}</strong>
        {p.kind !== "words" && ` (recognised as a ${p.kind} page)`}.
      </p>
      {p.notes.length > 0 && <ul class="notes">{p.notes.map((n) => <li>{n}</li>)}</ul>}
      <ErrorSummary errors={p.errors} />
      <form method="post" action={p.watchId ? `/watches/${p.watchId}/save` : "/watches/save"} class="stacked">
        <Csrf token={p.csrf} />
        {hidden.map((name) => <input type="hidden" name={name} value={f[name] ?? ""} />)}
        <Field name="name" label="Name" value={f.name} error={p.errors.name} required />
        <Select
          name="every"
          label="Look every"
          value={f.every ?? "1h"}
          error={p.errors.every}
          choices={[
            ...(f.cron ? [["cron", `as now: cron "${f.cron}" ${f.time_zone || "UTC"}`] as [string, string]] : []),
            ...EVERY_CHOICES.map((e): [string, string] => [e, words(e)]),
          ]}
        />
        {p.target.view !== "item" && (
          <Field
            name="pages"
            label="Pages to read each time"
            value={f.pages}
            error={p.errors.pages}
            inputmode="numeric"
          />
        )}
        <fieldset>
          <legend>Tell me when (leave empty what you do not want)</legend>
          <Field
            name="below"
            label="The price is at or below"
            value={f.below}
            error={p.errors.below}
            inputmode="decimal"
            hint={`In ${SITES[p.target.site].currency}, like 3999.90`}
          />
          <Field
            name="real_deal"
            label="The real discount is at least (%)"
            value={f.real_deal}
            error={p.errors.real_deal}
            inputmode="numeric"
            hint="Real: measured against the item's own lowest price of the 30 days before, not the crossed-out price"
          />
          <Check name="new_low" label="The price is the lowest of the last days:" checked={f.new_low === "on"} />
          <Field
            name="new_low_days"
            label="Days"
            value={f.new_low_days}
            error={p.errors.new_low_days}
            inputmode="numeric"
          />
          <Field
            name="drop"
            label="The price fell by at least (%) since the day before"
            value={f.drop}
            error={p.errors.drop}
            inputmode="numeric"
          />
        </fieldset>
        <fieldset>
          <legend>After an alert</legend>
          <Select
            name="clear_after"
            label="Alert again only after the condition has stopped for"
            value={f.clear_after ?? "6h"}
            choices={CLEAR_CHOICES.map((d) => [d, d === "1h" ? "an hour" : d === "1d" ? "a day" : words(d)])}
          />
          <Select
            name="rearm_after"
            label="While it holds, remind me every"
            value={f.rearm_after ?? ""}
            choices={REARM_CHOICES.map((d) => [d, d ? words(d) : "never (one alert)"])}
          />
          <Select
            name="absent_after"
            label="An item gone from the page this long that comes back is news again"
            value={f.absent_after ?? "3d"}
            choices={ABSENT_CHOICES.map((d) => [d, words(d)])}
          />
          <Check
            name="first_run"
            value="silent"
            label="Stay quiet about what the first look finds (only changes after it)"
            checked={f.first_run === "silent"}
          />
        </fieldset>
        <fieldset>
          <legend>Where to tell me</legend>
          {p.channels.length === 0
            ? (
              <p>
                You have no channels yet: alerts go to your private feed. <a href="/channels">Add a channel</a>.
              </p>
            )
            : p.channels.map((ch) => (
              <Check
                name="channel"
                id={`f-channel-${ch.id}`}
                value={ch.id}
                label={`${ch.name} (${ch.kind})`}
                checked={p.chosen.length === 0 || p.chosen.includes(ch.id)}
              />
            ))}
        </fieldset>
        <Check name="enabled" label="Running (untick to pause)" checked={f.enabled === "on"} />
        <button type="submit">{p.watchId ? "Save the changes" : "Save this watch"}</button>
      </form>
    </Layout>
  );
}
