/**
 * `npm run alerts -- test <channel>`: `edge/cli.ts alerts test` with the settings `npm start`
 * gives its alerter (scripts/lib/local-alerter.ts), so a channel is judged by the policy that
 * alerter delivers with. Exits as the command does.
 */
import process from "node:process";
import { runAlertCli } from "../alert/alert-cli.ts";
import { localAlerterEnv } from "./lib/local-alerter.ts";

export function runLocalAlerts(args: string[], env: Record<string, string | undefined>) {
  return runAlertCli(args, {
    stdout: (line) => console.log(line),
    stderr: (line) => console.error(line),
    env: { ...env, ...localAlerterEnv(env) },
  });
}

if (import.meta.main) process.exit(await runLocalAlerts(process.argv.slice(2), process.env));
