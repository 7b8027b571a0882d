import { valueOf } from "../facts.ts";
import type { Check } from "./types.ts";
import { fail, pass, sdnConfig, warn } from "./util.ts";

export const sdnIsolationMode: Check = {
  id: "sdn-isolation-mode",
  title: "SDN isolation mode",
  section: "SDN features",
  methods: ["offline", "live"],
  sources: ["OpenShiftSDN"],
  needs: ["networkOperator"],
  evaluate(facts, ctx) {
    const mode = sdnConfig(facts)?.mode ?? "NetworkPolicy";
    const obj = [{ kind: "Network", name: "cluster" }];
    if (mode === "NetworkPolicy") {
      return pass("OpenShift SDN runs in NetworkPolicy mode, the only mode OVN-Kubernetes has", obj);
    }
    const global = (valueOf(facts.netNamespaces)?.items ?? []).filter((n) => n.netid === 0).map((n) => n.name);
    if (ctx.method === "live") {
      return fail(
        mode === "Multitenant"
          ? "OpenShift SDN runs in Multitenant mode: network type live migration is not supported on SDN Multitenant clusters"
          : "OpenShift SDN runs in Subnet mode: the live migration requires the NetworkPolicy isolation mode",
        "use --method offline (and recreate the isolation with NetworkPolicies), " +
          "or move to NetworkPolicy mode first",
        obj,
      );
    }
    const note = mode === "Multitenant"
      ? "after the migration, project isolation is gone: every namespace can reach every other. Create NetworkPolicies " +
        "(allow-same-namespace, allow-from-openshift-ingress, allow-from-openshift-monitoring) in each project to " +
        `keep it${global.length > 0 ? `; ${global.length} NetNamespaces with netid 0 (global) need no policy` : ""}`
      : "Subnet mode enforces no policy, while OVN-Kubernetes enforces every existing NetworkPolicy: review them " +
        "(oc get networkpolicy -A) before migrating";
    const fix = mode === "Multitenant"
      ? "oc ovn-migrate preflight --network-policies policies.yaml, review it, then oc apply -f policies.yaml"
      : "oc get networkpolicy -A";
    return warn(`OpenShift SDN runs in ${mode} mode: ${note}`, fix, obj);
  },
};
