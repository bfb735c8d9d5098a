/** The steps of `npm test`, in order. */
import { tmpdir } from "node:os";
import type { Step } from "./lib/run-step.ts";

/** Code that must stay runtime-neutral: type-checked and tested on Deno too. */
const DENO_CHECKED = ["shared/", "edge/"];
const INTEGRATION = "**/*.int.test.ts";
const BROWSER = "**/*.browser.test.ts";
const TOFU = "**/*.tofu.test.ts";
// writes only to the system's temporary folder (the capture tests keep pages there)
const DENO_PERMISSIONS = [
  "--allow-read",
  `--allow-write=${tmpdir()}`,
  "--allow-net=127.0.0.1",
  "--allow-env",
  "--allow-sys",
  "--allow-run",
];

export const steps: Array<Step & { needsServices?: boolean }> = [
  {
    name: "format",
    description: "one formatter for the tree (deno fmt --check; `deno fmt` fixes it)",
    cmd: ["deno", "fmt", "--check"],
  },
  {
    name: "lint",
    description: "deno lint over the tree",
    cmd: ["deno", "lint"],
  },
  {
    name: "typecheck",
    description: "TypeScript over the whole project (tsc --noEmit)",
    cmd: ["tsc", "--noEmit", "-p", "."],
  },
  {
    name: "deno-check",
    description: "Deno type-checks the runtime-neutral code",
    cmd: ["deno", "check", ...DENO_CHECKED],
  },
  {
    name: "unit",
    description: "unit tests on Bun (no services)",
    cmd: [
      "bun",
      "test",
      `--path-ignore-patterns=${INTEGRATION}`,
      `--path-ignore-patterns=${BROWSER}`,
      `--path-ignore-patterns=${TOFU}`,
    ],
  },
  {
    name: "deno-unit",
    description: "shared/ and edge/ unit tests on Deno",
    cmd: ["deno", "test", ...DENO_PERMISSIONS, "--ignore=**/*.int.test.ts", ...DENO_CHECKED],
  },
  {
    name: "browser",
    description: "the web view in headless Chromium (Debian's package, installed when missing), via playwright-core",
    cmd: ["bun", "test", "--timeout=120000", ".browser.test.ts"],
  },
  {
    name: "terraform",
    description:
      "tofu fmt -check and tofu validate over terraform/, then the tests that read its plan (OpenTofu and the Google provider built from the Go proxy)",
    cmd: ["sh", "-c", "bash scripts/terraform-tools check && bun test --timeout=120000 .tofu.test.ts"],
  },
  {
    name: "integration",
    description:
      "integration tests on Bun against the real services, a bun test per file (the BigQuery emulator made fresh between files once it grows)",
    cmd: ["bun", "test", "--timeout=180000"],
    eachFile: INTEGRATION,
    needsServices: true,
  },
];
