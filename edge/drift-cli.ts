/**
 * `edge/cli.ts drift list` prints each site and view's drifts under way (one JSON line each);
 * `edge/cli.ts drift reset <site>/<view>` forgets a site and view's baseline and drifts, once an
 * operator has fixed the scraper or accepted the pages as they now are (the route relearns the
 * baseline from the next pages). Both read the drift topic the route keeps.
 */
import { KAFKA_SETTINGS, kafkaConfigFromEnv } from "../shared/kafka.ts";
import { KafkaKeyedLog, type KeyedLog } from "../shared/keyed-log.ts";
import type { Env } from "../shared/settings.ts";
import { type DriftSnapshot, parseDriftSnapshot } from "../shared/drift-snapshot.ts";

export interface DriftCliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  env: Env;
  /** The topic's log (tests pass an in-memory one). */
  log?: KeyedLog;
}

/** A CLI waits this long for Kafka, then says so (the route's own reading keeps trying). */
const KAFKA_WAIT_MS = 30_000;
const USAGE = "usage: edge/cli.ts drift list | drift reset <site>/<view>   (e.g. drift reset MLB/all)";

export async function runDriftCli(args: string[], io: DriftCliIo): Promise<number> {
  const [command, key] = args;
  if (command !== "list" && !(command === "reset" && key && /^[A-Z]{3}\/[a-z_]{1,40}$/.test(key))) {
    io.stderr(USAGE);
    return 2;
  }
  const topic = KAFKA_SETTINGS.settings.scraperDriftTopic.read(io.env);
  const log = io.log ?? new KafkaKeyedLog(kafkaConfigFromEnv(io.env, "ofertas-cli"), [topic], "drift-cli");
  const snapshots = new Map<string, DriftSnapshot>();
  try {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Kafka did not answer in ${KAFKA_WAIT_MS / 1000} s`)), KAFKA_WAIT_MS);
    });
    await Promise.race([
      log.start((record) => {
        const snapshot = parseDriftSnapshot(record.value);
        if (snapshot) snapshots.set(record.key, snapshot);
        else snapshots.delete(record.key);
      }),
      timeout,
    ]).finally(() => clearTimeout(timer));
    if (command === "list") {
      for (const s of snapshots.values()) {
        io.stdout(
          JSON.stringify({ site: s.site, view: s.view, baseline_pages: s.baseline.length, drifting: s.drifting }),
        );
      }
      return 0;
    }
    if (!snapshots.has(key!)) {
      io.stderr(`nothing kept for ${key}: ${[...snapshots.keys()].join(", ") || "no site and view yet"}`);
      return 1;
    }
    const before = snapshots.get(key!)!.drifting.map((d) => d.field);
    await log.append(topic, key!, null);
    io.stdout(JSON.stringify({ reset: key, drifting_before: before }));
    return 0;
  } catch (error) {
    io.stderr(`drift ${command}: ${(error as Error).message}`);
    return 1;
  } finally {
    await log.close();
  }
}
