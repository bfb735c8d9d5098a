/**
 * The e-mail channel's real entry, `edge/cli.ts alerts test <channel>` as a child process, against
 * an SMTP server that offers no STARTTLS on an address of this machine that is not loopback (a
 * private one, allowed): TLS is required there, so the server gets neither the password nor the
 * mail, and the command fails saying why. On loopback in development the same server is allowed
 * (plain SMTP to a local relay), which the alerter's end-to-end test uses.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { networkInterfaces } from "node:os";
import process from "node:process";
import { SMTPServer } from "smtp-server";
import { addressKind } from "./channels/ip-address.ts";

const REPO = new URL("..", import.meta.url).pathname;
const PASSWORD = "never-in-clear-0123";

/** An address of this machine that is neither loopback nor reserved. */
const outside = Object.values(networkInterfaces()).flat()
  .find((i) => i && !i.internal && !i.address.startsWith("fe80") && addressKind(i.address) !== "reserved")?.address;

const seen = { logins: [] as string[], mails: 0, bytes: "" };
let smtp: SMTPServer;
let port = 0;

before(async () => {
  if (!outside) return;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onAuth: (auth, _session, callback) => {
      seen.logins.push(`${auth.username}:${auth.password}`);
      callback(null, { user: auth.username });
    },
    onData: (stream, _session, callback) => {
      seen.mails++;
      stream.resume().on("end", () => callback());
    },
  });
  smtp.on("error", () => {});
  // every byte a client sends, to look for the password in any encoding
  smtp.server.on("connection", (socket: NodeJS.EventEmitter) => {
    socket.on("data", (chunk: Buffer) => (seen.bytes += chunk.toString("latin1")));
  });
  await new Promise<void>((resolve) => smtp.listen(0, outside, () => resolve()));
  port = (smtp.server.address() as { port: number }).port;
});

after(async () => {
  if (smtp) await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

function alertsTest(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(process.execPath, ["run", "edge/cli.ts", "alerts", "test", "mail"], {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

test("an SMTP server without STARTTLS gets no password", { skip: !outside, timeout: 60_000 }, async () => {
  const host = outside!.includes(":") ? `[${outside}]` : outside!;
  const result = await alertsTest({
    OFERTAS_ALERT_CHANNELS: JSON.stringify({
      mail: `mailto://me:\${SMTP_PASSWORD}@${host}:${port}?to=deals@example.com&from=ofertas@example.com`,
    }),
    SMTP_PASSWORD: PASSWORD,
    OFERTAS_ALERT_ALLOW_PRIVATE: "true",
    OFERTAS_ALERT_ALLOW_LOOPBACK: "false",
  });
  assert.equal(result.code, 1, result.output);
  assert.match(result.output, /mail \(mailto:\/\/\*\*\*:\*\*\*@.*\): failed: .*STARTTLS/, result.output);
  assert.ok(!result.output.includes(PASSWORD), "the password is not printed");
  assert.deepEqual(seen.logins, [], "no AUTH reached the server");
  assert.equal(seen.mails, 0, "no mail was sent in clear");
  const encodings = [
    PASSWORD,
    Buffer.from(PASSWORD).toString("base64"),
    Buffer.from(`\0me\0${PASSWORD}`).toString("base64"),
  ];
  for (const e of encodings) assert.ok(!seen.bytes.includes(e), `the password went out as ${e}`);
  assert.match(seen.bytes, /STARTTLS/i, "the client asked for TLS, and stopped when it was refused");
});
