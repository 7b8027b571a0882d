/**
 * The live-migration conditions on network.config status (cluster-behaviour.md §2.3): initialise, reset
 * (completion) and the per-reconcile sync from MachineConfigPools, rendered MachineConfigs and DaemonSets.
 */
import type { Obj, Store } from "../../store.ts";
import { mtuMigrationApplied, targetCNIApplied } from "./mc_match.ts";
import { cniNamespace, COND, CONDITION_ORDER, K, OVN, SDN } from "./names.ts";
import { daemonSetReady } from "./rollout.ts";
import { type Condition, findCondition, setCondition } from "./util.ts";

type Status = Condition["status"];
const c = (type: string, status: Status, reason: string, message: string): Condition => ({
  type,
  status,
  reason,
  message,
});

export function initConditions(conds: Condition[] | undefined, now: string): Condition[] {
  let out = conds ?? [];
  for (const type of CONDITION_ORDER) {
    out = setCondition(
      out,
      type === COND.inProgress
        ? c(type, "True", "NetworkTypeMigrationStarted", "Network type migration is started")
        : c(
          type,
          "False",
          "NetworkTypeMigrationInitialized",
          "network operator initialize network type migration status",
        ),
      now,
    );
  }
  return out;
}

export function resetConditions(conds: Condition[] | undefined, now: string): Condition[] {
  let out = conds ?? [];
  for (const type of CONDITION_ORDER) {
    out = setCondition(
      out,
      type === COND.inProgress
        ? c(type, "False", "NetworkTypeMigrationCompleted", "Network type migration is completed")
        : c(type, "Unknown", "NetworkTypeMigrationNotInProgress", "Network type migration is not in progress"),
      now,
    );
  }
  return out;
}

const poolCondTrue = (p: Obj, type: string) => findCondition(p.status?.conditions, type)?.status === "True";

/** MTUReady / TargetCNIInUse from the pools (`ensureMachineConfigPools` + the match functions). */
function machineConfigCondition(store: Store, type: string, match: (mc: Obj | undefined) => boolean): Condition {
  const pools = store.all(K.mcp).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const degraded = pools.find((p) => poolCondTrue(p, "Degraded"));
  if (degraded) {
    return c(type, "False", "MachineConfigPoolDegraded", `MachineConfig Pool ${degraded.metadata.name} is degraded`);
  }
  const updating = pools.find((p) => poolCondTrue(p, "Updating"));
  if (updating) {
    return c(type, "False", "MachineConfigPoolsUpdating", `MachineConfigPools ${updating.metadata.name} is updating`);
  }
  const applied = pools.every((p) => {
    const name = p.status?.configuration?.name;
    return !!name && match(store.get(K.machineConfig, undefined, name));
  });
  return applied
    ? c(type, "True", "MachineConfigApplied", "The desired MachineConfig is applied to cluster")
    : c(type, "False", "MachineConfigNotApplied", "The desired MachineConfig is not applied to cluster");
}

export function poolsStable(store: Store): boolean {
  return !store.all(K.mcp).some((p) => poolCondTrue(p, "Updating") || poolCondTrue(p, "Degraded"));
}

/** `isMigrationCNIReady`: both CNI namespaces while a migration is configured, else the target's only. */
function targetAvailable(store: Store, target: string, migrationSet: boolean): Condition {
  const type = COND.targetAvailable;
  const targetNs = cniNamespace(target) ?? "";
  const namespaces = migrationSet ? [cniNamespace(OVN)!, cniNamespace(SDN)!] : [targetNs];
  if (!store.all(K.daemonSet, targetNs).length) {
    return c(type, "False", "TargetCNINotDeployed", `No daemonSet running in the namespace ${targetNs}`);
  }
  for (const ns of namespaces) {
    for (const ds of store.all(K.daemonSet, ns).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
      if (!daemonSetReady(ds)) {
        return c(type, "False", "TargetCNINotReady", `DaemonSet ${ds.metadata.name} is not ready`);
      }
    }
  }
  return c(type, "True", "TargetCNIDeployed", `${target} is deployed`);
}

function originalPurged(store: Store, target: string): Condition {
  const type = COND.purged;
  const ns = cniNamespace(target === OVN ? SDN : OVN)!;
  if (store.all(K.daemonSet, ns).length) {
    return c(type, "False", "OriginalCNINotPurged", "The original CNI plugin is running in the cluster");
  }
  return c(type, "True", "OriginalCNIPurged", `No daemonSet running in the namespace ${ns}`);
}

/**
 * `syncNetworkTypeMigrationConditions`: TargetCNIInUse then MTUReady always; TargetCNIAvailable and
 * OriginalCNIPurged only with stable pools; all three done → reset in the same write.
 */
export function syncConditions(
  store: Store,
  conds: Condition[] | undefined,
  target: string,
  migrationSet: boolean,
  now: string,
): Condition[] {
  let out = setCondition(
    conds,
    machineConfigCondition(store, COND.targetInUse, (mc) => targetCNIApplied(mc, target)),
    now,
  );
  out = setCondition(out, machineConfigCondition(store, COND.mtuReady, mtuMigrationApplied), now);
  if (!poolsStable(store)) return out;
  out = setCondition(out, targetAvailable(store, target, migrationSet), now);
  out = setCondition(out, originalPurged(store, target), now);
  const done = [COND.purged, COND.targetInUse, COND.targetAvailable].every((t) =>
    findCondition(out, t)?.status === "True"
  );
  return done ? resetConditions(out, now) : out;
}
