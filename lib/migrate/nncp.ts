/**
 * NodeNetworkConfigurationPolicies that configure the node's primary NIC (the interface OVN's br-ex
 * takes over): the documentation has them deleted before the migration (procedures.md §5 step 5,
 * §6 step 3); the configuration stays on the NIC and configure-ovs.sh takes it over.
 */
import type { KubeObject } from "../kube/types.ts";

interface NmstateInterface {
  name?: string;
  type?: string;
  ipv4?: { enabled?: boolean; dhcp?: boolean; address?: unknown[] };
  bridge?: { port?: { name?: string }[] };
}

/** True when the policy touches br-ex or an interface that carries the node's default IPv4 (DHCP or static). */
export function configuresPrimaryNic(nncp: KubeObject): boolean {
  const ifaces: NmstateInterface[] = nncp.spec?.desiredState?.interfaces ?? [];
  return ifaces.some((i) =>
    i.name === "br-ex" ||
    ((i.type === "ethernet" || i.type === "bond") && i.ipv4?.enabled === true &&
      (i.ipv4.dhcp === true || (i.ipv4.address ?? []).length > 0))
  );
}

export function primaryNicNncps(nncps: KubeObject[]): KubeObject[] {
  return nncps.filter(configuresPrimaryNic);
}
