/**
 * Test-only crash points. With OFERTAS_FAULT_POINT=<name>, the process SIGKILLs itself the
 * first time it reaches that point, so the fault tests can crash a real consumer at exactly
 * the worst moments (after staging, after the load and before the commit; the alerter after a
 * channel took a message and before its delivery was recorded). Unset in normal runs.
 */
import process from "node:process";
import { log } from "../shared/log.ts";

export type FaultPoint = "after_stage" | "after_load" | "after_send";

export function faultPoint(name: FaultPoint): void {
  if (process.env.OFERTAS_FAULT_POINT !== name) return;
  log("warn", "fault_point", { name, action: "SIGKILL" });
  process.kill(process.pid, "SIGKILL");
}
