/**
 * Rollout state of the rendered workloads, as the status manager reports it on Progressing
 * (`statusmanager/pod_status.go: SetFromPods`, cluster-behaviour.md §1.4), and the DaemonSet readiness
 * the live-migration conditions use (`isMigrationCNIReady`, §2.3).
 */
import type { Obj, Store } from "../../store.ts";
import { K } from "./names.ts";
import type { Rendered } from "./render.ts";

/** One "… is not available (awaiting N nodes)"-style line per workload that is not at level. */
export function progressingMessages(store: Store, rendered: Rendered[]): string[] {
  const out: string[] = [];
  for (const r of rendered) {
    if (r.key !== K.daemonSet && r.key !== K.deployment) continue;
    const kind = r.key === K.daemonSet ? "DaemonSet" : "Deployment";
    const name = `/${r.namespace}/${r.name}`;
    const o = store.get(r.key, r.namespace, r.name);
    if (!o) {
      out.push(`Waiting for ${kind} "${name}" to be created`);
      continue;
    }
    const msg = r.key === K.daemonSet ? daemonSetProgress(o, name) : deploymentProgress(o, name);
    if (msg) out.push(msg);
  }
  return out;
}

function daemonSetProgress(ds: Obj, name: string): string | undefined {
  const s = ds.status ?? {};
  const desired = s.desiredNumberScheduled ?? 0;
  const unavailable = s.numberUnavailable ?? Math.max(0, desired - (s.numberAvailable ?? 0));
  if ((s.observedGeneration ?? 0) < (ds.metadata.generation ?? 1) && s.observedGeneration !== undefined) {
    return `DaemonSet "${name}" update is being processed (generation ${ds.metadata.generation}, observed generation ${s.observedGeneration})`;
  }
  if (s.observedGeneration === undefined) return `DaemonSet "${name}" is not yet scheduled on any nodes`;
  if ((s.updatedNumberScheduled ?? 0) < desired) {
    return `DaemonSet "${name}" update is rolling out (${s.updatedNumberScheduled ?? 0} out of ${desired} updated)`;
  }
  if (unavailable > 0) return `DaemonSet "${name}" is not available (awaiting ${unavailable} nodes)`;
  if ((s.numberAvailable ?? 0) === 0 && desired !== 0) return `DaemonSet "${name}" is not yet scheduled on any nodes`;
  return undefined;
}

function deploymentProgress(d: Obj, name: string): string | undefined {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  if (s.observedGeneration === undefined || s.observedGeneration < (d.metadata.generation ?? 1)) {
    return `Deployment "${name}" update is being processed (generation ${d.metadata.generation}, observed generation ${
      s.observedGeneration ?? 0
    })`;
  }
  if ((s.updatedReplicas ?? 0) < want) {
    return `Deployment "${name}" update is rolling out (${s.updatedReplicas ?? 0} out of ${want} updated)`;
  }
  const unavailable = s.unavailableReplicas ?? Math.max(0, want - (s.availableReplicas ?? 0));
  if (unavailable > 0) return `Deployment "${name}" is not available (awaiting ${unavailable} nodes)`;
  return undefined;
}

/** A DaemonSet that is fully rolled out and ready (the check of `isMigrationCNIReady`). */
export function daemonSetReady(ds: Obj): boolean {
  const s = ds.status ?? {};
  const desired = s.desiredNumberScheduled;
  if (desired === undefined) return false;
  return s.currentNumberScheduled === desired && s.numberAvailable === desired && s.numberReady === desired &&
    s.updatedNumberScheduled === desired;
}

/** A rollout with no status change for this long is hung (`statusmanager` ProgressTimeout). */
export const PROGRESS_TIMEOUT_MS = 10 * 60_000;

/** Remembers when each unfinished rollout last changed, to report Degraded RolloutHung (§1.4). */
export class HungRollouts {
  readonly #last = new Map<string, { status: string; since: number }>();

  /** The RolloutHung message lines for rendered workloads that are not at level and stopped changing. */
  check(store: Store, rendered: Rendered[], now: number): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const r of rendered) {
      if (r.key !== K.daemonSet && r.key !== K.deployment) continue;
      const id = `/${r.namespace}/${r.name}`;
      const o = store.get(r.key, r.namespace, r.name);
      const kind = r.key === K.daemonSet ? "DaemonSet" : "Deployment";
      const atLevel = o && !(r.key === K.daemonSet ? daemonSetProgress(o, id) : deploymentProgress(o, id));
      if (!o || atLevel) continue;
      seen.add(id);
      const status = JSON.stringify(o.status ?? {});
      const prev = this.#last.get(id);
      if (!prev || prev.status !== status) {
        this.#last.set(id, { status, since: now });
        continue;
      }
      if (now - prev.since > PROGRESS_TIMEOUT_MS) {
        const when = new Date(prev.since).toISOString().replace(/\.\d{3}Z$/, "Z");
        out.push(`${kind} "${id}" rollout is not making progress - last change ${when}`);
      }
    }
    for (const id of [...this.#last.keys()]) if (!seen.has(id)) this.#last.delete(id);
    return out;
  }
}
