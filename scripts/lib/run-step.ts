/**
 * Runs one named command of the test suite, its output passed through as it comes, and reports
 * its time and, for each failed test, the lines that say why (so a summary at the end of a long
 * CI log still shows the cause, not only the name).
 */
export interface Step {
  name: string;
  description: string;
  cmd: string[];
  env?: Record<string, string>;
  /** Run `cmd` once per file matching this glob (appended to it), in path order, instead of once. */
  eachFile?: string;
}

export interface StepResult {
  name: string;
  ok: boolean;
  ms: number;
  /** Per failed test: its "(fail)" line and the few lines before it that say why. */
  failures?: string[][];
}

export async function runStep(step: Step, beforeEachFile?: () => Promise<unknown>): Promise<StepResult> {
  console.log(
    `\n=== ${step.name}: ${step.description}\n$ ${step.cmd.join(" ")}${
      step.eachFile ? ` <each ${step.eachFile}>` : ""
    }`,
  );
  const started = performance.now();
  const why = new FailureExcerpts();
  let ok = true;
  const files = step.eachFile
    ? [...new Bun.Glob(step.eachFile).scanSync({ cwd: "." })]
      .filter((f) => !f.startsWith("node_modules/")).sort()
    : [null];
  for (const file of files) {
    if (file !== null) {
      await beforeEachFile?.();
      console.log(`\n--- ${file}`);
    }
    const proc = Bun.spawn(file === null ? step.cmd : [...step.cmd, `./${file}`], {
      stdout: "pipe",
      stderr: "pipe",
      stdin: "ignore",
      env: { ...process.env, ...step.env },
    });
    await Promise.all([
      pass(proc.stdout, process.stdout, why),
      pass(proc.stderr, process.stderr, why),
    ]);
    if ((await proc.exited) !== 0) ok = false;
  }
  return { name: step.name, ok, ms: performance.now() - started, failures: why.failures };
}

async function pass(from: ReadableStream<Uint8Array>, to: NodeJS.WriteStream, why: FailureExcerpts) {
  const decoder = new TextDecoder();
  for await (const chunk of from) {
    to.write(chunk);
    why.take(decoder.decode(chunk, { stream: true }));
  }
}

/** The lines since the previous test's result, kept short: messages, not code frames or stacks. */
export class FailureExcerpts {
  readonly failures: string[][] = [];
  private since: string[] = [];
  private partial = "";

  constructor(private readonly linesPerFailure = 8, private readonly maxFailures = 10) {}

  take(text: string): void {
    const lines = (this.partial + text).split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (line.startsWith("(pass)") || line.startsWith("(skip)") || line.startsWith("(todo)")) {
      this.since = [];
    } else if (line.startsWith("(fail)")) {
      if (this.failures.length < this.maxFailures) {
        this.failures.push([line.slice(0, 300), ...this.since.slice(0, this.linesPerFailure)]);
      }
      this.since = [];
    } else if (this.since.length < 200 && isTelling(line)) {
      this.since.push(`    ${line.trim().slice(0, 300)}`);
    }
  }
}

/** Not blank, not a source frame ("12 | code"), not a stack line, not a caret line. */
function isTelling(line: string): boolean {
  const t = line.trim();
  return t !== "" && !/^\d+ \|/.test(t) && !t.startsWith("at ") && !/^\^+$/.test(t) && !/^[-+]?\s*\|/.test(t);
}
