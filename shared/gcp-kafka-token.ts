/**
 * SASL/OAUTHBEARER tokens for Google Cloud Managed Service for Apache Kafka, from the metadata
 * server of the Cloud Run / GCE instance (the service account the service runs as). The broker
 * expects base64url(header).base64url(claims).base64url(access token), with header
 * {"typ":"JWT","alg":"GOOG_OAUTH2_TOKEN"} and claims {exp, iat, iss:"Google", sub:<email>}.
 * The format is the one Google's own client-auth helpers produce. Tokens are cached until a
 * minute before they expire. Web-standard fetch: runs on Bun and Deno.
 */

export interface MetadataOptions {
  /** host[:port] of the metadata server; GCE_METADATA_HOST like Google's auth libraries. */
  host?: string;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  now?: () => number;
}

const b64url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text))).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );

export function managedKafkaToken(accessToken: string, email: string, expiresAtMs: number, nowMs: number): string {
  const header = JSON.stringify({ typ: "JWT", alg: "GOOG_OAUTH2_TOKEN" });
  const claims = JSON.stringify({
    exp: Math.floor(expiresAtMs / 1000),
    iss: "Google",
    iat: Math.floor(nowMs / 1000),
    sub: email,
  });
  return [b64url(header), b64url(claims), b64url(accessToken)].join(".");
}

export function gcpMetadataTokenProvider(options: MetadataOptions = {}): () => Promise<{ value: string }> {
  const host = options.host ?? "metadata.google.internal";
  const get = options.fetch ?? ((url, init) => fetch(url, init));
  const now = options.now ?? Date.now;
  let cached: { value: string; expiresAt: number } | null = null;

  const read = async (path: string) => {
    const res = await get(`http://${host}/computeMetadata/v1/instance/service-accounts/default/${path}`, {
      headers: { "Metadata-Flavor": "Google" },
    });
    if (!res.ok) throw new Error(`metadata server answered ${res.status} for ${path}`);
    return res;
  };

  return async () => {
    if (cached && now() < cached.expiresAt - 60_000) return { value: cached.value };
    const [tokenRes, emailRes] = await Promise.all([read("token"), read("email")]);
    const token = (await tokenRes.json()) as { access_token: string; expires_in: number };
    const email = (await emailRes.text()).trim();
    const issued = now();
    const expiresAt = issued + token.expires_in * 1000;
    cached = { value: managedKafkaToken(token.access_token, email, expiresAt, issued), expiresAt };
    return { value: cached.value };
  };
}
