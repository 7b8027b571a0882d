/**
 * The clusterconfig live-migration state machine (`prepareOperatorConfigForNetworkTypeMigration`,
 * cluster-behaviour.md §2.4, rollback §2.8, MTU §2.6): decides the next network.operator spec from the
 * network.config conditions.
 */
import type { Obj, Store } from "../../store.ts";
import { COND, K, SDN } from "./names.ts";
import { findCondition } from "./util.ts";

/** An error of `processNetworkTypeLiveMigration`; CNO reports it as Degraded NetworkTypeMigrationFailed. */
export class MigrationError extends Error {}

export type LiveStep = "live-step-1" | "live-step-2" | "live-step-3" | "live-step-4";

export interface LiveDecision {
  step?: LiveStep;
  /** The network.operator spec to apply (a modified copy). */
  spec: Obj;
}

/** `calculateRoutableMTU` (§2.6). */
export function routableMTU(store: Store, nc: Obj): Obj {
  const existing = nc.status?.migration?.mtu;
  if (existing) return existing;
  const cm = store.get(K.configMap, "openshift-network-operator", "mtu");
  if (!cm) throw new MigrationError(`configmaps "mtu" not found`);
  const machine = Number.parseInt(cm.data?.mtu ?? "", 10);
  if (!Number.isFinite(machine)) throw new MigrationError("format error");
  const current = nc.status?.clusterNetworkMTU;
  const routable = nc.status?.networkType === SDN ? current - 50 : current;
  return { network: { from: current, to: routable }, machine: { to: machine } };
}

/** Returns the network.operator spec the state machine wants now (unchanged when no step applies). */
export function decideLiveStep(store: Store, nc: Obj, no: Obj): LiveDecision {
  const spec = structuredClone(no.spec ?? {}) as Obj;
  spec.defaultNetwork ??= {};
  const conds = nc.status?.conditions;
  if (findCondition(conds, COND.inProgress)?.status !== "True") return { spec };
  if (!conds) throw new MigrationError("status.Conditions is not initialized");
  const mtuReady = findCondition(conds, COND.mtuReady);
  if (!mtuReady) throw new MigrationError(`condition "${COND.mtuReady}" not found`);
  if (mtuReady.reason === "MachineConfigPoolDegraded") {
    throw new MigrationError("MCP is degraded, network type migration cannot proceed");
  }
  if (mtuReady.reason === "MachineConfigPoolsUpdating") return { spec };
  const target = nc.spec.networkType;
  const isTrue = (t: string) => findCondition(conds, t)?.status === "True";
  if (isTrue(COND.targetInUse) && isTrue(COND.targetAvailable)) {
    delete spec.migration;
    spec.defaultNetwork.type = target;
    return { step: "live-step-4", spec };
  }
  if (mtuReady.status === "True") {
    spec.defaultNetwork.type = target;
    spec.migration = { mode: "Live", networkType: target };
    return { step: "live-step-3", spec };
  }
  if (!isTrue(COND.targetAvailable)) {
    if (nc.status?.migration?.networkType) return { spec };
    spec.migration = { mode: "Live", networkType: target };
    return { step: "live-step-1", spec };
  }
  const mtu = routableMTU(store, nc);
  spec.migration = { mode: "Live", networkType: target, mtu };
  // Rollback to SDN switches the type together with the MTU (§2.8).
  // (From OVN the routable MTU is the current one, so network.from == network.to.)
  if (target === SDN) spec.defaultNetwork.type = target;
  return { step: "live-step-2", spec };
}
