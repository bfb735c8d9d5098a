/**
 * A person's channels: `GET /channels`, `POST /channels` (add), `POST /channels/:id/test` (one
 * test message; the channel's own answer shown to its owner, without its secrets), `POST
 * /channels/:id/delete`. What a person gives is checked by building the channel (the same code
 * and guard the alerter uses: alert/channels/person-channel.ts), sealed with the deployment's key,
 * and never written to a log or a page again. Someone else's channel is a 404, by URL or form.
 * The cap of channels per person is decided in log order (shared/accounts/account-book.ts): of
 * posts at once, the ones past it are refused after their write is read back, and removed.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { newId } from "../../shared/accounts/account-ids.ts";
import { channelKey } from "../../shared/accounts/account-book.ts";
import {
  CHANNEL_KINDS,
  type ChannelKind,
  type ChannelRecord,
  MAX_CHANNELS_PER_PERSON,
} from "../../shared/accounts/channel-record.ts";
import { log } from "../../shared/log.ts";
import { testMessage } from "../../alert/channels/message.ts";
import { channelOfRecord, personChannel, sealChannel } from "../../alert/channels/person-channel.ts";
import { ChannelsPage } from "../views/channels-page.tsx";
import { owns } from "./ownership.ts";
import type { PeopleApp, PeopleDeps, PeopleEnv } from "./people-deps.ts";
import { formOf, type Person, requirePerson } from "./session.ts";

export function channelRoutes(app: PeopleApp, deps: PeopleDeps) {
  const { ctx, accounts, box } = deps;
  const off = box ? null : "This ofertas has no key for people's channels (OFERTAS_SECRETS_KEY): ask its operator.";
  const mine = (person: Person) => accounts.book.channelsOf(person.account.id);
  const page = (c: Context<PeopleEnv>, person: Person, extra: Record<string, unknown> = {}, status = 200) =>
    c.html(<ChannelsPage ctx={ctx} csrf={person.csrf} channels={mine(person)} off={off} {...extra} />, status as 200);
  const owned = (c: Context<PeopleEnv>, person: Person): ChannelRecord => {
    const channel = accounts.book.channel(c.req.param("id") ?? "");
    if (!channel || !owns(person, channel)) throw new HTTPException(404, { message: "no such channel" });
    return channel;
  };

  app.get("/channels", (c) => page(c, requirePerson(c)));

  app.post("/channels", async (c) => {
    const person = requirePerson(c);
    const form = await formOf(c);
    if (!box) return page(c, person, {}, 503);
    const values = { name: form.name ?? "", kind: form.kind ?? "", value: form.value ?? "" };
    const errors: Record<string, string> = {};
    const name = values.name.trim();
    if (name === "" || name.length > 40) errors.name = "a name of 1 to 40 characters";
    else if (mine(person).some((ch) => ch.name === name)) errors.name = "you have a channel of that name";
    const capped = `at most ${MAX_CHANNELS_PER_PERSON} channels`;
    if (mine(person).length >= MAX_CHANNELS_PER_PERSON) errors.name = capped;
    const kind = (CHANNEL_KINDS as readonly string[]).includes(values.kind) ? values.kind as ChannelKind : null;
    if (!kind) errors.kind = "choose a kind";
    const id = newId("c");
    const input = {
      kind: kind ?? "ntfy" as ChannelKind,
      value: values.value,
      ...(form.secret ? { secret: form.secret } : {}),
    };
    let shown = "";
    if (kind && !errors.value) {
      try {
        const channel = personChannel(id, input, deps.relays, deps.channelOptions);
        shown = channel.redacted;
        channel.close?.();
      } catch (error) {
        errors.value = (error as Error).message;
      }
    }
    if (Object.keys(errors).length) return page(c, person, { errors, values }, 400);
    const record: ChannelRecord = {
      type: "channel",
      id,
      owner: person.account.id,
      name,
      kind: input.kind,
      sealed: await sealChannel(box, id, input),
      shown: shown.slice(0, 200),
      created_at: new Date((deps.clock ?? Date.now)()).toISOString(),
    };
    await accounts.write(channelKey(id), record);
    if (!accounts.book.channel(id)) {
      // others of this person's came first in log order and filled the cap: ours is refused
      await accounts.write(channelKey(id), null);
      return page(c, person, { errors: { name: capped }, values }, 400);
    }
    log("info", "person_channel_added", { account_id: person.account.id, channel: id, kind: input.kind });
    return c.redirect("/channels", 303);
  });

  app.post("/channels/:id/test", async (c) => {
    const person = requirePerson(c);
    const record = owned(c, person);
    await formOf(c);
    if (!box) return page(c, person, {}, 503);
    let tested: { id: string; ok: boolean; detail: string };
    try {
      const channel = await channelOfRecord(box, record, deps.relays, deps.channelOptions);
      try {
        const answer = await channel.send(testMessage(), `test-${crypto.randomUUID()}`);
        tested = { id: record.id, ok: answer.ok, detail: answer.detail };
      } finally {
        channel.close?.();
      }
    } catch (error) {
      tested = { id: record.id, ok: false, detail: (error as Error).message.slice(0, 300) };
    }
    return page(c, person, { tested }, tested.ok ? 200 : 502);
  });

  app.post("/channels/:id/delete", async (c) => {
    const person = requirePerson(c);
    const record = owned(c, person);
    await formOf(c);
    await accounts.write(channelKey(record.id), null);
    return c.redirect("/channels", 303);
  });
}
