/**
 * Settings from the environment, declared as data. Each component declares its variables once
 * (name, default, bounds, one line of meaning) in a `settingsGroup`; the same declaration reads
 * them with an error that names the variable, and renders docs/configuration.md
 * (`bun run scripts/gen-config-docs.ts`). A test fails when code reads a variable that no
 * group declares.
 */
import { formatDuration, parseDuration } from "./duration.ts";

export type Env = Record<string, string | undefined>;

export interface Setting<T> {
  readonly name: string;
  /** What the reference shows as the default ("—" for none). */
  readonly defaultText: string;
  readonly doc: string;
  read(env: Env): T;
}

/** A bad value: the message names the variable and what it takes. */
export class SettingError extends Error {
  constructor(readonly variable: string, message: string) {
    super(message.startsWith(":") ? `${variable}${message}` : `${variable} ${message}`);
    this.name = "SettingError";
  }
}

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

export function intSetting(
  name: string,
  fallback: number,
  bounds: { min: number; max: number },
  doc: string,
): Setting<number> {
  return {
    name,
    defaultText: String(fallback),
    doc,
    read(env) {
      const value = raw(env, name);
      if (value === undefined) return fallback;
      const n = Number(value);
      if (!Number.isInteger(n) || n < bounds.min || n > bounds.max) {
        throw new SettingError(name, `must be an integer from ${bounds.min} to ${bounds.max}, got "${value}"`);
      }
      return n;
    },
  };
}

/** An integer that is absent unless set. */
export function optionalIntSetting(
  name: string,
  bounds: { min: number; max: number },
  doc: string,
): Setting<number | null> {
  const inner = intSetting(name, 0, bounds, doc);
  return { name, defaultText: "—", doc, read: (env) => (raw(env, name) === undefined ? null : inner.read(env)) };
}

export function boolSetting(name: string, fallback: boolean, doc: string): Setting<boolean> {
  return {
    name,
    defaultText: String(fallback),
    doc,
    read(env) {
      const value = raw(env, name);
      if (value === undefined) return fallback;
      if (value !== "true" && value !== "false") throw new SettingError(name, `must be true or false, got "${value}"`);
      return value === "true";
    },
  };
}

export function textSetting(
  name: string,
  fallback: string,
  doc: string,
  check?: (value: string) => string | null,
): Setting<string> {
  return {
    name,
    defaultText: fallback === "" ? "—" : `\`${fallback}\``,
    doc,
    read(env) {
      const value = raw(env, name) ?? fallback;
      const problem = value === "" || !check ? null : check(value);
      if (problem) throw new SettingError(name, problem);
      return value;
    },
  };
}

/** Text that is absent (null) unless set. */
export function optionalTextSetting(
  name: string,
  doc: string,
  check?: (value: string) => string | null,
): Setting<string | null> {
  const inner = textSetting(name, "", doc, check);
  return { name, defaultText: "—", doc, read: (env) => (raw(env, name) === undefined ? null : inner.read(env)) };
}

export function choiceSetting<C extends string>(
  name: string,
  choices: readonly C[],
  fallback: C,
  doc: string,
): Setting<C> {
  return {
    name,
    defaultText: `\`${fallback}\``,
    doc: `${doc} (${choices.map((c) => `\`${c}\``).join(", ")})`,
    read(env) {
      const value = raw(env, name) ?? fallback;
      if (!(choices as readonly string[]).includes(value)) {
        throw new SettingError(name, `must be one of ${choices.join(", ")}, got "${value}"`);
      }
      return value as C;
    },
  };
}

/** A duration like `30s`, `15m`, `1h` (shared/duration.ts), read as milliseconds. */
export function durationSetting(
  name: string,
  fallback: string,
  bounds: { minMs: number; maxMs: number },
  doc: string,
): Setting<number> {
  const fallbackMs = parseDuration(fallback);
  if (fallbackMs === null) throw new Error(`${name}: default ${fallback} is not a duration`);
  return {
    name,
    defaultText: `\`${fallback}\``,
    doc,
    read(env) {
      const value = raw(env, name);
      if (value === undefined) return fallbackMs;
      const ms = parseDuration(value);
      if (ms === null || ms < bounds.minMs || ms > bounds.maxMs) {
        throw new SettingError(
          name,
          `must be a duration from ${formatDuration(bounds.minMs)} to ${
            formatDuration(bounds.maxMs)
          } like 30s, 15m or 1h, got "${value}"`,
        );
      }
      return ms;
    },
  };
}

/** A duration that is absent (null) unless set. */
export function optionalDurationSetting(
  name: string,
  bounds: { minMs: number; maxMs: number },
  doc: string,
): Setting<number | null> {
  const inner = durationSetting(name, "1s", bounds, doc);
  return { name, defaultText: "—", doc, read: (env) => (raw(env, name) === undefined ? null : inner.read(env)) };
}

/** A comma-separated list; each item checked. */
export function listSetting(
  name: string,
  fallback: readonly string[],
  doc: string,
  check?: (item: string) => string | null,
): Setting<string[]> {
  return {
    name,
    defaultText: `\`${fallback.join(",")}\``,
    doc,
    read(env) {
      const value = raw(env, name);
      const items = value === undefined ? [...fallback] : value.split(",").map((s) => s.trim()).filter(Boolean);
      if (items.length === 0) throw new SettingError(name, "must name at least one item");
      for (const item of items) {
        const problem = check?.(item);
        if (problem) throw new SettingError(name, problem);
      }
      return items;
    },
  };
}

/** A variable another program reads (a script, a test harness): documented, never read here. */
export function documentedOnly(name: string, defaultText: string, doc: string): Setting<string | undefined> {
  return { name, defaultText, doc, read: (env) => raw(env, name) };
}

type Values<S extends Record<string, Setting<unknown>>> = { [K in keyof S]: ReturnType<S[K]["read"]> };

export interface SettingsGroup<S extends Record<string, Setting<unknown>>> {
  readonly title: string;
  readonly summary: string;
  readonly settings: S;
  read(env: Env): Values<S>;
}

export function settingsGroup<S extends Record<string, Setting<unknown>>>(
  title: string,
  summary: string,
  settings: S,
): SettingsGroup<S> {
  return {
    title,
    summary,
    settings,
    read(env) {
      return Object.fromEntries(Object.entries(settings).map(([key, s]) => [key, s.read(env)])) as Values<S>;
    },
  };
}

// deno-lint-ignore no-explicit-any
export type AnySettingsGroup = SettingsGroup<Record<string, Setting<any>>>;

/** The reference page: one table per group, in the order given. */
export function renderReference(groups: readonly AnySettingsGroup[]): string {
  const lines = [
    "# Configuration reference",
    "",
    "<!-- generated by `bun run scripts/gen-config-docs.ts` from the settings declarations; do not edit -->",
    "",
    "Every process reads its settings from the environment. A bad value stops the process at start",
    "with a message that names the variable. An empty value counts as unset.",
  ];
  for (const group of groups) {
    lines.push("", `## ${group.title}`, "", group.summary, "", "| variable | default | meaning |", "|---|---|---|");
    for (const s of Object.values(group.settings)) lines.push(`| \`${s.name}\` | ${s.defaultText} | ${s.doc} |`);
  }
  return `${lines.join("\n")}\n`;
}
