/**
 * Mutes, from the alert and from the page, undone as easily:
 *
 *   GET  /mute?t=…       what the alert's signed link would silence, and a button (GET changes nothing)
 *   POST /mute           silence it (the item, the rule or the watch) for a while: the signed token
 *                        is the authority (the person need not be signed in), the Origin check holds
 *   POST /mute/undo      undo what that link silenced
 *   GET  /mutes          one's mutes; POST /mutes silences one of one's watches; POST /mutes/:id/delete
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { newId } from "../../shared/accounts/account-ids.ts";
import { muteKey } from "../../shared/accounts/account-book.ts";
import type { Mute, MuteKind } from "../../shared/accounts/mute-record.ts";
import { DAY_MS } from "../../shared/duration.ts";
import { describeMute, MUTE_FOR, MuteLinkPage, MutesPage } from "../views/mutes-page.tsx";
import { type MuteLink, parseMuteLink } from "../../shared/accounts/mute-link.ts";
import { canChange, owns } from "./ownership.ts";
import type { PeopleApp, PeopleDeps, PeopleEnv } from "./people-deps.ts";
import { formOf, requirePerson } from "./session.ts";

const daysOf = (text: string | undefined) => {
  const found = MUTE_FOR.find(([value]) => value === text);
  return found ? Number(found[0].slice(0, -1)) : 7;
};

export function muteRoutes(app: PeopleApp, deps: PeopleDeps) {
  const { ctx, accounts, signer } = deps;
  const now = () => (deps.clock ?? Date.now)();

  async function linkOf(token: string | undefined): Promise<MuteLink> {
    if (!signer) throw new HTTPException(404, { message: "mute links are off here" });
    const checked = await signer.verify(token ?? "", now(), parseMuteLink);
    if (!checked.ok) throw new HTTPException(400, { message: checked.reason });
    if (!accounts.book.account(checked.payload.o)) throw new HTTPException(404, { message: "no such account" });
    return checked.payload;
  }
  const watchName = (id: string) => deps.watches.get(id)?.name ?? id;
  const linkPage = (c: Context<PeopleEnv>, token: string, link: MuteLink, extra: Record<string, unknown> = {}) =>
    c.html(
      <MuteLinkPage
        ctx={ctx}
        token={token}
        csrf={c.get("person")?.csrf ?? null}
        title={link.t || link.i}
        watchName={watchName(link.w)}
        ruleId={link.r}
        {...extra}
      />,
    );

  async function writeMute(owner: string, kind: MuteKind, scope: Partial<Mute>, days: number): Promise<Mute> {
    const at = now();
    const mute: Mute = {
      type: "mute",
      id: newId("m"),
      owner,
      kind,
      watch_id: kind === "item" ? scope.watch_id ?? null : scope.watch_id!,
      rule_id: kind === "rule" ? scope.rule_id! : null,
      site: kind === "item" ? scope.site! : null,
      item_id: kind === "item" ? scope.item_id! : null,
      label: (scope.label ?? "").slice(0, 200),
      until: new Date(at + days * DAY_MS).toISOString(),
      created_at: new Date(at).toISOString(),
    };
    await accounts.write(muteKey(mute.id), mute);
    return mute;
  }

  app.get("/mute", async (c) => {
    const token = c.req.query("t") ?? "";
    return linkPage(c, token, await linkOf(token));
  });

  app.post("/mute", async (c) => {
    const form = await formOf(c);
    const link = await linkOf(form.t);
    const kind: MuteKind = form.kind === "rule" || form.kind === "watch" ? form.kind : "item";
    const label = kind === "item" ? link.t : watchName(link.w);
    const mute = await writeMute(
      link.o,
      kind,
      { watch_id: link.w, rule_id: link.r, site: link.s as Mute["site"], item_id: link.i, label },
      daysOf(form.for),
    );
    return linkPage(c, form.t!, link, { done: { until: mute.until, muteId: mute.id, what: describeMute(mute) } });
  });

  app.post("/mute/undo", async (c) => {
    const form = await formOf(c);
    const link = await linkOf(form.t);
    const mute = accounts.book.mute(form.mute ?? "");
    // the link undoes only what it could have made: its owner's mute of its watch or item
    if (!mute || mute.owner !== link.o || (mute.watch_id !== link.w && mute.item_id !== link.i)) {
      throw new HTTPException(404, { message: "no such mute" });
    }
    await accounts.write(muteKey(mute.id), null);
    return linkPage(c, form.t!, link, { undone: true });
  });

  const myWatches = (c: Context<PeopleEnv>) => {
    const person = requirePerson(c);
    return deps.watches.ready
      ? deps.watches.list().filter((w) => w.owner === person.account.id || canChange(person, w) && !w.owner)
      : [];
  };

  app.get("/mutes", (c) => {
    const person = requirePerson(c);
    return c.html(
      <MutesPage
        ctx={ctx}
        csrf={person.csrf}
        mutes={accounts.book.mutesOf(person.account.id, now())}
        watches={myWatches(c).map((w) => ({ id: w.id, name: w.name }))}
      />,
    );
  });

  app.post("/mutes", async (c) => {
    const person = requirePerson(c);
    const form = await formOf(c);
    const watch = myWatches(c).find((w) => w.id === form.watch);
    if (!watch) throw new HTTPException(404, { message: "no such watch" });
    await writeMute(person.account.id, "watch", { watch_id: watch.id, label: watch.name }, daysOf(form.for));
    return c.redirect("/mutes", 303);
  });

  app.post("/mutes/:id/delete", async (c) => {
    const person = requirePerson(c);
    const mute = accounts.book.mute(c.req.param("id"));
    if (!owns(person, mute)) throw new HTTPException(404, { message: "no such mute" });
    await formOf(c);
    await accounts.write(muteKey(mute!.id), null);
    return c.redirect("/mutes", 303);
  });
}
