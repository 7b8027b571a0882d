/** `network.ValidateLiveMigration` (cluster-behaviour.md §2.2): the checks that block a live migration. */
import type { Obj, Store } from "../../store.ts";
import { findCondition } from "./util.ts";
import { cidrsOverlap, parseCidr } from "./util.ts";
import { COND, K, OVN, SDN } from "./names.ts";

export interface LiveBlock {
  error: string;
  /** Label values for openshift_network_operator_live_migration_blocked. */
  reasons: string[];
}

export const MACVLAN_ANNOTATION = "pod.network.openshift.io/assign-macvlan";

/** Minor version of "4.16.20" → 16. */
export function minorVersion(version: string): number {
  return Number(version.split(".")[1] ?? 16);
}

/** Returns the first blocking problem, or undefined when the migration may proceed. */
export function validateLiveMigration(
  store: Store,
  nc: Obj,
  no: Obj | undefined,
  version: string,
): LiveBlock | undefined {
  const target = nc.spec?.networkType;
  const source = nc.status?.networkType;
  if (target === source) return undefined;
  if (findCondition(nc.status?.conditions, COND.inProgress)?.status === "True") return undefined;
  if (target !== SDN && target !== OVN) {
    return {
      error: "network type live migration is only supported for OVNKubernetes and OpenShiftSDN CNI",
      reasons: ["UnsupportedCNI"],
    };
  }
  const infra = store.get(K.infrastructure, undefined, "cluster");
  if (infra?.status?.controlPlaneTopology === "External") {
    return {
      error: "network type live migration is not supported on HyperShift clusters",
      reasons: ["UnsupportedHyperShiftCluster"],
    };
  }
  if (!no) {
    return {
      error: `error getting network configuration: networks.operator.openshift.io "cluster" not found`,
      reasons: [],
    };
  }
  if (source !== SDN) return undefined;
  if (no.spec?.defaultNetwork?.openshiftSDNConfig?.mode === "Multitenant") {
    return {
      error: "network type live migration is not supported on SDN Multitenant clusters",
      reasons: ["UnsupportedSDNNetworkIsolationMode"],
    };
  }
  const overlap = findOverlap(nc, no, minorVersion(version));
  if (overlap) {
    const [a, b] = overlap;
    const reasons = [`overlapping_networks_${a.name}_${b.name}`];
    if (minorVersion(version) >= 16) reasons.push("NetworkOverlap");
    return { error: `network ${a.name}(${a.cidr}) overlaps with network ${b.name}(${b.cidr})`, reasons };
  }
  const macvlanPod = store.all(K.pod).some((p) => p.metadata.annotations?.[MACVLAN_ANNOTATION] !== undefined);
  if (macvlanPod) {
    return {
      error: `network type live migration is not supported for pods with "${MACVLAN_ANNOTATION}" annotation. ` +
        "Please remove all egress router pods",
      reasons: ["UnsupportedMACVLANInterface"],
    };
  }
  return undefined;
}

interface NamedCidr {
  name: string;
  cidr: string;
}

/** The networks OVN-Kubernetes will use, with the CNO defaults for its internal ranges. */
function candidateNetworks(nc: Obj, no: Obj, minor: number): NamedCidr[] {
  const ovn = no.spec?.defaultNetwork?.ovnKubernetesConfig ?? {};
  const out: NamedCidr[] = [];
  for (const c of nc.spec?.clusterNetwork ?? []) out.push({ name: "clusterNetwork", cidr: c.cidr });
  for (const s of nc.spec?.serviceNetwork ?? []) out.push({ name: "serviceNetwork", cidr: s });
  const wide = minor >= 17;
  out.push(
    { name: "v4InternalSubnet", cidr: ovn.ipv4?.internalJoinSubnet ?? ovn.v4InternalSubnet ?? "100.64.0.0/16" },
    { name: "v6InternalSubnet", cidr: ovn.ipv6?.internalJoinSubnet ?? ovn.v6InternalSubnet ?? "fd98::/64" },
    { name: "v4InternalTransitSwitchSubnet", cidr: ovn.ipv4?.internalTransitSwitchSubnet ?? "100.88.0.0/16" },
    { name: "v6InternalTransitSwitchSubnet", cidr: ovn.ipv6?.internalTransitSwitchSubnet ?? "fd97::/64" },
    {
      name: "v4InternalMasqueradeSubnet",
      cidr: ovn.gatewayConfig?.ipv4?.internalMasqueradeSubnet ?? (wide ? "169.254.0.0/17" : "169.254.169.0/29"),
    },
    {
      name: "v6InternalMasqueradeSubnet",
      cidr: ovn.gatewayConfig?.ipv6?.internalMasqueradeSubnet ?? (wide ? "fd69::/112" : "fd69::/125"),
    },
  );
  return out.filter((n) => parseCidr(n.cidr));
}

function findOverlap(nc: Obj, no: Obj, minor: number): [NamedCidr, NamedCidr] | undefined {
  const nets = candidateNetworks(nc, no, minor);
  for (let i = 0; i < nets.length; i++) {
    for (let j = i + 1; j < nets.length; j++) {
      if (cidrsOverlap(nets[i].cidr, nets[j].cidr)) return [nets[i], nets[j]];
    }
  }
  return undefined;
}
