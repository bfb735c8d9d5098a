/**
 * The captured pages (fixtures/captured/, kept by `edge/cli.ts capture`): each still reads as
 * the kind it was, and no field is carried by fewer cards than when it was kept. A fix for a
 * drift is checked against the page that showed it, and never undone by a later change.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { hexPrefix, sha256 } from "../../shared/sha256.ts";
import { CAPTURE_DIR, type CaptureMeta, readSavedPage } from "./capture.ts";
import { compactCoverage } from "./coverage.ts";

const metas = readdirSync(CAPTURE_DIR).filter((f) => f.endsWith(".meta.json")).sort();

test("captured pages: the folder holds at least one capture", () => {
  assert.ok(metas.length >= 1, `no .meta.json in ${CAPTURE_DIR}`);
});

for (const name of metas) {
  test(`captured page ${name.replace(/\.meta\.json$/, "")}: same kind, no field carried by fewer cards`, async () => {
    const meta = JSON.parse(readFileSync(`${CAPTURE_DIR}${name}`, "utf8")) as CaptureMeta;
    const html = readFileSync(`${CAPTURE_DIR}${meta.file}`, "utf8");
    assert.equal(hexPrefix(await sha256(html), 32), meta.sha256, "the page is the one captured");
    const reading = readSavedPage(html, meta.url, meta.site ?? undefined);
    assert.equal(reading.kind, meta.kind);
    if (!meta.coverage) return;
    const now = compactCoverage(reading.coverage!);
    assert.equal(now.cards, meta.coverage.cards);
    const fewer = Object.entries(meta.coverage.fields)
      .filter(([field, then]) => (now.fields[field] ?? 0) < then)
      .map(([field, then]) => `${field}: ${now.fields[field] ?? 0} cards, ${then} when captured`);
    assert.deepEqual(fewer, []);
  });
}
