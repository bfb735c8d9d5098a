/**
 * The keys `npm start` gives the web view and the alerter when the environment has none: made
 * once and kept in `.ofertas/keys.json` (mode 0600, never committed), so people's channels sealed
 * yesterday still open today and yesterday's mute links still work. In the cloud the keys come
 * from Secret Manager (terraform/secrets.tf) instead.
 */
import { Buffer } from "node:buffer";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface LocalKeys {
  OFERTAS_SECRETS_KEY: string;
  OFERTAS_LINK_KEY: string;
}

const random = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64");

export function localKeys(path: string): LocalKeys {
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as LocalKeys;
  const keys = { OFERTAS_SECRETS_KEY: random(32), OFERTAS_LINK_KEY: random(36) };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}
