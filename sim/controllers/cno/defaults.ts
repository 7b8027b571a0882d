/**
 * FillDefaults of the operconfig controller (cluster-behaviour.md §1.4, §2.6): the spec CNO actually applies
 * (and stores in ConfigMap openshift-network-operator/applied-cluster).
 */
import type { Obj } from "../../store.ts";
import { OVN, SDN } from "./names.ts";
import { clean } from "./util.ts";

/** True while CNO renders both CNIs (live migration, cluster-behaviour.md §2.4 steps 1–3). */
export function isLiveMigration(spec: Obj | undefined, annotated: boolean): boolean {
  return annotated && spec?.migration?.mode === "Live" && !!spec?.migration?.networkType;
}

/** The host MTU CNO uses when it must pick a default (ConfigMap `mtu`, else its own NIC: 1500). */
export function fillDefaults(spec: Obj, prev: Obj | undefined, hostMTU: number | undefined, live: boolean): Obj {
  const next = clean(spec) as Obj;
  const host = hostMTU ?? 1500;
  next.defaultNetwork ??= {};
  const type = next.defaultNetwork.type;
  const migType = next.migration?.networkType;
  // Live migration renders both CNIs, so both blocks are filled (§2.4 step 1).
  const wantSDN = type === SDN || (live && !!migType);
  const wantOVN = type === OVN || (live && !!migType);
  const prevDN = prev?.defaultNetwork ?? {};
  if (wantSDN) {
    const c = { ...(next.defaultNetwork.openshiftSDNConfig ?? {}) };
    c.mode ??= "NetworkPolicy";
    c.vxlanPort ??= 4789;
    c.mtu ??= prevDN.openshiftSDNConfig?.mtu ?? host - 50;
    c.enableUnidling ??= true;
    next.defaultNetwork.openshiftSDNConfig = c;
  } else {
    delete next.defaultNetwork.openshiftSDNConfig;
  }
  if (wantOVN) {
    const c = { ...(next.defaultNetwork.ovnKubernetesConfig ?? {}) };
    const ipsecFull = c.ipsecConfig?.mode === "Full";
    c.mtu ??= prevDN.ovnKubernetesConfig?.mtu ?? host - (ipsecFull ? 146 : 100);
    c.genevePort ??= 6081;
    c.policyAuditConfig = {
      rateLimit: 20,
      maxFileSize: 50,
      destination: "null",
      syslogFacility: "local0",
      ...(c.policyAuditConfig ?? {}),
    };
    next.defaultNetwork.ovnKubernetesConfig = c;
  } else {
    delete next.defaultNetwork.ovnKubernetesConfig;
  }
  next.managementState ??= "Managed";
  return next;
}

/** The cluster network MTU reported in network.config status (cluster-behaviour.md §2.6). */
export function clusterMTU(applied: Obj): number | undefined {
  const dn = applied.defaultNetwork ?? {};
  if (dn.type === SDN) {
    // In live migration the SDN render uses the routable MTU (network.to) while MTU migration is set.
    return applied.migration?.mtu?.network?.to ?? dn.openshiftSDNConfig?.mtu;
  }
  if (dn.type === OVN) return dn.ovnKubernetesConfig?.mtu;
  return undefined;
}
