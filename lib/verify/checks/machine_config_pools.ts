import { conditionStatus, valueOf } from "../facts.ts";
import type { Check, CheckResult } from "./types.ts";
import { fail, pass } from "./util.ts";

export const machineConfigPools: Check = {
  id: "machine-config-pools",
  title: "Machine config pools updated, not degraded, not paused",
  section: "Nodes and pools",
  methods: ["offline", "live"],
  needs: ["machineConfigPools"],
  evaluate(facts) {
    const pools = valueOf(facts.machineConfigPools)?.items ?? [];
    if (pools.length === 0) {
      return fail("no MachineConfigPools found; the migration is rolled out by the MCO through pools");
    }
    const out: CheckResult[] = [];
    for (const p of pools) {
      const obj = [{ kind: "MachineConfigPool", name: p.name }];
      if (p.paused) {
        out.push(fail(
          `MachineConfigPool ${p.name} is paused: the MCO will not roll out the migration's machine config to its ` +
            `${p.machineCount} nodes and the migration never completes`,
          `oc patch mcp/${p.name} --type merge -p '{"spec":{"paused":false}}'`,
          obj,
        ));
      }
      const degraded = conditionStatus(p.conditions, "Degraded") === "True" || p.degradedMachineCount > 0;
      if (degraded) {
        const reason = p.conditions.find((c) => c.type === "NodeDegraded" && c.status === "True")?.message ??
          p.conditions.find((c) => c.type === "Degraded" && c.status === "True")?.message;
        out.push(fail(
          `MachineConfigPool ${p.name} is degraded (${p.degradedMachineCount} of ${p.machineCount} nodes)` +
            `${reason ? `: ${reason}` : ""}`,
          `oc describe mcp/${p.name} and fix the node named there (oc logs -n openshift-machine-config-operator <machine-config-daemon pod on that node>)`,
          obj,
        ));
      } else if (
        conditionStatus(p.conditions, "Updated") !== "True" || p.updatedMachineCount < p.machineCount
      ) {
        out.push(fail(
          `MachineConfigPool ${p.name} is not updated (${p.updatedMachineCount} of ${p.machineCount} nodes); ` +
            "the migration must start from settled pools",
          `oc wait mcp/${p.name} --for=condition=Updated=True --timeout=60m`,
          obj,
        ));
      }
    }
    return out.length > 0
      ? out
      : pass(`all ${pools.length} machine config pools are updated, not degraded, not paused`);
  },
};
