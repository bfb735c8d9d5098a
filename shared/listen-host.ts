/** The address every daemon's HTTP port listens on (the route, the metrics ports, the web view, the alerter). */
import { type Env, textSetting } from "./settings.ts";

export const LISTEN_HOST = textSetting(
  "OFERTAS_HOST",
  "127.0.0.1",
  "address every daemon's HTTP port listens on (the route, the metrics ports, the web view, the alerter); `0.0.0.0` in containers",
);

/** OFERTAS_HOST, read as every setting is (empty counts as unset). */
export const listenHost = (env: Env): string => LISTEN_HOST.read(env);
