/** Pods built from a workload's pod template, as the DaemonSet and ReplicaSet controllers build them. */
import { createHash } from "node:crypto";
import type { Obj } from "../../store.ts";
import { randomSuffix } from "./keys.ts";

/** Short stable hash of a pod template (controller-revision-hash / pod-template-hash). */
export function templateHash(template: Obj | undefined): string {
  return createHash("md5").update(JSON.stringify(template ?? {})).digest("hex").slice(0, 10);
}

const DEFAULT_IMAGE = "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:" + "0".repeat(64);

export function podFromTemplate(owner: Obj, name: string, extraLabels: Record<string, string>, nodeName?: string) {
  const t = owner.spec?.template ?? {};
  const spec: Obj = structuredClone(t.spec ?? {});
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) {
    spec.containers = [{ name: owner.metadata.name, image: DEFAULT_IMAGE }];
  }
  spec.restartPolicy ??= "Always";
  spec.schedulerName ??= "default-scheduler";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.serviceAccountName ??= spec.serviceAccount ?? "default";
  if (nodeName) spec.nodeName = nodeName;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: owner.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}), ...extraLabels },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ownerReferences: [{
        apiVersion: "apps/v1",
        kind: owner.kind,
        name: owner.metadata.name,
        uid: owner.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      }],
    },
    spec,
  } as Obj;
}

export function daemonSetPodName(ds: Obj): string {
  return `${ds.metadata.name}-${randomSuffix()}`;
}

export function deploymentPodName(dep: Obj, hash: string): string {
  return `${dep.metadata.name}-${hash}-${randomSuffix()}`;
}

/** int-or-percent scaled against a total (percent rounded up, as the DaemonSet controller does). */
export function scaled(v: number | string | undefined, total: number, fallback: number, roundUp = true): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v === "number") return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number(v) || fallback;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** The node taints (NoSchedule/NoExecute) the pod does not tolerate. */
export function toleratesTaints(pod: Obj, node: Obj): boolean {
  const tolerations: Obj[] = pod.spec?.tolerations ?? [];
  return (node.spec?.taints ?? []).every((t: Obj) => {
    if (t.effect === "PreferNoSchedule") return true;
    return tolerations.some((tol) =>
      (!tol.effect || tol.effect === t.effect) &&
      (tol.operator === "Exists"
        ? (!tol.key || tol.key === t.key)
        : tol.key === t.key && (tol.value ?? "") === (t.value ?? ""))
    );
  });
}
