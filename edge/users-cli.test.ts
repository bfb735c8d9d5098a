import { test } from "node:test";
import assert from "node:assert/strict";
import { MemoryKeyedLog } from "../shared/keyed-log.ts";
import { AccountStore } from "../shared/accounts/account-store.ts";
import { runUsersCli } from "./users-cli.ts";

function io(log: MemoryKeyedLog, input = "") {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: (l: string) => out.push(l),
      stderr: (l: string) => err.push(l),
      env: { OFERTAS_PUBLIC_URL: "https://ofertas.example" },
      readLine: () => Promise.resolve(input),
      log: log.reader(),
    },
  };
}

test("users add prints an invitation link for the first admin; the link's token opens the invitation", async () => {
  const log = new MemoryKeyedLog();
  const a = io(log);
  assert.equal(await runUsersCli(["add", "ana@example.com"], a.io), 0);
  const token = /\/invite\/([A-Za-z0-9_-]{43}) /.exec(a.out[0]!)?.[1];
  assert.ok(a.out[0]!.includes("https://ofertas.example/invite/"));
  const store = new AccountStore(log.reader(), "ofertas.accounts", { sessionDays: 1 });
  await store.start();
  assert.equal((await store.openInvite(token!))?.role, "admin");
});

test("users add --password-stdin makes the account; a bad command is a usage error", { timeout: 15_000 }, async () => {
  const log = new MemoryKeyedLog();
  const a = io(log, "a long enough password\n");
  assert.equal(await runUsersCli(["add", "bob@example.com", "--role", "member", "--password-stdin"], a.io), 0);
  const list = io(log);
  assert.equal(await runUsersCli(["list"], list.io), 0);
  assert.match(list.out[0]!, /^bob@example.com\tmember\t/);
  assert.equal(await runUsersCli(["remove", "x"], io(log).io), 2);
  const short = io(log, "short\n");
  assert.equal(await runUsersCli(["add", "carla@example.com", "--password-stdin"], short.io), 1);
  assert.ok(short.err[0]!.includes("at least"));
});
