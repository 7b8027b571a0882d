import { valueOf } from "../facts.ts";
import type { Check } from "./types.ts";
import { capObjects, fail, listNames, pass } from "./util.ts";

const ON_PARENT = new Set(["macvlan", "ipvlan"]);

export const secondaryNetworkDefaultNic: Check = {
  id: "secondary-network-default-nic",
  title: "Secondary networks on the default NIC",
  section: "Workloads",
  methods: ["live"],
  needs: ["networkAttachmentDefinitions", "networkOperator"],
  evaluate(facts) {
    const nads = valueOf(facts.networkAttachmentDefinitions)?.items ?? [];
    const hits: { ref: string; why: string; obj: { kind: string; namespace?: string; name: string } }[] = [];
    for (const n of nads) {
      const parentType = n.types.find((t) => ON_PARENT.has(t));
      if (parentType && (!n.master || n.master === "br-ex")) {
        hits.push({
          ref: `${n.namespace}/${n.name}`,
          why: n.master ? `${parentType} on br-ex` : `${parentType} without master (uses the default-route NIC)`,
          obj: { kind: "NetworkAttachmentDefinition", namespace: n.namespace, name: n.name },
        });
      } else if (n.types.includes("bridge") && n.bridge === "br-ex") {
        hits.push({
          ref: `${n.namespace}/${n.name}`,
          why: "bridge br-ex",
          obj: { kind: "NetworkAttachmentDefinition", namespace: n.namespace, name: n.name },
        });
      }
    }
    for (const a of valueOf(facts.networkOperator)?.additionalNetworks ?? []) {
      if (a.type === "SimpleMacvlan" && (!a.macvlanMaster || a.macvlanMaster === "br-ex")) {
        hits.push({
          ref: `additionalNetworks ${a.name}`,
          why: `SimpleMacvlan ${a.macvlanMaster ? "on br-ex" : "without master (uses the default-route NIC)"}`,
          obj: { kind: "Network", name: "cluster" },
        });
      }
    }
    if (hits.length === 0) {
      return pass(
        `${nads.length} network attachment definitions checked; none puts a secondary interface on the default NIC`,
      );
    }
    return fail(
      `secondary networks on the default NIC (${listNames(hits.map((h) => `${h.ref}: ${h.why}`))}): OVN-Kubernetes ` +
        "may malfunction during the live migration; remove them first or use the offline migration",
      `${
        hits[0].obj.kind === "NetworkAttachmentDefinition"
          ? `oc delete network-attachment-definition ${hits[0].obj.name} -n ${hits[0].obj.namespace}`
          : "oc edit Network.operator.openshift.io cluster (spec.additionalNetworks)"
      }, or --method offline`,
      capObjects(hits.map((h) => h.obj)),
    );
  },
};
