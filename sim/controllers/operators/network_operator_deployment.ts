/**
 * The CNO's own Deployment `openshift-network-operator/network-operator`, which the cluster-version operator
 * manages: one hostNetwork replica on a master, serving metrics on port 9104 (cluster-behaviour.md §3).
 * Not on HyperShift, where the CNO runs in the management cluster.
 */
import type { SimContext } from "../../types.ts";
import { K, NS } from "../cno/names.ts";

export function ensureNetworkOperatorDeployment(ctx: SimContext): void {
  const { store } = ctx;
  if (store.get(K.deployment, NS.operator, "network-operator")) return;
  if (!store.get(K.namespace, undefined, NS.operator)) return;
  const infra = store.get(K.infrastructure, undefined, "cluster");
  if (infra?.status?.controlPlaneTopology === "External") return;
  const labels = { name: "network-operator" };
  store.create(K.deployment, {
    metadata: { name: "network-operator", namespace: NS.operator, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      strategy: { type: "Recreate" },
      template: {
        metadata: { labels },
        spec: {
          nodeSelector: { "node-role.kubernetes.io/master": "" },
          tolerations: [{ operator: "Exists" }],
          hostNetwork: true,
          priorityClassName: "system-cluster-critical",
          containers: [{
            name: "network-operator",
            image: "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:" + "c0ffee00".repeat(8),
            command: ["/bin/bash", "-c", "exec /usr/bin/cluster-network-operator start --listen=0.0.0.0:9104"],
            ports: [{ containerPort: 9104, hostPort: 9104, name: "cno", protocol: "TCP" }],
            resources: { requests: { cpu: "10m", memory: "50Mi" } },
          }],
        },
      },
    },
  });
}
