import { type PdbFact, valueOf } from "../facts.ts";
import type { Check } from "./types.ts";
import { capObjects, listNames, nsName, pass, plural, verb, warn } from "./util.ts";

/** A PDB that allows no eviction right now (status), or by construction (spec) when status is not there yet. */
export function blocksDrain(p: PdbFact): boolean {
  if (p.disruptionsAllowed !== undefined) return p.disruptionsAllowed === 0 && (p.expectedPods ?? 1) > 0;
  return p.maxUnavailable === 0 || p.maxUnavailable === "0%" || p.minAvailable === "100%";
}

export const podDisruptionBudgets: Check = {
  id: "pod-disruption-budgets",
  title: "PodDisruptionBudgets that block drains",
  section: "Workloads",
  methods: ["offline", "live"],
  needs: ["podDisruptionBudgets"],
  evaluate(facts) {
    const blocking = (valueOf(facts.podDisruptionBudgets) ?? []).filter(blocksDrain);
    if (blocking.length === 0) return pass("no PodDisruptionBudget blocks node drains");
    return warn(
      `${plural(blocking.length, "PodDisruptionBudget")} ${verb(blocking.length, "allows", "allow")} no disruption (${
        listNames(blocking.map(nsName))
      }): the ` +
        "MCO drain of their nodes waits until they do, stalling the rollout",
      `scale the workload up or relax the budget, e.g. oc patch pdb ${blocking[0].name} -n ${blocking[0].namespace} ` +
        `--type=merge -p '{"spec":{"minAvailable":null,"maxUnavailable":1}}'`,
      capObjects(blocking.map((p) => ({ kind: "PodDisruptionBudget", namespace: p.namespace, name: p.name }))),
    );
  },
};
