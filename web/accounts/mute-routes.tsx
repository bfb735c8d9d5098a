/**
 * Mutes, from the alert and from the page, undone as easily:
 *
 *   GET  /mute?t=…       what the alert's signed link would silence, and a button (GET changes nothing)
 *   POST /mute           silence it (the item, the rule or the watch) for a while: the signed token
 *                        is the authority (the person need not be signed in), the Origin check holds
 *   POST /mute/undo      undo what that link silenced (only a mute of exactly what it names)
 *   GET  /mutes          one's mutes; POST /mutes silences one of one's watches; POST /mutes/:id/delete
 *
 * A mute's id is derived from its owner and what it covers, so muting the same thing again (a
 * link pressed many times) changes one record; a person holds at most MAX_MUTES_PER_PERSON in
 * force, and the ones whose time is over are removed from the topic when the person mutes again.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { muteKey } from "../../shared/accounts/account-book.ts";
import {
  MAX_MUTES_PER_PERSON,
  type Mute,
  muteIdOf,
  type MuteKind,
  type MuteScope,
  sameScope,
} from "../../shared/accounts/mute-record.ts";
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

  /** What a mute of `kind` made from these fields covers (the fields of other kinds are null). */
  const scopeOf = (kind: MuteKind, scope: Partial<Mute>): MuteScope => ({
    kind,
    watch_id: kind === "item" ? scope.watch_id ?? null : scope.watch_id!,
    rule_id: kind === "rule" ? scope.rule_id! : null,
    site: kind === "item" ? scope.site! : null,
    item_id: kind === "item" ? scope.item_id! : null,
  });

  async function writeMute(owner: string, kind: MuteKind, fields: Partial<Mute>, days: number): Promise<Mute> {
    const at = now();
    const scope = scopeOf(kind, fields);
    const id = await muteIdOf(owner, scope);
    await accounts.catchUp();
    const book = accounts.book;
    // the ones whose time is over go (they count for nothing and would stay forever)
    for (const old of book.expiredMutesOf(owner, at)) await accounts.write(muteKey(old.id), null);
    const existing = book.mute(id);
    if (!existing && book.mutesOf(owner, at).length >= MAX_MUTES_PER_PERSON) {
      throw new HTTPException(409, {
        message: `You already have ${MAX_MUTES_PER_PERSON} mutes in force: undo some on /mutes first.`,
      });
    }
    const mute: Mute = {
      type: "mute",
      id,
      owner,
      ...scope,
      label: (fields.label ?? "").slice(0, 200),
      until: new Date(at + days * DAY_MS).toISOString(),
      created_at: existing?.created_at ?? new Date(at).toISOString(),
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
    // the link undoes only what it could have made: its owner's mute of exactly its item, its
    // rule or its watch (not another rule of the watch, not another item of it)
    const fields = { watch_id: link.w, rule_id: link.r, site: link.s as Mute["site"], item_id: link.i };
    if (!mute || mute.owner !== link.o || !sameScope(mute, scopeOf(mute.kind, fields))) {
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
