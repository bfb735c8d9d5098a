/**
 * A person's watch alerts that person only, and not what they muted: the rules' channels per
 * owner, the outbox's mute step (the alert kept, with its id, and no channel), the directory of
 * people's channels (sealed records opened with the key; another key's records left out), the
 * mute link at the end of a person's alert.
 */
import { describe, expect, test } from "bun:test";
import { Buffer } from "node:buffer";
import type { Alert } from "../shared/alert/alert-record.ts";
import { AccountBook, muteKey } from "../shared/accounts/account-book.ts";
import { SecretBox } from "../shared/accounts/secret-box.ts";
import { LinkSigner } from "../shared/accounts/signed-token.ts";
import { parseMuteLink } from "../shared/accounts/mute-link.ts";
import type { Watch } from "../shared/watch/watch.ts";
import { sealChannel } from "./channels/person-channel.ts";
import { messageOf } from "./channels/message.ts";
import { activeRules } from "./evaluator.ts";
import { EpisodeStates } from "./episode-states.ts";
import { mutedBy } from "./mutes.ts";
import { muteLinks } from "./mute-links.ts";
import { Outbox } from "./outbox.ts";
import { ChannelDirectory } from "./person-channels.ts";

const ANA = "u-aaaaaaaaaaaa";
const BOB = "u-bbbbbbbbbbbb";
const T = "2026-12-06T12:00:00.000Z";
const watch = (id: string, owner?: string, channels?: string[]): Watch => ({
  id,
  name: id,
  target: { site: "MLB", view: "search", query: "x", pages: 1 },
  period: { every: "1h" },
  enabled: true,
  alerts: {
    rules: [{ kind: "below", price: 10, clear_after: "6h", rearm_after: null, absent_after: "3d" }],
    first_run: "alert",
    ...(channels ? { channels } : {}),
  },
  ...(owner ? { owner } : {}),
  created_at: T,
  updated_at: T,
});

function alert(watchId: string, item = "MLB123456789"): Alert {
  return {
    type: "alert",
    schema_version: 1,
    alert_id: `id-${watchId}-${item}`,
    rule_key: `watch:${watchId}:below`,
    kind: "below",
    watch_id: watchId,
    site: "MLB",
    item_id: item,
    title: "Furadeira",
    url: null,
    currency: "BRL",
    price: "9.00",
    observed_at: T,
    verdict: null,
    real_discount_pct: null,
    why: "at or below 10",
    channels: ["c-aaaaaaaaaaaa"],
    decided_at: T,
    source: "test",
  } as unknown as Alert;
}

describe("whose channels", () => {
  test("a person's watch tells their channels only; the operator's watches and global rules the operator's", () => {
    const own = (owner: string) => (owner === ANA ? ["c-anaphoneaaaa"] : ["c-bobphonebbbb"]);
    const rules = activeRules(
      [watch("anas", ANA), watch("bobs", BOB), watch("ops"), watch("anas-picked", ANA, ["c-bobphonebbbb", "hook"])],
      [{ kind: "real_deal", min_real_discount_pct: 30, clear_after: "6h", rearm_after: null, absent_after: "3d" }],
      ["hook"],
      own,
    );
    const byKey = Object.fromEntries(rules.map((r) => [r.key, r.channels]));
    expect(byKey["watch:anas:below"]).toEqual(["c-anaphoneaaaa"]);
    expect(byKey["watch:bobs:below"]).toEqual(["c-bobphonebbbb"]);
    expect(byKey["watch:ops:below"]).toEqual(["hook"]);
    // naming someone else's channel or the operator's does not reach them
    expect(byKey["watch:anas-picked:below"]).toEqual([]);
    expect(byKey["global:real_deal"]).toEqual(["hook"]);
  });
});

