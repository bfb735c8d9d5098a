/**
 * The whole test suite, as `npm test` (and CI's .ci/run) runs it: type checks on Bun and
 * Deno, unit tests, then real services (3-broker Kafka, …) for the integration tests, and
 * the runtime-neutral tests again on Deno. Every step runs even when an earlier one failed;
 * the summary says which failed.
 *
 *   bun run scripts/test.ts                    everything
 *   bun run scripts/test.ts unit deno-unit     only the named steps (services start if a step needs them)
 */
import { runStep, type StepResult } from "./lib/run-step.ts";
import { type Services, startServices } from "./lib/test-services.ts";
import { steps } from "./test-steps.ts";

const wanted = new Set(process.argv.slice(2));
const selected = wanted.size ? steps.filter((s) => wanted.has(s.name)) : steps;
if (wanted.size && selected.length !== wanted.size) {
  console.error(`unknown step; known: ${steps.map((s) => s.name).join(", ")}`);
  process.exit(2);
}

const results: StepResult[] = [];
let services: Services | null = null;
let servicesFailed = false;
try {
  for (const step of selected) {
    if (step.needsServices && !services && !servicesFailed) {
      const started = performance.now();
      console.log("\n=== services: starting the 3-broker Kafka cluster and the GCS/BigQuery emulators");
      try {
        services = await startServices();
        results.push({ name: "services", ok: true, ms: performance.now() - started });
      } catch (error) {
        console.error(`services did not start: ${(error as Error).message}`);
        servicesFailed = true;
        results.push({ name: "services", ok: false, ms: performance.now() - started });
      }
    }
    if (step.needsServices && !services) {
      results.push({ name: step.name, ok: false, ms: 0 });
      continue;
    }
    const between = step.needsServices && services ? () => services!.recycleBigQuery() : undefined;
    results.push(await runStep({ ...step, env: { ...step.env, ...services?.env } }, between));
  }
} finally {
  if (services) await services.stop();
}

console.log("\n=== test summary ===");
for (const r of results) {
  console.log(`${r.ok ? "PASS" : "FAIL"}  ${r.name.padEnd(14)} ${(r.ms / 1000).toFixed(1).padStart(7)} s`);
}
const failed = results.filter((r) => !r.ok);
console.log(failed.length ? `${failed.length} step(s) failed` : "all steps passed");
// why each test failed, last: the end of a long log is what people (and CI pages) show
for (const r of failed) {
  for (const lines of r.failures ?? []) console.log(`${r.name}: ${lines.join("\n")}`);
}
process.exit(failed.length ? 1 : 0);
