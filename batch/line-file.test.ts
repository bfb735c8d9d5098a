import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { openLineFile } from "./line-file.ts";

/** Lines that cross the plain file's buffer at odd places, in every UTF-8 width, and one larger than it. */
function awkwardLines(): string[] {
  const lines: string[] = [];
  const words = ["oferta", "relâmpago", "€ 1.299,90", "手机壳", "🔥🔥", '\\"quoted\\"'];
  for (let i = 0; i < 3_000; i++) lines.push(`${i}:${words[i % words.length]!.repeat(1 + (i % 97))}`);
  lines.splice(1_234, 0, "ç".repeat(300_000)); // 600 KB in UTF-8: more than a buffer
  lines.splice(2_500, 0, "🔥".repeat(100_000)); // surrogate pairs, 400 KB
  lines.push("");
  return lines;
}

for (const gzip of [false, true]) {
  test(`line file (${gzip ? "gzip" : "plain"}): every line back, byte for byte, in order`, async () => {
    const path = join(mkdtempSync(join(tmpdir(), "ofertas-lines-")), gzip ? "a.json.gz" : "a.json");
    const lines = awkwardLines();
    const file = openLineFile(path, gzip);
    for (const line of lines) {
      const wait = file.add(line);
      if (wait) await wait;
    }
    await file.close();
    const bytes = readFileSync(path);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(gzip ? gunzipSync(bytes) : bytes);
    assert.equal(text, lines.map((l) => `${l}\n`).join(""));
  });
}

test("line file (plain): a line added after close is an error, not a silent loss", async () => {
  const file = openLineFile(join(mkdtempSync(join(tmpdir(), "ofertas-lines-")), "b.json"), false);
  await file.close();
  assert.throws(() => file.add("late"), /closed/);
});
