/**
 * The one definition of where a limited live migration stands (procedures.md §6 step 6, cluster-behaviour.md
 * §2.3): `execute` waits for it, `status` reports it, `rollback` and `cleanup` gate on it.
 */
import type { KubeObject } from "../kube/types.ts";
import { findCondition } from "./conditions.ts";
import { COND } from "./names.ts";

/**
 * Complete: spec and status on the target, InProgress False with reason NetworkTypeMigrationCompleted and the other
 * four conditions back to Unknown. CNO resets all five in one status write, so anything less is still under way.
 */
export function liveMigrationComplete(nc: KubeObject | undefined, target: string): boolean {
  if (!nc || nc.status?.networkType !== target || nc.spec?.networkType !== target) return false;
  const ip = findCondition(nc, COND.inProgress);
  if (ip?.status !== "False" || ip.reason !== "NetworkTypeMigrationCompleted") return false;
  return [COND.mtuReady, COND.targetAvailable, COND.targetInUse, COND.purged].every((t) =>
    findCondition(nc, t)?.status === "Unknown"
  );
}

/** CNO has accepted the migration and not finished it. */
export const liveMigrationInProgress = (nc: KubeObject | undefined): boolean =>
  findCondition(nc, COND.inProgress)?.status === "True";
