/** Resource keys and small object predicates the node-side controllers share. */
import type { Obj } from "../../store.ts";

export const NODES = "core/nodes";
export const PODS = "core/pods";
export const EVENTS = "core/events";
export const DAEMONSETS = "apps/daemonsets";
export const DEPLOYMENTS = "apps/deployments";
export const REPLICASETS = "apps/replicasets";
export const PDBS = "policy/poddisruptionbudgets";
export const NETWORK_CONFIG = "config.openshift.io/networks";
export const NETWORK_OPERATOR = "operator.openshift.io/networks";

export const MCD_NAMESPACE = "openshift-machine-config-operator";
export const MCD_DAEMONSET = "machine-config-daemon";

export function isNodeReady(node: Obj | undefined): boolean {
  const c = (node?.status?.conditions ?? []).find((x: Obj) => x.type === "Ready");
  return c?.status === "True";
}

export function bootId(node: Obj | undefined): string {
  return node?.status?.nodeInfo?.bootID ?? "";
}

export function controllerOf(o: Obj): Obj | undefined {
  return (o.metadata?.ownerReferences ?? []).find((r: Obj) => r.controller);
}

export function isDaemonSetPod(pod: Obj): boolean {
  return controllerOf(pod)?.kind === "DaemonSet";
}

export function isPodReady(pod: Obj): boolean {
  return (pod.status?.conditions ?? []).some((c: Obj) => c.type === "Ready" && c.status === "True");
}

/** Matches a metav1.LabelSelector (matchLabels + matchExpressions); an empty selector matches everything. */
export function matchesSelector(labels: Record<string, string> | undefined, sel: Obj | undefined): boolean {
  const l = labels ?? {};
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(l, e.key);
    const values: string[] = e.values ?? [];
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(l[e.key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(l[e.key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
    }
  }
  return true;
}

/** Matches a plain `nodeSelector` map. */
export function matchesNodeSelector(
  labels: Record<string, string> | undefined,
  sel: Record<string, string> | undefined,
) {
  const l = labels ?? {};
  return Object.entries(sel ?? {}).every(([k, v]) => l[k] === v);
}

const ALNUM = "bcdfghjklmnpqrstvwxz2456789";

/** The random suffix Kubernetes generators use (`<name>-x7k2p`). */
export function randomSuffix(n = 5): string {
  let s = "";
  for (let i = 0; i < n; i++) s += ALNUM[Math.floor(Math.random() * ALNUM.length)];
  return s;
}
