import { valueOf } from "../facts.ts";
import type { Check } from "./types.ts";
import { fail, listNames, pass, plural, warn } from "./util.ts";

export const unmanagedSdnDaemonSets: Check = {
  id: "unmanaged-sdn-daemonsets",
  title: "DaemonSets in openshift-sdn not managed by CNO",
  section: "Workloads",
  methods: ["offline", "live"],
  sources: ["OpenShiftSDN"],
  needs: ["sdnDaemonSets"],
  evaluate(facts, ctx) {
    const extra = (valueOf(facts.sdnDaemonSets) ?? []).filter((d) => !d.managedByCNO);
    if (extra.length === 0) return pass("every DaemonSet in openshift-sdn is managed by the Cluster Network Operator");
    const objects = extra.map((d) => ({ kind: "DaemonSet", namespace: "openshift-sdn", name: d.name }));
    const fix = extra.map((d) => `oc delete daemonset ${d.name} -n openshift-sdn`).join(" && ");
    const names = listNames(extra.map((d) => d.name));
    if (ctx.method === "live") {
      return fail(
        `${plural(extra.length, "DaemonSet")} in openshift-sdn not managed by CNO (${names}): the live migration ` +
          "never completes (NetworkTypeMigrationOriginalCNIPurged stays False)",
        fix,
        objects,
      );
    }
    return warn(
      `${
        plural(extra.length, "DaemonSet")
      } in openshift-sdn not managed by CNO (${names}): they keep running SDN-era ` +
        "components and are deleted with the namespace at clean-up",
      fix,
      objects,
    );
  },
};
