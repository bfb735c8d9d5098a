import { describe, expect, test } from "bun:test";
import { Buffer } from "node:buffer";
import { SecretBox } from "../../shared/accounts/secret-box.ts";
import type { ChannelRecord } from "../../shared/accounts/channel-record.ts";
import { channelOfRecord, personChannel, personChannelUrl, sealChannel } from "./person-channel.ts";

const relays = {
  telegramBotToken: "123:ABC",
  smtpUrl: "mailtos://bot:${SMTP_PASSWORD}@smtp.example.com?from=o@example.com",
  env: { SMTP_PASSWORD: "pw" },
};
const options = { allowLoopback: false, allowPrivate: false };

describe("a person's channel", () => {
  test("each kind becomes the operator's notation", () => {
    expect(personChannelUrl({ kind: "ntfy", value: "https://ntfy.sh/my-topic" }, relays)).toBe(
      "ntfys://ntfy.sh/my-topic",
    );
    expect(personChannelUrl({ kind: "webhook", value: "https://hooks.example.com/x?y=1", secret: "s" }, relays))
      .toBe("jsons://hooks.example.com/x?y=1&secret=s");
    expect(
      personChannelUrl({
        kind: "discord",
        value: "https://discord.com/api/webhooks/12345678/abcdefghijklmnopqrstuvwxyz",
      }, relays),
    )
      .toBe("discord://12345678/abcdefghijklmnopqrstuvwxyz");
    expect(personChannelUrl({ kind: "telegram", value: "-1001234567890" }, relays)).toBe(
      "tgram://123%3AABC/-1001234567890",
    );
    expect(personChannelUrl({ kind: "email", value: "me@example.com" }, relays)).toContain("to=me%40example.com");
  });

  test("what a person types never reads the environment, and goes through the target guard", () => {
    expect(() => personChannelUrl({ kind: "webhook", value: "https://x.example/${OFERTAS_TOKEN}" }, relays)).toThrow(
      /\$\{/,
    );
    expect(() =>
      personChannel("c-aaaaaaaaaaaa", { kind: "webhook", value: "http://example.com/hook" }, relays, options)
    )
      .toThrow(/https/);
    expect(() => personChannelUrl({ kind: "webhook", value: "https://user:pw@x.example/" }, relays)).toThrow(
      /user name/,
    );
    expect(() => personChannelUrl({ kind: "telegram", value: "1" }, { ...relays, telegramBotToken: null })).toThrow(
      /no Telegram bot/,
    );
    expect(() => personChannelUrl({ kind: "email", value: "not-an-address" }, relays)).toThrow(/e-mail address/);
    expect(() => personChannelUrl({ kind: "discord", value: "https://evil.example/api/webhooks/1/2" }, relays)).toThrow(
      /Discord/,
    );
  });

  test("sealed at rest, opened with the key into the same channel; the shown form has no secret", async () => {
    const box = await SecretBox.fromBase64(Buffer.alloc(32, 7).toString("base64"));
    const id = "c-aaaaaaaaaaaa";
    const input = { kind: "ntfy" as const, value: "https://ntfy.sh/secret-topic-42" };
    const channel = personChannel(id, input, relays, options);
    expect(channel.redacted).not.toContain("secret-topic");
    const record: ChannelRecord = {
      type: "channel",
      id,
      owner: "u-aaaaaaaaaaaa",
      name: "phone",
      kind: "ntfy",
      sealed: await sealChannel(box, id, input),
      shown: channel.redacted,
      created_at: "2026-12-06T12:00:00.000Z",
    };
    expect(record.sealed).not.toContain("secret-topic");
    expect((await channelOfRecord(box, record, relays, options)).name).toBe(id);
    // moved to another record's id: it does not open
    await expect(channelOfRecord(box, { ...record, id: "c-bbbbbbbbbbbb" }, relays, options)).rejects.toThrow();
  });
});
