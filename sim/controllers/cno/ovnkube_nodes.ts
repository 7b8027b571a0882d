/**
 * What ovnkube-node writes on each node once it runs there: the `k8s.ovn.org/*` annotations (node subnet,
 * primary interface address, zone, chassis). A rollback to SDN removes them again (cluster-behaviour.md §2.7).
 */
import type { Obj, Store } from "../../store.ts";
import { K, NS } from "./names.ts";
import { parseCidr } from "./util.ts";

const SUBNETS = "k8s.ovn.org/node-subnets";

function ipv4(bits: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((bits >> s) & 255n)).join(".");
}

/** The node's pod subnet: its HostSubnet's under SDN, else the i-th block of the first cluster network. */
function nodeSubnet(store: Store, node: Obj, index: number, clusterNetwork: Obj[]): string | undefined {
  const hs = store.hasDef(K.hostSubnet) ? store.get(K.hostSubnet, undefined, node.metadata.name) : undefined;
  if (hs?.subnet) return hs.subnet;
  const cn = clusterNetwork[0];
  const p = cn && parseCidr(cn.cidr);
  if (!p || p.family !== 4) return undefined;
  const size = 1n << BigInt(32 - cn.hostPrefix);
  return `${ipv4(p.bits + BigInt(index) * size)}/${cn.hostPrefix}`;
}

/** Annotates every node that lacks them, while ovnkube-node is deployed. */
export function annotateOVNNodes(store: Store, clusterNetwork: Obj[], machineNetworkPrefix: number): void {
  if (!store.get(K.daemonSet, NS.ovn, "ovnkube-node")) return;
  const nodes = store.all(K.node).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  nodes.forEach((node, i) => {
    if (node.metadata.annotations?.[SUBNETS]) return;
    const subnet = nodeSubnet(store, node, i, clusterNetwork);
    const ip = (node.status?.addresses ?? []).find((a: Obj) => a.type === "InternalIP")?.address;
    store.mutate(K.node, undefined, node.metadata.name, (o) => {
      o.metadata.annotations = {
        ...(o.metadata.annotations ?? {}),
        ...(subnet ? { [SUBNETS]: JSON.stringify({ default: [subnet] }) } : {}),
        ...(ip
          ? {
            "k8s.ovn.org/node-primary-ifaddr": JSON.stringify({ ipv4: `${ip}/${machineNetworkPrefix}` }),
            "k8s.ovn.org/host-cidrs": JSON.stringify([`${ip}/${machineNetworkPrefix}`]),
          }
          : {}),
        "k8s.ovn.org/zone-name": node.metadata.name,
        "k8s.ovn.org/node-chassis-id": node.metadata.uid,
        "k8s.ovn.org/network-ids": JSON.stringify({ default: "0" }),
      };
    });
  });
}
