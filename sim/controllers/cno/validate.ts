/**
 * Operconfig validation (cluster-behaviour.md §1.2): field sanity (`network.Validate`) and the
 * "is this change safe" rules comparing the applied spec with the next one (`network.IsChangeSafe`).
 */
import type { Obj } from "../../store.ts";
import { OVN, SDN } from "./names.ts";
import { deepEqual } from "./util.ts";

const SDN_MODES = ["Subnet", "Multitenant", "NetworkPolicy"];

/** `network.Validate`: returns the errors; the caller reports `The operator configuration is invalid (…)`. */
export function validateOperatorConfig(spec: Obj): string[] {
  const errs: string[] = [];
  const dn = spec.defaultNetwork ?? {};
  const sdn = dn.openshiftSDNConfig;
  if (dn.type === SDN && sdn) {
    if (sdn.mode !== undefined && !SDN_MODES.includes(sdn.mode)) errs.push(`invalid openshift-sdn mode "${sdn.mode}"`);
    if (sdn.vxlanPort !== undefined && !(sdn.vxlanPort >= 1 && sdn.vxlanPort <= 65535)) {
      errs.push(`invalid VXLANPort ${sdn.vxlanPort}`);
    }
    if (sdn.mtu !== undefined && !(sdn.mtu >= 576 && sdn.mtu <= 65536)) errs.push(`invalid MTU ${sdn.mtu}`);
  }
  const ovn = dn.ovnKubernetesConfig;
  if (dn.type === OVN && ovn) {
    if (ovn.mtu !== undefined && !(ovn.mtu >= 576 && ovn.mtu <= 65536)) errs.push(`invalid MTU ${ovn.mtu}`);
    if (ovn.genevePort !== undefined && !(ovn.genevePort >= 1 && ovn.genevePort <= 65535)) {
      errs.push(`invalid GenevePort ${ovn.genevePort}`);
    }
  }
  return errs;
}

/** MTU-migration field checks (only when `migration.mtu` is set). */
export function validateMTUMigration(spec: Obj, appliedMTU: number | undefined): string[] {
  const mtu = spec.migration?.mtu;
  if (!mtu) return [];
  const netFrom = mtu.network?.from, netTo = mtu.network?.to, machTo = mtu.machine?.to;
  if (netFrom === undefined || netTo === undefined || machTo === undefined) {
    return ["invalid Migration.MTU, at least one of the required fields is missing"];
  }
  // Live migration fills these itself from the applied MTU; only user-initiated MTU migrations are checked.
  if (spec.migration?.mode === "Live") return [];
  const errs: string[] = [];
  if (appliedMTU !== undefined && netFrom !== appliedMTU) {
    errs.push(`invalid Migration.MTU.Network.From(${netFrom}) not equal to the currently applied MTU(${appliedMTU})`);
  }
  if (!(netTo >= 576 && netTo <= 65536)) {
    errs.push(`invalid Migration.MTU.Network.To(${netTo}), has to be in range: 576-65536`);
  }
  const type = spec.defaultNetwork?.type;
  const ipsecFull = spec.defaultNetwork?.ovnKubernetesConfig?.ipsecConfig?.mode === "Full";
  const overhead = type === SDN ? 50 : ipsecFull ? 146 : 100;
  if (machTo < netTo + overhead) {
    errs.push(`invalid Migration.MTU.Machine.To(${machTo}), has to be at least ${netTo + overhead}`);
  }
  return errs;
}

/** `network.IsChangeSafe(prev, next)`; prev is the applied spec (undefined on first apply). */
export function isChangeSafe(prev: Obj | undefined, next: Obj, opts: { hypershift: boolean }): string[] {
  if (!prev) return [];
  const errs: string[] = [];
  const prevType = prev.defaultNetwork?.type;
  const nextType = next.defaultNetwork?.type;
  const prevMig = prev.migration?.networkType ?? "";
  const nextMig = next.migration?.networkType ?? "";
  // isMigrationChangeSafe
  if (prevMig && nextMig && (prevMig !== nextMig || (prev.migration?.mode ?? "") !== (next.migration?.mode ?? ""))) {
    errs.push("cannot change migration network type after migration has started");
  }
  if (next.migration?.mode === "Live" && opts.hypershift) {
    errs.push("live migration is unsupported in a HyperShift environment");
  }
  // isDefaultNetworkChangeSafe
  if (prevType !== nextType) {
    if (!prevMig) errs.push("cannot change default network type when not doing migration");
    else if (prevMig !== nextType) {
      errs.push("can only change default network type to the target migration network type");
    }
  } else if (!prevMig) {
    if (nextType === SDN) errs.push(...openShiftSDNChanges(prev, next));
    if (nextType === OVN) errs.push(...ovnChanges(prev, next));
  }
  // isNetworkChangeSafe
  if (prevMig && !deepEqual(prev.serviceNetwork ?? [], next.serviceNetwork ?? [])) {
    errs.push("cannot change ServiceNetwork during migration");
  }
  return errs;
}

function openShiftSDNChanges(prev: Obj, next: Obj): string[] {
  const a = prev.defaultNetwork?.openshiftSDNConfig ?? {}, b = next.defaultNetwork?.openshiftSDNConfig ?? {};
  const errs: string[] = [];
  if (a.mode !== b.mode) errs.push("cannot change openshift-sdn mode");
  if (a.vxlanPort !== b.vxlanPort) errs.push("cannot change openshift-sdn vxlanPort");
  if (a.mtu !== b.mtu && !next.migration?.mtu) errs.push("cannot change openshift-sdn mtu without migration");
  return errs;
}

function ovnChanges(prev: Obj, next: Obj): string[] {
  const a = prev.defaultNetwork?.ovnKubernetesConfig ?? {}, b = next.defaultNetwork?.ovnKubernetesConfig ?? {};
  const errs: string[] = [];
  if (a.mtu !== b.mtu && !next.migration?.mtu) errs.push("cannot change ovn-kubernetes MTU without migration");
  if (a.genevePort !== b.genevePort) errs.push("cannot change ovn-kubernetes genevePort");
  return errs;
}
