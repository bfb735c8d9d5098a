import { describe, expect, test } from "bun:test";
import { LinkSigner } from "./signed-token.ts";

const asRecord = (v: unknown) => (typeof v === "object" && v !== null ? v as Record<string, unknown> : null);

describe("signed links", () => {
  test("a signed payload verifies until it expires", async () => {
    const signer = await LinkSigner.fromSecret("k".repeat(40));
    const now = Date.parse("2026-12-06T12:00:00Z");
    const token = await signer.sign({ mute: "item", item: "MLB123" }, now + 60_000);
    const ok = await signer.verify(token, now, asRecord);
    expect(ok.ok && ok.payload.item).toBe("MLB123");
    expect(await signer.verify(token, now + 61_000, asRecord)).toEqual({ ok: false, reason: "this link has expired" });
  });

  test("a changed payload, another key or garbage is refused", async () => {
    const signer = await LinkSigner.fromSecret("k".repeat(40));
    const other = await LinkSigner.fromSecret("j".repeat(40));
    const now = Date.now();
    const token = await signer.sign({ item: "MLB1" }, now + 60_000);
    const [body, sig] = token.split(".");
    const forged = `${
      Buffer.from(JSON.parse(Buffer.from(body!, "base64url").toString()).item ? '{"item":"MLB2","exp":9999999999}' : "")
        .toString("base64url")
    }.${sig}`;
    expect((await signer.verify(forged, now, asRecord)).ok).toBe(false);
    expect((await other.verify(token, now, asRecord)).ok).toBe(false);
    expect((await signer.verify("nonsense", now, asRecord)).ok).toBe(false);
    expect((await signer.verify("a.b.c", now, asRecord)).ok).toBe(false);
    expect((await signer.verify("x".repeat(2_000), now, asRecord)).ok).toBe(false);
  });

  test("a short key is refused", async () => {
    await expect(LinkSigner.fromSecret("short")).rejects.toThrow(/32/);
  });
});
