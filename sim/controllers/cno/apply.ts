/**
 * Applies rendered objects and deletes those no longer rendered (the status manager's
 * `deleteRelatedObjectsNotRendered`, which never deletes Namespaces — cluster-behaviour.md §0, §1.4, §2.7).
 */
import type { Obj, Store } from "../../store.ts";
import { K } from "./names.ts";
import { RENDERABLE, type Rendered } from "./render.ts";
import { deepEqual } from "./util.ts";

/** Nodes a rendered workload's pods land on (all nodes, or masters for master-only workloads). */
function scheduledNodes(store: Store, obj: Obj): number {
  const sel: Record<string, string> = obj.spec?.template?.spec?.nodeSelector ?? {};
  return store.all(K.node).filter((n) => Object.entries(sel).every(([k, v]) => n.metadata.labels?.[k] === v)).length;
}

/** A status as if the workload had been running for a while: used only when CNO starts on an existing cluster. */
function steadyStatus(store: Store, r: Rendered): Obj | undefined {
  if (r.key === K.daemonSet) {
    const n = scheduledNodes(store, r.obj);
    return {
      observedGeneration: 1,
      desiredNumberScheduled: n,
      currentNumberScheduled: n,
      numberReady: n,
      updatedNumberScheduled: n,
      numberAvailable: n,
      numberMisscheduled: 0,
    };
  }
  if (r.key === K.deployment) {
    const n = r.obj.spec.replicas;
    return {
      observedGeneration: 1,
      replicas: n,
      updatedReplicas: n,
      readyReplicas: n,
      availableReplicas: n,
      conditions: [{ type: "Available", status: "True", reason: "MinimumReplicasAvailable" }],
    };
  }
  return undefined;
}

/** Creates or updates every rendered object; returns how many writes were made. */
export function applyRendered(store: Store, rendered: Rendered[], opts: { steady: boolean }): number {
  let writes = 0;
  for (const r of rendered) {
    const cur = store.get(r.key, r.namespace, r.name);
    if (r.key === K.namespace) {
      if (!cur) {
        store.create(r.key, r.obj);
        writes++;
      }
      continue;
    }
    if (!cur) {
      const status = opts.steady ? steadyStatus(store, r) : undefined;
      store.create(r.key, status ? { ...r.obj, status } : r.obj);
      writes++;
      continue;
    }
    const body = r.key === K.configMap ? { data: r.obj.data } : { spec: r.obj.spec };
    const curBody = r.key === K.configMap ? { data: cur.data } : { spec: cur.spec };
    const labelsOk = Object.entries(r.obj.metadata.labels ?? {}).every(([k, v]) => cur.metadata.labels?.[k] === v);
    if (deepEqual(body, pick(curBody, body)) && labelsOk) continue;
    store.mutate(r.key, r.namespace, r.name, (o) => {
      o.metadata.labels = { ...(o.metadata.labels ?? {}), ...(r.obj.metadata.labels ?? {}) };
      if (r.key === K.configMap) o.data = r.obj.data;
      else o.spec = { ...o.spec, ...r.obj.spec };
    });
    writes++;
  }
  return writes;
}

/** The parts of `cur` that `want` specifies (defaults added by others to other fields are ignored). */
function pick(cur: Obj, want: Obj): Obj {
  const out: Obj = {};
  for (const k of Object.keys(want)) {
    const c = cur?.[k], w = want[k];
    out[k] = w && typeof w === "object" && !Array.isArray(w) && c && typeof c === "object" ? pick(c, w) : c;
  }
  return out;
}

/** Deletes the CNI objects CNO rendered before but no longer renders; namespaces stay. */
export function deleteNotRendered(store: Store, rendered: Rendered[]): string[] {
  const want = new Set(rendered.map((r) => `${r.key}/${r.namespace ?? ""}/${r.name}`));
  const deleted: string[] = [];
  for (const r of RENDERABLE) {
    if (want.has(`${r.key}/${r.namespace}/${r.name}`)) continue;
    const cur = store.get(r.key, r.namespace, r.name);
    if (!cur || cur.metadata.deletionTimestamp) continue;
    store.delete(r.key, r.namespace, r.name);
    deleted.push(`${r.namespace}/${r.name}`);
  }
  return deleted;
}
