/**
 * What `npm start` gives its alerter unless the environment says otherwise. `npm run alerts`
 * (scripts/alerts.ts) runs `alerts test` with the same, so a channel is judged by the policy the
 * running alerter delivers with (a loopback webhook is allowed by both, or by neither).
 */
export function localAlerterEnv(env: Record<string, string | undefined>): Record<string, string> {
  return {
    OFERTAS_ALERTER_PORT: env.OFERTAS_ALERTER_PORT ?? "9465",
    OFERTAS_ALERT_ALLOW_LOOPBACK: env.OFERTAS_ALERT_ALLOW_LOOPBACK ?? "true",
  };
}
