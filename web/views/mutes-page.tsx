/**
 * Mutes: the page a mute link opens (what it silences, for how long, one button; then "muted
 * until …" with an undo), and `/mutes`, a person's mutes with an undo each and a form to
 * silence one of their watches for a while.
 */
import type { Mute } from "../../shared/accounts/mute-record.ts";
import { ButtonForm, Csrf, Select } from "./forms.tsx";
import { Layout, type PageContext } from "./layout.tsx";
import { localTime } from "./watches-page.tsx";

export const MUTE_FOR: ReadonlyArray<[string, string]> = [
  ["1d", "a day"],
  ["7d", "a week"],
  ["30d", "a month"],
  ["365d", "a year (I bought it)"],
];

export function describeMute(m: Pick<Mute, "kind" | "label" | "watch_id" | "rule_id" | "item_id">): string {
  switch (m.kind) {
    case "item":
      return `the item ${m.label || m.item_id} on all your watches`;
    case "rule":
      return `the rule ${m.rule_id} of the watch ${m.label || m.watch_id}`;
    case "watch":
      return `every alert of the watch ${m.label || m.watch_id}`;
  }
}

export function MuteLinkPage(
  p: {
    ctx: PageContext;
    token: string;
    csrf: string | null;
    title: string;
    watchName: string;
    ruleId: string;
    done?: { until: string; muteId: string; what: string };
    undone?: boolean;
  },
) {
  return (
    <Layout title="Silence an alert" ctx={p.ctx}>
      <h1>Silence an alert</h1>
      {p.undone && <p role="status">Undone: you will be told again.</p>}
      {p.done
        ? (
          <>
            <p role="status">
              Silenced until {localTime(p.done.until)} (São Paulo): {p.done.what}.
            </p>
            <ButtonForm action="/mute/undo" csrf={p.csrf} label="Undo">
              <input type="hidden" name="t" value={p.token} />
              <input type="hidden" name="mute" value={p.done.muteId} />
            </ButtonForm>
          </>
        )
        : (
          <form method="post" action="/mute" class="stacked">
            <Csrf token={p.csrf} />
            <input type="hidden" name="t" value={p.token} />
            <fieldset>
              <legend>What to silence</legend>
              {[
                ["item", `This item, ${p.title}, on all my watches`],
                ["rule", `The rule ${p.ruleId} of ${p.watchName}`],
                ["watch", `Everything ${p.watchName} finds`],
              ].map(([value, text], i) => (
                <p class="field check">
                  <input type="radio" id={`f-kind-${value}`} name="kind" value={value} checked={i === 0} />{" "}
                  <label for={`f-kind-${value}`}>{text}</label>
                </p>
              ))}
            </fieldset>
            <Select name="for" label="For" value="365d" choices={MUTE_FOR} />
            <button type="submit">Silence it</button>
          </form>
        )}
    </Layout>
  );
}

export function MutesPage(
  p: { ctx: PageContext; csrf: string; mutes: Mute[]; watches: Array<{ id: string; name: string }> },
) {
  return (
    <Layout title="Your mutes" ctx={p.ctx}>
      <h1>Your mutes</h1>
      {p.mutes.length === 0 ? <p class="empty">Nothing silenced.</p> : (
        <ul class="mutes">
          {p.mutes.map((m) => (
            <li data-mute={m.id}>
              {describeMute(m)}, until {localTime(m.until)}{" "}
              <ButtonForm action={`/mutes/${m.id}/delete`} csrf={p.csrf} label="Undo" />
            </li>
          ))}
        </ul>
      )}
      {p.watches.length > 0 && (
        <>
          <h2>Silence a watch</h2>
          <form method="post" action="/mutes" class="stacked">
            <Csrf token={p.csrf} />
            <Select name="watch" label="Watch" value="" choices={p.watches.map((w) => [w.id, w.name])} />
            <Select name="for" label="For" value="7d" choices={MUTE_FOR} />
            <button type="submit">Silence it</button>
          </form>
        </>
      )}
    </Layout>
  );
}
