/**
 * Test-only crash points. With OFERTAS_FAULT_POINT=<name>, the process SIGKILLs itself the
 * first time it reaches that point, so the fault tests can crash a real consumer at exactly
 * the worst moments (after staging, after the load and before the commit; the alerter after it
 * wrote a load's alerts and before their episodes, after the episodes and before the load's
 * commit, and after a channel took a message and before its delivery was recorded). Unset in
 * normal runs. Shared: the consumer and the alerter both stop at these points.
 */
import process from "node:process";
import { log } from "./log.ts";

export type FaultPoint = "after_stage" | "after_load" | "after_send" | "after_alerts" | "after_states";

export function faultPoint(name: FaultPoint): void {
  if (process.env.OFERTAS_FAULT_POINT !== name) return;
  log("warn", "fault_point", { name, action: "SIGKILL" });
  process.kill(process.pid, "SIGKILL");
}
