/** The steps of `npm test`, in order. Shared with the README's description of the suite. */
import type { Step } from "./lib/run-step.ts";

const deno = ["deno"];
/** Code that must stay runtime-neutral: type-checked and (for shared/) tested on Deno too. */
const DENO_CHECKED = ["shared/", "edge/"];

export const steps: Step[] = [
  {
    name: "typecheck",
    description: "TypeScript over the whole project (tsc --noEmit)",
    cmd: ["tsc", "--noEmit", "-p", "."],
  },
  {
    name: "bun",
    description: "all tests on Bun",
    cmd: ["bun", "test"],
  },
  {
    name: "deno-check",
    description: "Deno type-checks the runtime-neutral code",
    cmd: [...deno, "check", ...DENO_CHECKED],
  },
  {
    name: "deno",
    description: "shared/ and edge/ tests on Deno",
    cmd: [...deno, "test", "--allow-read", "--allow-net=127.0.0.1", "--allow-env", ...DENO_CHECKED],
  },
];
