import { expect, test } from "bun:test";
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
  expect(await runUsersCli(["add", "ana@example.com"], a.io)).toBe(0);
  const token = /\/invite\/([A-Za-z0-9_-]{43}) /.exec(a.out[0]!)?.[1];
  expect(a.out[0]).toContain("https://ofertas.example/invite/");
  const store = new AccountStore(log.reader(), "ofertas.accounts", { sessionDays: 1 });
  await store.start();
  expect((await store.openInvite(token!))?.role).toBe("admin");
});

test("users add --password-stdin makes the account; a bad command is a usage error", async () => {
  const log = new MemoryKeyedLog();
  const a = io(log, "a long enough password\n");
  expect(await runUsersCli(["add", "bob@example.com", "--role", "member", "--password-stdin"], a.io)).toBe(0);
  const list = io(log);
  expect(await runUsersCli(["list"], list.io)).toBe(0);
  expect(list.out[0]).toMatch(/^bob@example.com\tmember\t/);
  expect(await runUsersCli(["remove", "x"], io(log).io)).toBe(2);
  const short = io(log, "short\n");
  expect(await runUsersCli(["add", "carla@example.com", "--password-stdin"], short.io)).toBe(1);
  expect(short.err[0]).toContain("at least");
}, 15_000);
