/** ClusterOperator `machine-config` conditions from the MachineConfigPools (cluster-behaviour.md §5). */
import type { Obj } from "../../store.ts";
import { type Condition, findCondition, setCondition } from "../cno/util.ts";

const isTrue = (p: Obj, type: string) => findCondition(p.status?.conditions, type)?.status === "True";

export function machineConfigConditions(
  pools: Obj[],
  conds: Condition[] | undefined,
  version: string,
  now: string,
): Condition[] {
  const degraded = pools.filter((p) => isTrue(p, "Degraded"));
  const updating = pools.filter((p) => isTrue(p, "Updating"));
  const master = degraded.find((p) => p.metadata.name === "master");
  let out = setCondition(conds, {
    type: "Available",
    status: "True",
    reason: "AsExpected",
    message: `Cluster has deployed [{operator ${version}}]`,
  }, now);
  out = setCondition(out, { type: "Progressing", status: "False", message: `Cluster version is ${version}` }, now);
  if (master) {
    const s = master.status ?? {};
    out = setCondition(out, {
      type: "Degraded",
      status: "True",
      reason: "RequiredPoolsFailed",
      message: `Unable to apply ${version}: error during syncRequiredMachineConfigPools: [context deadline exceeded, ` +
        `error required MachineConfigPool master is not ready, retrying. Status: (pool degraded: true total: ${
          s.machineCount ?? 0
        }, ready ${s.readyMachineCount ?? 0}, updated: ${s.updatedMachineCount ?? 0}, unavailable: ${
          s.unavailableMachineCount ?? 0
        })]`,
    }, now);
  } else {
    out = setCondition(out, { type: "Degraded", status: "False" }, now);
  }
  if (degraded.length) {
    out = setCondition(out, {
      type: "Upgradeable",
      status: "False",
      reason: "DegradedPool",
      message: "One or more machine config pools are degraded, please see `oc get mcp` for further details and " +
        "resolve before upgrading",
    }, now);
  } else if (updating.length) {
    out = setCondition(out, {
      type: "Upgradeable",
      status: "False",
      reason: "PoolUpdating",
      message: "One or more machine config pools are updating, please see `oc get mcp` for further details",
    }, now);
  } else {
    out = setCondition(out, { type: "Upgradeable", status: "True", reason: "AsExpected" }, now);
  }
  return out;
}
