/**
 * The user's values for the migration checked against the cluster before anything is written: a
 * value that cannot work is a usage error (exit 2), not a failed migration.
 */
import type { PreflightOptions } from "../verify/options.ts";
import { UsageError } from "../errors.ts";
import { effectiveInternalSubnets, overlaps, parseCidr } from "../verify/cidr.ts";
import { networksInUse } from "../verify/checks/cidr_overlap.ts";
import { OVN_OVERHEAD } from "../verify/checks/mtu.ts";
import { type Facts, valueOf } from "../verify/facts.ts";
import { contextFor } from "../verify/run.ts";

const DEFAULT_VXLAN_PORT = 4789;

export function checkFlagValues(facts: Facts, method: "offline" | "live", opts: PreflightOptions): void {
  const op = valueOf(facts.networkOperator);
  const hardware = valueOf(facts.mtuConfigMap)?.mtu;
  if (opts.mtu !== undefined && hardware !== undefined && opts.mtu > hardware - OVN_OVERHEAD) {
    throw new UsageError(
      `--mtu ${opts.mtu} is too large: the hardware MTU is ${hardware} (ConfigMap openshift-network-operator/mtu) ` +
        `and OVN-Kubernetes needs ${OVN_OVERHEAD} bytes for its Geneve overlay.`,
      `Use --mtu ${hardware - OVN_OVERHEAD} or less.`,
    );
  }
  const vxlan = op?.defaultNetwork.openshiftSDNConfig?.vxlanPort ?? DEFAULT_VXLAN_PORT;
  if (opts.genevePort !== undefined && opts.genevePort === vxlan) {
    throw new UsageError(
      `--geneve-port ${opts.genevePort} is the VXLAN port OpenShift SDN uses: both overlays would share it ` +
        `during the migration.`,
      "Use another port (the OVN-Kubernetes default is 6081).",
    );
  }
  const ctx = contextFor(facts, method, opts);
  const { networks } = networksInUse(facts, ctx);
  const planned: [string, string | undefined][] = [
    ["--v4-internal-subnet", opts.v4InternalSubnet],
    ["--v6-internal-subnet", opts.v6InternalSubnet],
    ["--join-subnet", opts.joinSubnet],
    ["--transit-subnet", opts.transitSubnet],
  ];
  for (const [flag, value] of planned) {
    const cidr = value ? parseCidr(value) : undefined;
    if (!cidr) continue;
    const clash = networks.find((n) => overlaps(n.cidr, cidr));
    if (clash) {
      throw new UsageError(
        `${flag} ${value} overlaps ${clash.name} (${clash.cidr.text}).`,
        "Choose a range no network of the cluster uses; `oc ovn-migrate preflight` suggests free ones.",
      );
    }
  }
  if (opts.clusterNetwork) {
    const cidr = parseCidr(opts.clusterNetwork)!;
    const internal = effectiveInternalSubnets(op?.defaultNetwork.ovnKubernetesConfig, ctx.version?.minor, opts);
    const clash = internal.find((s) => overlaps(s.cidr, cidr)) ??
      networks.filter((n) => !n.name.startsWith("clusterNetwork") && !n.name.startsWith("HostSubnet"))
        .find((n) => overlaps(n.cidr, cidr));
    if (clash) {
      const name = "kind" in clash
        ? `the OVN ${clash.kind} subnet ${clash.cidr.text}`
        : `${clash.name} (${clash.cidr.text})`;
      throw new UsageError(`--cluster-network ${opts.clusterNetwork} overlaps ${name}.`, "Choose another range.");
    }
    if (opts.hostPrefix !== undefined && opts.hostPrefix <= cidr.prefix) {
      throw new UsageError(
        `--host-prefix ${opts.hostPrefix} must be longer than the cluster network's prefix /${cidr.prefix}.`,
      );
    }
  }
}
