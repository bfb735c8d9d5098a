/**
 * A child process as an rpc.ts port: one JSON object per line on its stdin, one answer line on
 * its stdout. `childPort(script)` starts `<this runtime> run <script>` on the caller's side;
 * `answerInChild(handler)` runs inside the script. A child never outlives its parent: it ends at
 * once when its stdin closes (the parent ended it, or died) or when it is orphaned (the parent was
 * killed; checked every quarter second), so whoever supervises the parent stops both with one PID.
 */
import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import { createInterface } from "node:readline";
import { answer, type Port } from "./rpc.ts";
import { exitWhenOrphaned } from "./orphan-watch.ts";

export function childPort(script: string): Port {
  const child: ChildProcess = spawn(process.execPath, ["run", script], { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin!.on("error", () => {}); // a dead child's pipe: reported by "exit"
  return {
    post: (message) => void child.stdin!.write(`${JSON.stringify(message)}\n`),
    listen(onMessage, onEnd) {
      createInterface({ input: child.stdout!, crlfDelay: Infinity }).on("line", (line) => {
        try {
          onMessage(JSON.parse(line));
        } catch {
          // a line that is not an answer (a stray print) is not one: the request stays waiting
        }
      });
      let ended = false;
      const end = (why: string) => {
        if (!ended) onEnd(why);
        ended = true;
      };
      child.on("error", (error) => end(error.message));
      child.on("exit", (code, signal) => end(signal ?? `exit ${code}`));
    },
    close(now) {
      if (now) child.kill("SIGKILL");
      else child.stdin!.end(); // it answers what it was given, then ends with its stdin
    },
  };
}

/** Inside the child: answers each request line; ends with its stdin, or when orphaned. */
export function answerInChild<Request>(handler: (request: Request) => unknown | Promise<unknown>): void {
  exitWhenOrphaned();
  const answering = answer<Request>(
    (onMessage) => {
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      lines.on("line", (line) => {
        if (line.trim() !== "") onMessage(JSON.parse(line));
      });
      // the parent closed stdin: answer what was asked (a graceful close), then end
      lines.on("close", () => void answering.drained().finally(() => process.exit(0)));
    },
    (message) => void process.stdout.write(`${JSON.stringify(message)}\n`),
    handler,
  );
}
