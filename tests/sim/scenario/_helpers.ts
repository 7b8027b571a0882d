/** Shared helpers for the scenario tests: build a scenario into a fresh simulated cluster. */
import { newSimContext } from "../../../sim/context.ts";
import { buildCluster } from "../../../sim/scenario/build.ts";
import { loadScenario } from "../../../sim/scenario/load.ts";
import type { Obj } from "../../../sim/store.ts";
import type { SimContext } from "../../../sim/types.ts";

export async function built(name: string): Promise<SimContext> {
  const ctx = newSimContext(await loadScenario(name));
  try {
    buildCluster(ctx);
  } finally {
    ctx.clock.stop();
  }
  return ctx;
}

export const get = (ctx: SimContext, key: string, namespace: string | undefined, name: string): Obj =>
  ctx.store.mustGet(key, namespace, name);

export const K = {
  namespace: "core/namespaces",
  node: "core/nodes",
  pod: "core/pods",
  configMap: "core/configmaps",
  daemonSet: "apps/daemonsets",
  infrastructure: "config.openshift.io/infrastructures",
  clusterVersion: "config.openshift.io/clusterversions",
  clusterOperator: "config.openshift.io/clusteroperators",
  networkConfig: "config.openshift.io/networks",
  networkOperator: "operator.openshift.io/networks",
  pool: "machineconfiguration.openshift.io/machineconfigpools",
  hostSubnet: "network.openshift.io/hostsubnets",
  netNamespace: "network.openshift.io/netnamespaces",
  egressNetworkPolicy: "network.openshift.io/egressnetworkpolicies",
  nncp: "nmstate.io/nodenetworkconfigurationpolicies",
  nad: "k8s.cni.cncf.io/network-attachment-definitions",
  pdb: "policy/poddisruptionbudgets",
  vwc: "admissionregistration.k8s.io/validatingwebhookconfigurations",
  cloudPrivateIP: "cloud.network.openshift.io/cloudprivateipconfigs",
} as const;
