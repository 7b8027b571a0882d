/**
 * NodeNetworkConfigurationPolicies that configure the node's primary NIC (the interface OVN's br-ex
 * takes over): the documentation has them deleted before the migration (procedures.md §5 step 5,
 * §6 step 3); the configuration stays on the NIC and configure-ovs.sh takes it over. Which policies
 * those are is decided exactly as preflight's nncp-primary-nic check decides it.
 */
import { isNotFound } from "../kube/errors.ts";
import { R } from "../kube/resources.ts";
import type { Kube, KubeObject } from "../kube/types.ts";
import { primaryReason } from "../verify/checks/nncp_primary_nic.ts";
import { installConfigFact, nncpFact } from "../verify/collect.ts";
import type { Step } from "./step.ts";

/** The policies on the primary NIC, given the machine networks from the install config. */
export function primaryNicNncps(nncps: KubeObject[], machineNetworks: string[]): KubeObject[] {
  return nncps.filter((o) => primaryReason(nncpFact(o), machineNetworks) !== undefined);
}

/** Lists the NNCPs (none when NMState is not installed) and keeps those on the primary NIC. */
export async function listPrimaryNicNncps(kube: Pick<Kube, "list" | "get">): Promise<KubeObject[]> {
  let nncps: KubeObject[];
  try {
    nncps = await kube.list(R.nncp);
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
  if (nncps.length === 0) return [];
  const install = installConfigFact(await kube.get(R.configMap, "cluster-config-v1", "kube-system"));
  return primaryNicNncps(nncps, install.machineNetwork);
}

/** `--delete-nncp`: deletes the policies on the primary NIC before the migration changes the network. */
export function deleteNncpStep<O extends { deleteNncp: boolean }>(): Step<O> {
  return {
    id: "delete-nncp",
    title: "Delete NodeNetworkConfigurationPolicies on the primary NIC",
    disruptive: false,
    skip: async (ctx) => {
      if (!ctx.options.deleteNncp) return "--delete-nncp not given";
      return (await listPrimaryNicNncps(ctx.kube)).length ? undefined : "no NNCP configures the primary NIC";
    },
    done: () => Promise.resolve(false),
    plan: async (ctx) =>
      (await listPrimaryNicNncps(ctx.kube)).map((n) => ({
        command: `oc delete nncp ${n.metadata.name}`,
        request: `DELETE /apis/nmstate.io/v1/nodenetworkconfigurationpolicies/${n.metadata.name}`,
      })),
    apply: async (ctx) => {
      for (const n of await listPrimaryNicNncps(ctx.kube)) await ctx.kube.delete(R.nncp, n.metadata.name);
    },
    verify: () => Promise.resolve(),
  };
}
