/** Runs one named command of the test suite with inherited output and reports its time. */
export interface Step {
  name: string;
  description: string;
  cmd: string[];
  env?: Record<string, string>;
}

export interface StepResult {
  name: string;
  ok: boolean;
  ms: number;
}

export async function runStep(step: Step): Promise<StepResult> {
  console.log(`\n=== ${step.name}: ${step.description}\n$ ${step.cmd.join(" ")}`);
  const started = performance.now();
  const proc = Bun.spawn(step.cmd, {
    stdout: "inherit",
    stderr: "inherit",
    stdin: "ignore",
    env: { ...process.env, ...step.env },
  });
  const code = await proc.exited;
  return { name: step.name, ok: code === 0, ms: performance.now() - started };
}
