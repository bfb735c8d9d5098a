/**
 * runDaemon: what stops a running daemon for good (its `fail`, a rejection nobody handled) is one
 * JSON error line, a clean stop and exit 1, never a runtime's stack dump on a supervisor's screen.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import process from "node:process";

const FIXTURE = new URL("./fixtures/failing-daemon.ts", import.meta.url).pathname;

function run(mode: string) {
  const result = spawnSync(process.execPath, ["run", FIXTURE, mode], { encoding: "utf8", timeout: 30_000 });
  const lines = `${result.stdout}\n${result.stderr}`.split("\n").filter((l) => l.trim() !== "");
  return { code: result.status, lines };
}

for (const [mode, message] of [["rejection", "a bug nobody caught"], ["fail", "kafkajs gave up on a reader"]]) {
  test(`runDaemon: ${mode} → one fixture_failed line, the daemon stopped, exit 1`, () => {
    const { code, lines } = run(mode!);
    assert.equal(code, 1, lines.join("\n"));
    const parsed = lines.map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return { free_text: l };
      }
    });
    assert.deepEqual(parsed.filter((l) => "free_text" in l), [], "every line is JSON");
    const failed = parsed.filter((l) => l.event === "fixture_failed");
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.level, "error");
    assert.equal(failed[0]!.message, message);
    assert.ok(parsed.some((l) => l.event === "fixture_stopped"), "stopped before the exit");
  });
}
