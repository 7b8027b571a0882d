/**
 * The MCO drain controller's drain: evicts every pod on the node except DaemonSet and mirror pods,
 * honouring PodDisruptionBudgets the way the eviction API does (cluster-behaviour.md §5 step 3).
 */
import type { Obj } from "../../store.ts";
import type { SimContext } from "../../types.ts";
import {
  controllerOf,
  isDaemonSetPod,
  isNodeReady,
  isPodReady,
  matchesSelector,
  NODES,
  PDBS,
  PODS,
  randomSuffix,
} from "../node/keys.ts";
import { pendingStatus } from "../node/pod_status.ts";
import { toleratesTaints } from "../node/templates.ts";
import { nodeRuntime } from "../node/runtime.ts";

function scaledBudget(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === "number") return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number(v) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** Disruptions the budget still allows (the eviction API's check). */
export function disruptionsAllowed(ctx: SimContext, pdb: Obj): number {
  const pods = ctx.store.all(PODS, pdb.metadata.namespace)
    .filter((p) => !p.metadata.deletionTimestamp && matchesSelector(p.metadata.labels, pdb.spec?.selector));
  const expected = pods.length;
  const healthy = pods.filter(isPodReady).length;
  if (pdb.spec?.maxUnavailable !== undefined) {
    return scaledBudget(pdb.spec.maxUnavailable, expected, true) - (expected - healthy);
  }
  if (pdb.spec?.minAvailable !== undefined) return healthy - scaledBudget(pdb.spec.minAvailable, expected, true);
  return 1;
}

/** `<deployment>-<pod-template-hash>-<suffix>`: a pod some ReplicaSet would recreate. */
const REPLICA_NAME = /^(.+-[a-z0-9]{8,10})-[a-z0-9]{5}$/;

/**
 * Generated bulk pods carry no ownerReferences but stand for ReplicaSet replicas: after eviction a replacement
 * lands on another schedulable node, so pod counts survive a rollout. StatefulSet pods come back by name.
 */
function recreateElsewhere(ctx: SimContext, pod: Obj, targets: Obj[], i: number, sameName = false): void {
  // A StatefulSet recreates its pod under the same name (prometheus-k8s-0 comes back after a drain).
  const m = sameName ? [pod.metadata.name, undefined] : REPLICA_NAME.exec(pod.metadata.name);
  if (!m || !targets.length) return;
  const node = targets[i % targets.length];
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, generation: _g, ...meta } = pod.metadata;
  try {
    const replica: Obj = {
      metadata: { ...meta, name: sameName ? pod.metadata.name : `${m[1]}-${randomSuffix()}` },
      spec: { ...pod.spec, nodeName: node.metadata.name },
    };
    replica.status = pendingStatus(replica, node, ctx.clock.iso());
    ctx.store.create(PODS, replica);
  } catch {
    // a name clash or a terminating namespace: the replica is simply not replaced
  }
}

const placementCache = new WeakMap<SimContext, { at: number; nodes: Obj[] }>();

/**
 * Nodes a replacement may land on; those without PreferNoSchedule taints (already updated) when there are any.
 * The list for toleration-free pods is reused for a few simulated seconds: a large drain wave asks thousands
 * of times.
 */
function schedulable(ctx: SimContext, exclude: string, pod: Obj): Obj[] {
  const simple = !(pod.spec?.tolerations ?? []).length;
  const cached = placementCache.get(ctx);
  let ok: Obj[];
  if (simple && cached && ctx.clock.now() - cached.at < 5000) ok = cached.nodes;
  else {
    ok = ctx.store.all(NODES).filter((n) => !n.spec?.unschedulable && isNodeReady(n) && toleratesTaints(pod, n));
    if (simple) placementCache.set(ctx, { at: ctx.clock.now(), nodes: ok });
  }
  ok = ok.filter((n) => n.metadata.name !== exclude);
  const preferred = ok.filter((n) => !(n.spec?.taints ?? []).some((t: Obj) => t.effect === "PreferNoSchedule"));
  return preferred.length ? preferred : ok;
}

/** Evicts what it can; returns the first eviction error (the node stays in drain), or undefined when done. */
export function drainNode(ctx: SimContext, nodeName: string): string | undefined {
  const hasPdbs = ctx.store.hasDef(PDBS);
  let blocked: string | undefined;
  let targets: Obj[] | undefined;
  let placed = Math.floor(Math.random() * 1000);
  for (const pod of nodeRuntime(ctx).podsOn(nodeName)) {
    if (pod.metadata.deletionTimestamp || isDaemonSetPod(pod)) continue;
    if (pod.metadata.annotations?.["kubernetes.io/config.mirror"]) continue;
    const budgets = hasPdbs
      ? ctx.store.all(PDBS, pod.metadata.namespace).filter((b) =>
        matchesSelector(pod.metadata.labels, b.spec?.selector)
      )
      : [];
    if (budgets.some((b) => disruptionsAllowed(ctx, b) < 1)) {
      blocked ??= `error when evicting pods/${JSON.stringify(pod.metadata.name)} -n ${
        JSON.stringify(pod.metadata.namespace)
      } (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`;
      continue;
    }
    try {
      ctx.store.delete(PODS, pod.metadata.namespace, pod.metadata.name);
    } catch {
      continue; // already gone
    }
    const owner = controllerOf(pod);
    if (!owner || owner.kind === "StatefulSet") {
      targets ??= schedulable(ctx, nodeName, pod);
      recreateElsewhere(ctx, pod, targets, placed++, owner?.kind === "StatefulSet");
    }
  }
  return blocked;
}
