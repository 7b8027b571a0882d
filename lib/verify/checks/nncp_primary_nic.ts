import { parseCidr } from "../cidr.ts";
import { type NncpFact, valueOf } from "../facts.ts";
import type { Check } from "./types.ts";
import { fail, listNames, pass, warn } from "./util.ts";
import { contains } from "../cidr.ts";

/** Why this NNCP looks like it configures the node's primary interface, or undefined. */
export function primaryReason(p: NncpFact, machineNetworks: string[]): string | undefined {
  for (const i of p.interfaces) {
    if (i.name === "br-ex" || i.ports.includes("br-ex")) {
      return `configures ${i.name === "br-ex" ? "br-ex" : `${i.name} on br-ex`}`;
    }
    const inMachine = i.addresses.find((a) =>
      machineNetworks.some((m) => {
        const net = parseCidr(m);
        return net !== undefined && contains(net, a.split("/")[0]);
      })
    );
    if (inMachine) return `gives ${i.name} the address ${inMachine} in the machine network`;
    if (i.ipv4Enabled && i.dhcp && (i.type === "bond" || i.type === "ethernet")) {
      return `configures ${i.type} ${i.name} with DHCP (the node IP interface)`;
    }
  }
  return undefined;
}

export const nncpPrimaryNic: Check = {
  id: "nncp-primary-nic",
  title: "NMState policies on the primary NIC",
  section: "Workloads",
  methods: ["offline", "live"],
  needs: ["nncps", "installConfig"],
  evaluate(facts) {
    const list = valueOf(facts.nncps);
    if (!list?.served) return pass("the NMState operator is not installed (no NodeNetworkConfigurationPolicies)");
    const machine = valueOf(facts.installConfig)?.machineNetwork ?? [];
    const primary = list.items.map((p) => ({ p, why: primaryReason(p, machine) })).filter((x) => x.why);
    if (primary.length > 0) {
      return fail(
        `${
          primary.length === 1 ? "NodeNetworkConfigurationPolicy" : "NodeNetworkConfigurationPolicies"
        } on the primary ` +
          `interface: ${
            primary.map((x) => `${x.p.name} (${x.why})`).join("; ")
          }: OVN-Kubernetes takes the primary NIC ` +
          "over with configure-ovs.sh; delete the policy (the configuration stays on the NIC)",
        `oc patch Network.operator.openshift.io cluster --type=merge -p '{"spec":{"migration":null}}' && ` +
          primary.map((x) => `oc delete nncp ${x.p.name}`).join(" && "),
        primary.map((x) => ({ kind: "NodeNetworkConfigurationPolicy", name: x.p.name })),
      );
    }
    if (list.items.length > 0) {
      return warn(
        `${list.items.length} NodeNetworkConfigurationPolicies (${listNames(list.items.map((p) => p.name))}) do not ` +
          "appear to touch the primary interface; make sure none configures the NIC holding the node IP",
        "oc get nncp",
        list.items.map((p) => ({ kind: "NodeNetworkConfigurationPolicy", name: p.name })),
      );
    }
    return pass("no NodeNetworkConfigurationPolicies");
  },
};
