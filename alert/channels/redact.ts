/**
 * Channel URLs without their secrets, by structure rather than by guessing names: for the
 * alerter's start line, `alerts test` and logs. User info is always hidden. Discord and Telegram
 * URLs are secret from end to end (`discord://***`). For webhooks and ntfy everything after the
 * host is a secret (a Slack or Zapier hook's path is its password, an ntfy.sh topic is one too):
 * `jsons://hooks.slack.com/***`, with only the parameters ofertas declares as not secret shown
 * (digest, ntfy's priority, e-mail's to and from). A parameter whose name says sig, auth, token,
 * secret, pass or key is hidden on every scheme. `scrubSecrets` takes a channel's secrets out of
 * any text (a reply that quotes them back, an error).
 */

/** Schemes whose whole URL is a secret (ids and tokens in the host and the path). */
const OPAQUE = new Set(["discord:", "tgram:"]);

/** Per scheme, the parameters shown as they are; any other parameter's value is hidden. */
const SHOWN: Record<string, readonly string[]> = {
  "json:": ["digest"],
  "jsons:": ["digest"],
  "ntfy:": ["digest", "priority"],
  "ntfys:": ["digest", "priority"],
  "mailto:": ["digest", "to", "from", "insecure"],
  "mailtos:": ["digest", "to", "from", "insecure"],
};

const SECRET_NAME = /sig|auth|token|secret|pass|key/i;

const shownValue = (value: string) =>
  encodeURIComponent(value).replace(/%40/g, "@").replace(/%2C/gi, ",").slice(0, 200);

/** The URL as it may be shown: scheme, host, and what is declared not secret. */
export function redact(url: URL): string {
  const shown = SHOWN[url.protocol];
  if (OPAQUE.has(url.protocol) || !shown) return `${url.protocol}//***`;
  const userinfo = url.username || url.password ? `***${url.password ? ":***" : ""}@` : "";
  const path = url.pathname && url.pathname !== "/" ? "/***" : "";
  const params = [...url.searchParams].map(([key, value]) =>
    `${shownValue(key)}=${!SECRET_NAME.test(key) && shown.includes(key) ? shownValue(value) : "***"}`
  );
  return `${url.protocol}//${userinfo}${url.host}${path}${params.length ? `?${params.join("&")}` : ""}`;
}

/** Everything in a channel URL that `redact` hides: what must never appear in a shown text. */
export function secretsOf(url: URL): string[] {
  const shown = SHOWN[url.protocol] ?? [];
  const secrets = [
    url.username,
    url.password,
    ...(OPAQUE.has(url.protocol) ? [url.hostname] : []),
    ...url.pathname.split("/"),
    ...[...url.searchParams].filter(([key]) => SECRET_NAME.test(key) || !shown.includes(key)).map(([, v]) => v),
  ];
  return [...new Set(secrets.flatMap((s) => [s, safeDecode(s)]))].filter((s) => s.length >= 4);
}

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The text with every secret (as written, and URL-encoded) replaced by ***. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  // longest first: a secret that contains another is hidden whole
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.replaceAll(form, "***");
  }
  return out;
}
