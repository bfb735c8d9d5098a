/**
 * The whole test suite, as `npm test` (and CI's .ci/run) runs it: type checks on Bun and
 * Deno, then the tests on Bun and the shared/ and edge/ tests on Deno. Every step runs even
 * when an earlier one failed, and a summary says which failed.
 *
 *   bun run scripts/test.ts            everything
 *   bun run scripts/test.ts unit deno  only the named steps
 */
import { steps } from "./test-steps.ts";
import { runStep, type StepResult } from "./lib/run-step.ts";

const wanted = new Set(process.argv.slice(2));
const selected = wanted.size ? steps.filter((s) => wanted.has(s.name)) : steps;
if (wanted.size && selected.length !== wanted.size) {
  console.error(`unknown step; known: ${steps.map((s) => s.name).join(", ")}`);
  process.exit(2);
}

const results: StepResult[] = [];
for (const step of selected) results.push(await runStep(step));

console.log("\n=== test summary ===");
for (const r of results) {
  console.log(`${r.ok ? "PASS" : "FAIL"}  ${r.name.padEnd(14)} ${(r.ms / 1000).toFixed(1).padStart(7)} s`);
}
const failed = results.filter((r) => !r.ok);
console.log(failed.length ? `${failed.length} step(s) failed` : "all steps passed");
process.exit(failed.length ? 1 : 0);
