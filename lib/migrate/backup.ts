/**
 * The backup written before the first change, like the documented `cluster-openshift-sdn.yaml`
 * (procedures.md §5 step 2), of every object a migration changes: the two Network objects, every
 * machine config pool, the SDN egress objects and egress router pods.
 */
import { EGRESS_ROUTER_ANNOTATION } from "../openshift/names.ts";
import { dump } from "js-yaml";
import { isNotFound } from "../kube/errors.ts";
import { R, type ResourceRef } from "../kube/resources.ts";
import type { Kube, KubeObject } from "../kube/types.ts";

interface BackupItem {
  file: string;
  ref: ResourceRef;
  name?: string;
  /** Keep only these objects of a list. */
  filter?: (o: KubeObject) => boolean;
}

const ITEMS: BackupItem[] = [
  { file: "network-config.yaml", ref: R.networkConfig, name: "cluster" },
  { file: "network-operator.yaml", ref: R.networkOperator, name: "cluster" },
  { file: "machineconfigpools.yaml", ref: R.machineConfigPool },
  { file: "hostsubnets.yaml", ref: R.hostSubnet },
  { file: "netnamespaces.yaml", ref: R.netNamespace },
  { file: "egressnetworkpolicies.yaml", ref: R.egressNetworkPolicy },
  { file: "egressips.yaml", ref: R.egressIP },
  { file: "egressfirewalls.yaml", ref: R.egressFirewall },
];

/** Drops what the server owns, so a backup can be re-applied with `oc apply -f`. The one backup cleaner. */
export function clean(o: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = o.metadata as KubeObject["metadata"] & { managedFields?: unknown };
  return { ...o, metadata };
}

async function read(kube: Kube, item: BackupItem): Promise<KubeObject[] | undefined> {
  try {
    if (item.name) {
      const o = await kube.get(item.ref, item.name);
      return o ? [o] : [];
    }
    const all = await kube.list(item.ref);
    return item.filter ? all.filter(item.filter) : all;
  } catch (e) {
    // A resource the cluster does not serve (e.g. k8s.ovn.org before the migration) has nothing to back up.
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Writes the backup into `dir`; returns the files written. */
export async function writeBackup(kube: Kube, dir: string): Promise<string[]> {
  await Deno.mkdir(dir, { recursive: true });
  const written: string[] = [];
  const pods = await kube.listMetadata(R.pod);
  const routers = pods.filter((p) => p.metadata.annotations?.[EGRESS_ROUTER_ANNOTATION] === "true");
  const routerPods = await Promise.all(routers.map((p) => kube.get(R.pod, p.metadata.name, p.metadata.namespace)));
  const lists: [string, KubeObject[] | undefined][] = await Promise.all(
    ITEMS.map(async (item) => [item.file, await read(kube, item)] as [string, KubeObject[] | undefined]),
  );
  lists.push(["egress-router-pods.yaml", routerPods.filter((p) => p !== undefined)]);
  for (const [file, items] of lists) {
    if (items === undefined) continue;
    const doc = items.length === 1 && file.startsWith("network-")
      ? clean(items[0])
      : { apiVersion: "v1", kind: "List", items: items.map(clean) };
    const path = `${dir}/${file}`;
    await Deno.writeTextFile(path, dump(doc, { lineWidth: -1, noRefs: true }));
    written.push(path);
  }
  return written;
}
