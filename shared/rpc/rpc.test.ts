/**
 * The rpc helper with a real Web Worker and real child processes: answers matched to requests,
 * errors as errors, time limits that stop the other side, crashes that fail only what was under
 * way, and children that never outlive their parent.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import process from "node:process";
import { childPort } from "./child-port.ts";
import { Rpc, RpcEnded, RpcTimeout } from "./rpc.ts";
import { workerPort } from "./worker-port.ts";

const WORKER = new URL("./fixtures/echo-worker.ts", import.meta.url);
const CHILD = new URL("./fixtures/echo-child.ts", import.meta.url).pathname;
// children are started as `<runtime> run <script>`: Bun's form
const bunOnly = "Bun" in globalThis ? false : "child processes are started with Bun's `run`";

// deno-lint-ignore no-explicit-any
const worker = () => new Rpc<any, any>(() => workerPort(WORKER));
// deno-lint-ignore no-explicit-any
const child = () => new Rpc<any, any>(() => childPort(CHILD));

test("rpc worker: answers match requests, many in flight; an error comes back with its name", async () => {
  const rpc = worker();
  try {
    const answers = await Promise.all([1, 2, 3].map((value) => rpc.call({ op: "echo", value })));
    assert.deepEqual(answers, [1, 2, 3]);
    await assert.rejects(
      rpc.call({ op: "fail" }),
      (e: Error) => e.name === "RangeError" && /asked to fail/.test(e.message),
    );
    assert.equal(await rpc.call({ op: "echo", value: "still up" }), "still up");
    const buffer = new ArrayBuffer(1024);
    assert.equal(await rpc.call({ op: "bytes", buffer }, { transfer: [buffer] }), 1024);
    assert.equal(buffer.byteLength, 0, "the buffer was moved, not copied");
  } finally {
    rpc.close(true);
  }
});

test("rpc worker: a request past its time limit stops the worker; the next request gets a new one", async () => {
  const rpc = worker();
  try {
    const slow = rpc.call({ op: "sleep", ms: 5_000 }, { timeoutMs: 100 });
    const queued = rpc.call({ op: "echo", value: "behind it" });
    await assert.rejects(slow, RpcTimeout);
    await assert.rejects(queued, RpcEnded, "what the stopped worker held fails too");
    assert.equal(rpc.alive, false);
    assert.equal(await rpc.call({ op: "echo", value: "fresh" }), "fresh");
  } finally {
    rpc.close(true);
  }
});

test("rpc worker: a crash fails what was under way, never hangs it", async () => {
  const rpc = worker();
  try {
    await assert.rejects(rpc.call({ op: "crash" }), RpcEnded);
    assert.equal(await rpc.call({ op: "echo", value: 7 }), 7);
  } finally {
    rpc.close(true);
  }
});

test("rpc child: answers, errors, a graceful close answers first, a hard one fails what was under way", {
  skip: bunOnly,
}, async () => {
  const rpc = child();
  assert.equal(await rpc.call({ op: "echo", value: { a: 1 } }).then((v) => v.a), 1);
  await assert.rejects(rpc.call({ op: "fail" }), (e: Error) => e.name === "TypeError");
  const finishing = rpc.call({ op: "sleep", ms: 200 });
  rpc.close();
  assert.equal(await finishing, 200, "a graceful close lets the child answer");
  const hard = child();
  const cut = hard.call({ op: "sleep", ms: 5_000 });
  hard.close(true);
  await assert.rejects(cut, RpcEnded);
});

test("rpc child: a child never outlives its parent, even a parent killed with SIGKILL", { skip: bunOnly }, async () => {
  const parent = spawn(process.execPath, ["run", new URL("./fixtures/orphaning-parent.ts", import.meta.url).pathname], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const childPid = await new Promise<number>((resolve) =>
    parent.stdout!.once("data", (d) => resolve(Number(String(d))))
  );
  // a child that ended but was not reaped yet (a zombie, state Z) has ended
  const alive = (pid: number) => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
      return false;
    }
  };
  assert.ok(alive(childPid));
  parent.kill("SIGKILL");
  const deadline = Date.now() + 1_000;
  while (alive(childPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  assert.equal(alive(childPid), false, "the child ended within a second of its parent");
});
