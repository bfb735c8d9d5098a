import { describe, test } from "node:test";
import { Buffer } from "node:buffer";
import assert from "node:assert/strict";
import { LinkSigner } from "./signed-token.ts";

const asRecord = (v: unknown) => (typeof v === "object" && v !== null ? v as Record<string, unknown> : null);

describe("signed links", () => {
  test("a signed payload verifies until it expires", async () => {
    const signer = await LinkSigner.fromSecret("k".repeat(40));
    const now = Date.parse("2026-12-06T12:00:00Z");
    const token = await signer.sign({ mute: "item", item: "MLB123" }, now + 60_000);
    const ok = await signer.verify(token, now, asRecord);
    assert.equal(ok.ok && ok.payload.item, "MLB123");
    assert.deepEqual(await signer.verify(token, now + 61_000, asRecord), {
      ok: false,
      reason: "this link has expired",
    });
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
    assert.equal((await signer.verify(forged, now, asRecord)).ok, false);
    assert.equal((await other.verify(token, now, asRecord)).ok, false);
    assert.equal((await signer.verify("nonsense", now, asRecord)).ok, false);
    assert.equal((await signer.verify("a.b.c", now, asRecord)).ok, false);
    assert.equal((await signer.verify("x".repeat(2_000), now, asRecord)).ok, false);
  });

  test("a short key is refused", async () => {
    await assert.rejects(LinkSigner.fromSecret("short"), /32/);
  });
});
