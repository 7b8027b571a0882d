import { valueOf } from "../facts.ts";
import type { Check } from "./types.ts";
import { capObjects, listNames, nsName, pass, plural, warn } from "./util.ts";

export const egressNetworkPolicy: Check = {
  id: "egress-network-policy",
  title: "Egress network policies",
  section: "SDN features",
  methods: ["offline", "live"],
  sources: ["OpenShiftSDN"],
  needs: ["egressNetworkPolicies"],
  evaluate(facts) {
    const enps = valueOf(facts.egressNetworkPolicies)?.items ?? [];
    if (enps.length === 0) return pass("no EgressNetworkPolicy objects");
    const renamed = enps.filter((e) => e.name !== "default");
    const objects = capObjects(
      enps.map((e) => ({ kind: "EgressNetworkPolicy", namespace: e.namespace, name: e.name })),
    );
    if (renamed.length === 0) {
      return pass(
        `${
          plural(enps.length, "EgressNetworkPolicy", "EgressNetworkPolicies")
        } become EgressFirewall objects named default`,
        objects,
      );
    }
    return warn(
      `${plural(renamed.length, "EgressNetworkPolicy", "EgressNetworkPolicies")} (${listNames(renamed.map(nsName))}) ` +
        "will be converted to EgressFirewall objects named `default`: anything that refers to them by name must " +
        "change, and RBAC for egressfirewalls.k8s.ovn.org is not migrated",
      "after the migration: oc get egressfirewalls.k8s.ovn.org -A, and grant RBAC on egressfirewalls where users need it",
      objects,
    );
  },
};
