/**
 * `edge/cli.ts alerts test <channel>`: sends a test message on one channel of
 * OFERTAS_ALERT_CHANNELS (the alerter's own settings) and prints the channel's own answer, or
 * its error. Exits 0 only when the channel took the message: a 404 is a failure, said as a 404.
 */
import { ALERTER_SETTINGS } from "./alerter-config.ts";
import { channelsOf } from "./channels/channels.ts";
import { testMessage } from "./channels/message.ts";

export interface AlertCliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  env: Record<string, string | undefined>;
}

export const ALERTS_USAGE = "usage: edge/cli.ts alerts test <channel>   (channels: OFERTAS_ALERT_CHANNELS)";

export async function runAlertCli(args: string[], io: AlertCliIo): Promise<number> {
  const [command, name, ...rest] = args;
  if (command !== "test" || !name || rest.length) {
    io.stderr(ALERTS_USAGE);
    return 2;
  }
  let channels;
  try {
    const s = ALERTER_SETTINGS.read(io.env);
    channels = channelsOf(s.channels, io.env, {
      allowLoopback: s.allowLoopback,
      allowPrivate: s.allowPrivate,
      discordApi: s.discordApi ?? undefined,
      telegramApi: s.telegramApi ?? undefined,
    });
  } catch (error) {
    io.stderr((error as Error).message);
    return 2;
  }
  const channel = channels.get(name);
  if (!channel) {
    io.stderr(`no channel ${name} in OFERTAS_ALERT_CHANNELS (known: ${[...channels.keys()].join(", ") || "none"})`);
    return 2;
  }
  try {
    const answer = await channel.send(testMessage(), `test-${crypto.randomUUID()}`);
    (answer.ok ? io.stdout : io.stderr)(
      `${channel.name} (${channel.redacted}): ${answer.ok ? "sent" : "failed"}: ${answer.detail}`,
    );
    return answer.ok ? 0 : 1;
  } catch (error) {
    io.stderr(`${channel.name} (${channel.redacted}): failed: ${(error as Error).message}`);
    return 1;
  } finally {
    channel.close?.();
  }
}
