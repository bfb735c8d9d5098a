/**
 * `edge/cli.ts users add <login> [--role admin|member] [--password-stdin]` and `users list`:
 * accounts from the command line, on the accounts topic (Kafka, as the web view reads it). By
 * default `add` prints a one-time invitation link (the person chooses their password in the
 * page: no password passes through a terminal or a shell's history); `--password-stdin` reads
 * one line from standard input instead. The first admin is made this way, or by the setup link
 * the web view prints when it starts with no admin.
 */
import { AccountStore } from "../shared/accounts/account-store.ts";
import { ACCOUNTS_SETTINGS } from "../shared/accounts/accounts-settings.ts";
import type { Role } from "../shared/accounts/account-record.ts";
import { KAFKA_SETTINGS, kafkaConfigFromEnv } from "../shared/kafka.ts";
import { KafkaKeyedLog, type KeyedLog } from "../shared/keyed-log.ts";

export const USERS_USAGE = "usage: edge/cli.ts users add <login> [--role admin|member] [--password-stdin] | users list";

export interface UsersCliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  env: Record<string, string | undefined>;
  /** One line of standard input (the password). */
  readLine(): Promise<string>;
  /** The accounts topic's log (tests give an in-memory one). */
  log?: KeyedLog;
}

export async function runUsersCli(args: string[], io: UsersCliIo): Promise<number> {
  const [command, login, ...rest] = args;
  const role: Role = rest.includes("--role") && rest[rest.indexOf("--role") + 1] === "member" ? "member" : "admin";
  const known = new Set(["--role", "admin", "member", "--password-stdin"]);
  if (!(command === "list" && !login) && !(command === "add" && login && rest.every((a) => known.has(a)))) {
    io.stderr(USERS_USAGE);
    return 2;
  }
  const topic = KAFKA_SETTINGS.read(io.env).accountsTopic;
  const log = io.log ??
    new KafkaKeyedLog({ ...kafkaConfigFromEnv(io.env, "ofertas-cli"), retry: { retries: 3 } }, [topic], "cli-users");
  const accounts = new AccountStore(log, topic, { sessionDays: ACCOUNTS_SETTINGS.settings.sessionDays.read(io.env) });
  try {
    await accounts.start();
    if (command === "list") {
      for (const a of accounts.book.allAccounts()) io.stdout(`${a.login}\t${a.role}\t${a.created_at}`);
      return 0;
    }
    if (rest.includes("--password-stdin")) {
      const made = await accounts.createAccount(login!, role, (await io.readLine()).replace(/\r?\n$/, ""));
      if (!made.ok) {
        io.stderr(`${made.field}: ${made.error}`);
        return 1;
      }
      io.stdout(`${made.value.login} (${made.value.role}) created`);
      return 0;
    }
    const invited = await accounts.invite(login!, role, "cli");
    if (!invited.ok) {
      io.stderr(`${invited.field}: ${invited.error}`);
      return 1;
    }
    const base = ACCOUNTS_SETTINGS.settings.publicUrl.read(io.env) ??
      `http://127.0.0.1:${io.env.OFERTAS_WEB_PORT || "8088"}`;
    io.stdout(
      `${login} (${role}): open ${base.replace(/\/$/, "")}/invite/${invited.value} within 7 days to choose a password`,
    );
    return 0;
  } finally {
    await accounts.close();
  }
}
