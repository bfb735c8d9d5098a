/**
 * docs/configuration.md is generated from the settings declarations, and every variable the code
 * reads is declared: a new `env.X` without a declaration fails here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { renderReference } from "../shared/settings.ts";
import { ALL_SETTINGS, REFERENCE_PATH } from "../scripts/config-reference.ts";

const root = new URL("..", import.meta.url).pathname;

/** Variables that belong to the platform, not to ofertas. */
const NOT_OURS = new Set(["HOME", "PATH", "CI", "NO_COLOR", "TMPDIR", "METADATA_SERVER_DETECTION"]);

function variablesReadByCode(): Map<string, string> {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\n")
    .filter((f) => f && !f.startsWith("node_modules/"));
  const found = new Map<string, string>();
  const patterns: Array<[RegExp, (f: string) => boolean]> = [
    // env.X, process.env.X, env["X"], Deno.env.get("X")
    [/\benv\.([A-Z][A-Z0-9_]+)\b/g, (f) => f.endsWith(".ts") && !f.endsWith(".test.ts")],
    [/\benv\[["']([A-Z][A-Z0-9_]+)["']\]/g, (f) => f.endsWith(".ts") && !f.endsWith(".test.ts")],
    [/Deno\.env\.get\(["']([A-Z][A-Z0-9_]+)["']\)/g, (f) => f.endsWith(".ts") && !f.endsWith(".test.ts")],
    // a shell default, ${X:-…}: the way the scripts read their environment
    [/\$\{([A-Z][A-Z0-9_]+):?-/g, (f) => f.startsWith("scripts/") && !f.includes(".")],
  ];
  for (const file of files) {
    let text: string | null = null;
    for (const [pattern, applies] of patterns) {
      if (!applies(file)) continue;
      text ??= readFileSync(`${root}${file}`, "utf8");
      for (const m of text.matchAll(pattern)) if (!NOT_OURS.has(m[1]!)) found.set(m[1]!, file);
    }
  }
  return found;
}

test("config reference: docs/configuration.md is what the declarations render", () => {
  const onDisk = readFileSync(`${root}${REFERENCE_PATH}`, "utf8");
  assert.equal(onDisk, renderReference(ALL_SETTINGS), "run `bun run scripts/gen-config-docs.ts`");
});

test("config reference: every variable the code reads is declared and documented", () => {
  const declared = new Set(ALL_SETTINGS.flatMap((g) => Object.values(g.settings).map((s) => s.name)));
  const read = variablesReadByCode();
  assert.ok(read.size > 20, `the scan found only ${read.size} variables`);
  const missing = [...read].filter(([name]) => !declared.has(name)).map(([name, file]) => `${name} (${file})`);
  assert.deepEqual(missing, [], "declare these in a settings group (shared/settings.ts)");
});

test("config reference: no variable is declared twice", () => {
  const names = ALL_SETTINGS.flatMap((g) => Object.values(g.settings).map((s) => s.name));
  assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
});
