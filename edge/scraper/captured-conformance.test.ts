/**
 * The captured pages (fixtures/captured/, kept by `edge/cli.ts capture`): each still reads as
 * the kind it was, and no field is carried by fewer cards than when it was kept. A fix for a
 * drift is checked against the page that showed it, and never undone by a later change. The
 * folder starts empty (the project's own fixtures are elsewhere); the check itself is tested on
 * a page captured here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { hexPrefix, sha256 } from "../../shared/sha256.ts";
import { CAPTURE_DIR, type CaptureMeta, capturePage, readSavedPage } from "./capture.ts";
import { compactCoverage } from "./coverage.ts";

/** What is wrong with a captured page now: its hash, its kind, or fields carried by fewer cards. */
async function regressions(dir: string, metaFile: string): Promise<string[]> {
  const meta = JSON.parse(readFileSync(`${dir}/${metaFile}`, "utf8")) as CaptureMeta;
  const html = readFileSync(`${dir}/${meta.file}`, "utf8");
  if (hexPrefix(await sha256(html), 32) !== meta.sha256) return [`${meta.file}: not the page captured`];
  const reading = readSavedPage(html, meta.url, meta.site ?? undefined);
  if (reading.kind !== meta.kind) return [`reads as ${reading.kind}, captured as ${meta.kind}`];
  if (!meta.coverage) return [];
  const now = compactCoverage(reading.coverage!);
  const problems = now.cards === meta.coverage.cards ? [] : [`${now.cards} cards, ${meta.coverage.cards} captured`];
  for (const [field, then] of Object.entries(meta.coverage.fields)) {
    if ((now.fields[field] ?? 0) < then) {
      problems.push(`${field}: ${now.fields[field] ?? 0} cards, ${then} when captured`);
    }
  }
  return problems;
}

const metas = existsSync(CAPTURE_DIR) ? readdirSync(CAPTURE_DIR).filter((f) => f.endsWith(".meta.json")).sort() : [];

for (const name of metas) {
  test(`captured page ${name.replace(/\.meta\.json$/, "")}: same kind, no field carried by fewer cards`, async () => {
    assert.deepEqual(await regressions(CAPTURE_DIR, name), []);
  });
}

test("captured pages: a page kept as it was passes; a field lost since, another kind or another page fails", async () => {
  const dir = mkdtempSync(`${tmpdir()}/captured-`);
  const source = new URL("./fixtures/deals-br.html", import.meta.url).pathname;
  const html = readFileSync(source, "utf8");
  const meta = await capturePage(html, { source, dir });
  const metaFile = meta.file.replace(/\.html$/, ".meta.json");
  assert.deepEqual(await regressions(dir, metaFile), []);

  // the parser of the future reads one rating less than the one that captured the page
  const kept = { ...meta, coverage: { ...meta.coverage!, fields: { ...meta.coverage!.fields, rating: 2 } } };
  writeFileSync(`${dir}/${metaFile}`, JSON.stringify(kept));
  assert.deepEqual(await regressions(dir, metaFile), ["rating: 1 cards, 2 when captured"]);
  writeFileSync(`${dir}/${metaFile}`, JSON.stringify({ ...meta, kind: "search" }));
  assert.deepEqual(await regressions(dir, metaFile), ["reads as deals, captured as search"]);
  writeFileSync(`${dir}/${meta.file}`, html.replace("</body>", "<p>changed</p></body>"));
  assert.match((await regressions(dir, metaFile))[0]!, /not the page captured/);
});
