/**
 * Test-only crash points. With OFERTAS_FAULT_POINT=<name>, the process SIGKILLs itself the
 * first time it reaches that point, so the fault tests can crash a real consumer at exactly
 * the worst moments (after staging, after the load and before the commit). Unset in normal runs.
 */
import process from "node:process";
import { log } from "../shared/log.ts";

export type FaultPoint = "after_stage" | "after_load";

export function faultPoint(name: FaultPoint): void {
  if (process.env.OFERTAS_FAULT_POINT !== name) return;
  log("warn", "fault_point", { name, action: "SIGKILL" });
  process.kill(process.pid, "SIGKILL");
}
