/**
 * Watches from the browser: paste, see the proposal, save; change, pause, resume, delete.
 *
 *   GET  /watches/new               the paste form
 *   POST /watches/propose           what the paste is (edge/watches/page-url.ts) as a filled form
 *   POST /watches/save              a new watch of the signed-in person
 *   GET  /watches/:id/edit          the form of a watch one may change (ownership.ts)
 *   POST /watches/:id/save|pause|resume|delete
 *
 * Every watch goes through the watches' own store (edge/watches/watch-store.ts), the one path
 * that validates watches: the schema, the deployment's limits decided in log order, then the
 * record on the watches topic. The route's token API is that same store.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { isSiteCode } from "../../shared/sites.ts";
import { recognise } from "../../edge/watches/page-url.ts";
import type { Watch, WatchInput, WatchTarget } from "../../shared/watch/watch.ts";
import { PastePage, WatchFormPage } from "../views/watch-form-page.tsx";
import { canChange } from "./ownership.ts";
import type { PeopleApp, PeopleDeps, PeopleEnv } from "./people-deps.ts";
import { formOf, type Person, requirePerson } from "./session.ts";
import { errorsOfStore, formOfTarget, formOfWatch, inputOfForm, newWatchId, type WatchForm } from "./watch-proposal.ts";
import { NotReady, WATCHES_NOT_READ } from "../web-errors.tsx";

export function watchFormRoutes(app: PeopleApp, deps: PeopleDeps) {
  const { ctx, watches, sites } = deps;

  const ready = () => {
    if (!watches.ready) throw new NotReady(WATCHES_NOT_READ);
  };
  /** A watch the person may change, or 404 (the same answer as for no such watch). */
  const changeable = (c: Context<PeopleEnv>, person: Person): Watch => {
    ready();
    const watch = watches.get(c.req.param("id") ?? "");
    if (!watch || !canChange(person, watch)) throw new HTTPException(404, { message: "no such watch" });
    return watch;
  };
  const channelsOf = (person: Person) => deps.accounts.book.channelsOf(person.account.id);
  /** The channels ticked, kept to the person's own. */
  const chosenChannels = (person: Person, raw: string[]) => {
    const mine = new Set(channelsOf(person).map((ch) => ch.id));
    return raw.filter((id) => mine.has(id));
  };
  const targetOfForm = (form: WatchForm): WatchTarget => ({
    site: isSiteCode(form.t_site) ? form.t_site : sites[0]!,
    view: (form.t_view ?? "search") as WatchTarget["view"],
    query: form.t_query || undefined,
    item: form.t_item || undefined,
    category: form.t_category || undefined,
    pages: Number(form.pages || 1),
  });

  async function formAndChannels(c: Context<PeopleEnv>) {
    const form = await formOf(c) as WatchForm;
    return { form, ticked: c.get("formLists").channel ?? [] };
  }

  app.get("/watches/new", (c) => {
    const person = requirePerson(c);
    return c.html(<PastePage ctx={ctx} csrf={person.csrf} site={sites[0]!} sites={sites} />);
  });

  app.post("/watches/propose", async (c) => {
    const person = requirePerson(c);
    const form = await formOf(c);
    const site = isSiteCode(form.site) && sites.includes(form.site) ? form.site : sites[0]!;
    const r = recognise(form.paste ?? "", site);
    const problem = !r.ok
      ? r.reason
      : sites.includes(r.site)
      ? null
      : `this deployment follows ${sites.join(", ")} only`;
    if (!r.ok || problem) {
      return c.html(
        <PastePage ctx={ctx} csrf={person.csrf} paste={form.paste} site={site} sites={sites} error={problem!} />,
        400,
      );
    }
    return c.html(
      <WatchFormPage
        ctx={ctx}
        csrf={person.csrf}
        form={formOfTarget(r.target)}
        target={r.target}
        kind={r.kind}
        notes={r.notes}
        channels={channelsOf(person)}
        chosen={[]}
        errors={{}}
      />,
    );
  });

  /** Saves `id` from the form (new when `existing` is null); the form again with errors when refused. */
  async function save(c: Context<PeopleEnv>, person: Person, existing: Watch | null) {
    ready();
    const { form, ticked } = await formAndChannels(c);
    const id = existing ? existing.id : newWatchId(form.name ?? "watch");
    // a watch keeps its owner (an admin changing a member's watch does not take it) and, when
    // someone else saves it, its owner's channels (the editor's own are not the owner's to use)
    const owner = existing ? existing.owner : person.account.id;
    const chosen = existing?.owner && existing.owner !== person.account.id
      ? existing.alerts?.channels ?? []
      : chosenChannels(person, ticked);
    const asked = inputOfForm(form, chosen, owner, sites);
    const again = (errors: Record<string, string>, status: 400 | 422 | 503) =>
      c.html(
        <WatchFormPage
          ctx={ctx}
          csrf={person.csrf}
          form={form}
          target={targetOfForm(form)}
          kind="watch"
          notes={[]}
          channels={channelsOf(person)}
          chosen={chosen}
          errors={errors}
          watchId={existing?.id}
        />,
        status,
      );
    if (!asked.ok) return again(asked.errors, 400);
    const saved = await watches.put(id, asked.input);
    if (!saved.ok) return again(errorsOfStore(saved.errors), saved.status);
    return c.redirect(`/watches#watch-${id}`, 303);
  }

  app.post("/watches/save", (c) => {
    const person = requirePerson(c);
    return save(c, person, null);
  });

  app.get("/watches/:id/edit", (c) => {
    const person = requirePerson(c);
    const watch = changeable(c, person);
    const { form, channels } = formOfWatch(watch);
    return c.html(
      <WatchFormPage
        ctx={ctx}
        csrf={person.csrf}
        form={form}
        target={watch.target}
        kind="watch"
        notes={[]}
        channels={channelsOf(person)}
        chosen={channels}
        errors={{}}
        watchId={watch.id}
      />,
    );
  });

  app.post("/watches/:id/save", (c) => {
    const person = requirePerson(c);
    const watch = changeable(c, person);
    return save(c, person, watch);
  });

  for (const [action, enabled] of [["pause", false], ["resume", true]] as const) {
    app.post(`/watches/:id/${action}`, async (c) => {
      const person = requirePerson(c);
      const watch = changeable(c, person);
      await formOf(c);
      const input: WatchInput = {
        name: watch.name,
        target: watch.target,
        period: watch.period,
        enabled,
        ...(watch.alerts ? { alerts: watch.alerts } : {}),
        ...(watch.owner ? { owner: watch.owner } : {}),
      };
      const saved = await watches.put(watch.id, input);
      if (!saved.ok) throw new HTTPException(saved.status === 503 ? 503 : 422, { message: saved.errors.join("; ") });
      return c.redirect(`/watches#watch-${watch.id}`, 303);
    });
  }

  app.post("/watches/:id/delete", async (c) => {
    const person = requirePerson(c);
    const watch = changeable(c, person);
    await formOf(c);
    await watches.remove(watch.id);
    return c.redirect("/watches", 303);
  });
}
