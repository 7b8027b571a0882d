/**
 * preflight against sdn-large beside the documented commands that gather the same facts with kubectl
 * (issue 4 item 7): the egress-router pod query of the live-migration docs, the NetNamespace /
 * EgressNetworkPolicy / HostSubnet listings, nodes, pools, operators and the rest, run one by one as
 * the documentation has an administrator run them.
 */
import type { Sim } from "../sim/sim.ts";
import { PERMISSION_FLAGS } from "../lib/permissions.ts";
import { type Cmd, measure, type Measurement } from "./measure.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;

function kubectl(kubeconfig: string, ...args: string[]): Cmd {
  return { cmd: "kubectl", args: ["--kubeconfig", kubeconfig, ...args] };
}

/** The documented fact-gathering commands (procedures.md §5, §6 step 1–3, §11; product.md §3.1). */
export function documentedCommands(kc: string, jq: boolean): Cmd[] {
  const egressRouterFilter =
    '.items[] | select(.metadata.annotations."pod.network.openshift.io/assign-macvlan" == "true") | {name: .metadata.name, namespace: .metadata.namespace}';
  const multicastFilter =
    '.items[] | select(.metadata.annotations."netnamespace.network.openshift.io/multicast-enabled" == "true") | .metadata.name';
  const pipe = (c: Cmd, filter: string): Cmd => jq ? { ...c, pipeTo: { cmd: "jq", args: ["-r", filter] } } : c;
  return [
    kubectl(kc, "get", "clusterversion", "-o", "json"),
    kubectl(kc, "get", "infrastructure", "cluster", "-o", "json"),
    kubectl(kc, "get", "network.config.openshift.io", "cluster", "-o", "yaml"),
    kubectl(kc, "get", "network.operator.openshift.io", "cluster", "-o", "yaml"),
    kubectl(kc, "get", "co", "-o", "json"),
    kubectl(kc, "get", "nodes", "-o", "json"),
    kubectl(kc, "get", "mcp", "-o", "json"),
    kubectl(kc, "get", "configmap", "-n", "openshift-network-operator", "mtu", "-o", "json"),
    kubectl(kc, "get", "configmap", "-n", "kube-system", "cluster-config-v1", "-o", "json"),
    pipe(kubectl(kc, "get", "pods", "--all-namespaces", "-o", "json"), egressRouterFilter),
    kubectl(kc, "get", "egressnetworkpolicies.network.openshift.io", "-A"),
    kubectl(kc, "get", "netnamespace", "-A"),
    pipe(kubectl(kc, "get", "netnamespace", "-o", "json"), multicastFilter),
    kubectl(kc, "get", "hostsubnets", "-o", "json"),
    kubectl(kc, "get", "daemonsets", "-n", "openshift-sdn", "-o", "json"),
    kubectl(kc, "get", "nncp"),
    kubectl(kc, "get", "network-attachment-definitions", "-A", "-o", "json"),
    kubectl(kc, "get", "pdb", "-A", "-o", "json"),
    kubectl(kc, "get", "validatingwebhookconfigurations", "-o", "json"),
    kubectl(kc, "get", "mutatingwebhookconfigurations", "-o", "json"),
    kubectl(kc, "auth", "can-i", "patch", "networks.operator.openshift.io"),
    kubectl(kc, "auth", "can-i", "patch", "networks.config.openshift.io"),
    kubectl(kc, "auth", "can-i", "create", "pods/exec", "-n", "openshift-machine-config-operator"),
  ];
}

export async function benchPreflight(sim: Sim): Promise<{ preflight: Measurement; kubectl: Measurement }> {
  let jq = true;
  try {
    await new Deno.Command("jq", { args: ["--version"], stdout: "null", stderr: "null" }).output();
  } catch {
    jq = false;
  }
  const preflight = await measure("preflight (oc-ovn-migrate)", sim.requestLog, [{
    cmd: Deno.execPath(),
    args: ["run", ...PERMISSION_FLAGS, MAIN, "preflight", "-o", "json"],
    env: { KUBECONFIG: sim.kubeconfigPath, NO_COLOR: "1" },
  }]);
  const baseline = await measure(
    `documented kubectl commands${jq ? " (+ jq)" : ""}`,
    sim.requestLog,
    documentedCommands(sim.kubeconfigPath, jq),
  );
  return { preflight, kubectl: baseline };
}
