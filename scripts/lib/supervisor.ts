/**
 * Runs the local processes of `npm start` and `npm run demo`: one-shot commands, daemons that
 * stop the whole group when one of them exits, and one shutdown on Ctrl-C for all of them
 * (Kafka too, unless OFERTAS_KEEP_KAFKA=1).
 */
import process from "node:process";

export const REPO = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

export function say(message: string) {
  console.log(`[ofertas] ${message}`);
}

export class Supervisor {
  readonly env: Record<string, string> = { ...(process.env as Record<string, string>) };
  private readonly children: Array<{ name: string; proc: ReturnType<typeof Bun.spawn> }> = [];
  private stopping = false;

  constructor() {
    process.on("SIGINT", () => void this.shutdown(0));
    process.on("SIGTERM", () => void this.shutdown(0));
  }

  async run(cmd: string[], extraEnv: Record<string, string> = {}): Promise<string> {
    const proc = Bun.spawn(cmd, { cwd: REPO, env: { ...this.env, ...extraEnv }, stdio: ["ignore", "pipe", "inherit"] });
    const out = await new Response(proc.stdout).text();
    if ((await proc.exited) !== 0) throw new Error(`${cmd.join(" ")} failed`);
    return out;
  }

  daemon(name: string, cmd: string[], extraEnv: Record<string, string> = {}) {
    const proc = Bun.spawn(cmd, {
      cwd: REPO,
      env: { ...this.env, ...extraEnv },
      stdio: ["ignore", "inherit", "inherit"],
    });
    this.children.push({ name, proc });
    void proc.exited.then((code) => {
      if (!this.stopping) {
        say(`${name} exited with ${code}; stopping everything`);
        void this.shutdown(1);
      }
    });
    return proc;
  }

  async waitHttp(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(url)).ok) return;
      } catch {
        // not up yet
      }
      await Bun.sleep(200);
    }
    throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
  }

  /** Starts the local cluster (idempotent) and points every child at it. */
  async startKafka(): Promise<void> {
    const out = await this.run(["bash", "scripts/kafka-local", "start"]);
    process.stdout.write(out);
    this.env.KAFKA_BROKERS = (await this.run(["bash", "scripts/kafka-local", "bootstrap"])).trim();
  }

  async shutdown(code: number): Promise<never> {
    if (this.stopping) return new Promise(() => {}) as Promise<never>;
    this.stopping = true;
    say("stopping…");
    for (const { proc } of [...this.children].reverse()) proc.kill("SIGTERM");
    await Promise.all(this.children.map(({ proc }) => proc.exited));
    if (this.env.OFERTAS_KEEP_KAFKA !== "1") await this.run(["bash", "scripts/kafka-local", "stop"]).catch(() => {});
    process.exit(code);
  }
}