describe("mutes in the outbox", () => {
  test("a muted alert is written with its id and no channel; others are untouched", async () => {
    const book = new AccountBook();
    book.apply(
      muteKey("m-aaaaaaaaaaaa"),
      JSON.stringify({
        type: "mute",
        id: "m-aaaaaaaaaaaa",
        owner: ANA,
        kind: "item",
        watch_id: "anas",
        rule_id: null,
        site: "MLB",
        item_id: "MLB123456789",
        label: "Furadeira",
        until: "2099-01-01T00:00:00.000Z",
        created_at: T,
      }),
    );
    const written: Array<{ key: string; value: string | null }> = [];
    const log = {
      appendMany: (
        _t: string,
        r: ReadonlyArray<{ key: string; value: string | null }>,
      ) => (written.push(...r), Promise.resolve()),
    };
    const owners: Record<string, string> = { anas: ANA, bobs: BOB };
    const outbox = new Outbox(
      log,
      { alerts: "a", state: "s" },
      new EpisodeStates(),
      () => {},
      mutedBy(book, (w) => owners[w]),
    );
    await outbox.write([alert("anas"), alert("anas", "MLB999999999"), alert("bobs")], new Map());
    const sent = written.map((r) => JSON.parse(r.value!) as Alert);
    expect(sent.map((a) => a.alert_id)).toEqual([
      "id-anas-MLB123456789",
      "id-anas-MLB999999999",
      "id-bobs-MLB123456789",
    ]);
    expect(sent.map((a) => a.channels.length)).toEqual([0, 1, 1]);
  });
});

describe("people's channels in the alerter", () => {
  test("sealed records open into channels under their ids; another key's are left out", async () => {
    const key = (n: number) => Buffer.alloc(32, n).toString("base64");
    const box = await SecretBox.fromBase64(key(1));
    const other = await SecretBox.fromBase64(key(2));
    const directory = new ChannelDirectory(new Map(), box, { telegramBotToken: null, smtpUrl: null, env: {} }, {
      allowLoopback: false,
      allowPrivate: false,
    });
    const record = async (id: string, owner: string, with_: SecretBox) => ({
      type: "channel" as const,
      id,
      owner,
      name: "phone",
      kind: "ntfy" as const,
      sealed: await sealChannel(with_, id, { kind: "ntfy", value: `https://ntfy.sh/${id}-topic` }),
      shown: "ntfys://ntfy.sh/***",
      created_at: T,
    });
    directory.apply("c-aaaaaaaaaaaa", await record("c-aaaaaaaaaaaa", ANA, box));
    directory.apply("c-bbbbbbbbbbbb", await record("c-bbbbbbbbbbbb", BOB, other));
    await directory.settled();
    expect(directory.channelsOf(ANA)).toEqual(["c-aaaaaaaaaaaa"]);
    expect(directory.channelsOf(BOB)).toEqual([]);
    expect(directory.channels.get("c-aaaaaaaaaaaa")?.redacted).not.toContain("topic");
    directory.apply("c-aaaaaaaaaaaa", null);
    await directory.settled();
    expect(directory.channels.has("c-aaaaaaaaaaaa")).toBe(false);
  });

  test("a person's alert ends with a signed mute link naming what it mutes; the operator's has none", async () => {
    const signer = await LinkSigner.fromSecret("x".repeat(40));
    const decorate = muteLinks(signer, "https://ofertas.example", 14, (w) => (w === "anas" ? ANA : undefined));
    const theirs = await decorate(messageOf(alert("anas")));
    const token = /\/mute\?t=(\S+)$/.exec(theirs.text)![1]!;
    const checked = await signer.verify(token, Date.now(), parseMuteLink);
    expect(checked.ok && checked.payload).toMatchObject({ o: ANA, w: "anas", r: "below", i: "MLB123456789" });
    expect(theirs.alerts[0]!.alert_id).toBe("id-anas-MLB123456789");
    expect((await decorate(messageOf(alert("ops")))).text).not.toContain("/mute");
  });
});
