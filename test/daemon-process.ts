/** A daemon's real entry (`bun run <file>`) as a child process, for integration tests. */
import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";

const REPO = new URL("..", import.meta.url).pathname;

export interface DaemonProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (unless it already ended), resolves with how it ended. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startDaemon(entry: string, env: Record<string, string>): DaemonProcess {
  let output = "";
  const child = spawn(process.execPath, ["run", entry], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal }))
  );
  return {
    child,
    output: () => output,
    exited,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
