/**
 * DaemonSet and Deployment controllers (ReplicaSet-less: Deployment pods are owned by the Deployment).
 * DaemonSets get one pod per matching node and roll template changes with their maxUnavailable;
 * Deployments keep `replicas` pods on schedulable nodes (evicted pods come back elsewhere). Pods present
 * when the simulation starts are built Running in bulk; later pods are started by the kubelet.
 * All reconciles are batched behind one zero-delay timer.
 */
import type { TimerId } from "../../clock.ts";
import type { Obj, StoreEvent } from "../../store.ts";
import type { Controller, SimContext } from "../../types.ts";
import {
  controllerOf,
  DAEMONSETS,
  DEPLOYMENTS,
  isNodeReady,
  isPodReady,
  matchesNodeSelector,
  matchesSelector,
  NODES,
  PODS,
  REPLICASETS,
} from "./keys.ts";
import { runningStatus } from "./pod_status.ts";
import { type NodeRuntime, nodeRuntime } from "./runtime.ts";
import {
  daemonSetPodName,
  deploymentPodName,
  podFromTemplate,
  scaled,
  templateHash,
  toleratesTaints,
} from "./templates.ts";

/** Pod status changes are reconciled in batches at most this far apart (simulated ms). */
const LAZY_MS = 1000;

interface OwnerRef {
  key: string;
  namespace: string;
  name: string;
}

export class WorkloadsController implements Controller {
  readonly name = "workloads";
  #ctx!: SimContext;
  #rt!: NodeRuntime;
  #unsubscribe?: () => void;
  #timer: TimerId | undefined;
  #timerLazy = false;
  readonly #generations = new Map<string, number>();
  #startup = true;
  readonly #owners = new Map<string, OwnerRef>();
  readonly #pending = new Map<string, OwnerRef>();
  readonly #nodeLabels = new Map<string, string>();
  /** Deployments with pods waiting for a schedulable node. */
  readonly #unscheduled = new Set<string>();
  /** ReplicaSet uid → Deployment uid, for clusters built with ReplicaSets. */
  readonly #replicaSets = new Map<string, string>();
  /** Pod-template hash adopted from a Deployment's existing ReplicaSet pods while its template is unchanged. */
  readonly #adopted = new Map<string, { template: string; hash: string }>();

  start(ctx: SimContext): void {
    this.#ctx = ctx;
    this.#rt = nodeRuntime(ctx);
    for (const n of ctx.store.all(NODES)) {
      this.#nodeLabels.set(n.metadata.name, JSON.stringify(n.metadata.labels ?? {}));
    }
    if (ctx.store.hasDef(REPLICASETS)) { for (const rs of ctx.store.all(REPLICASETS)) this.#mapReplicaSet(rs); }
    for (const dep of ctx.store.all(DEPLOYMENTS)) this.#adopt(dep);
    this.#unsubscribe = ctx.store.subscribe((e) => this.#onEvent(e));
    for (const key of [DAEMONSETS, DEPLOYMENTS]) {
      for (const o of ctx.store.all(key)) {
        this.#track(key, o);
        this.#reconcile(this.#owners.get(o.metadata.uid)!);
      }
    }
    // Objects created in the same turn as the start (the scenario) are part of the steady cluster.
    this.#timer = ctx.clock.after(0, () => this.#flush());
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#ctx?.clock.cancel(this.#timer);
  }

  #mapReplicaSet(rs: Obj): void {
    const owner = controllerOf(rs);
    if (owner?.kind === "Deployment") {
      this.#replicaSets.set(rs.metadata.uid, owner.uid);
      return;
    }
    const dep = this.#ctx.store.all(DEPLOYMENTS, rs.metadata.namespace).find((d) =>
      rs.metadata.name.startsWith(`${d.metadata.name}-`) && matchesSelector(rs.metadata.labels, d.spec?.selector)
    );
    if (dep) this.#replicaSets.set(rs.metadata.uid, dep.metadata.uid);
  }

  /** Existing ReplicaSet pods stay current until the template changes (no rollout at start). */
  #adopt(dep: Obj): void {
    const counts = new Map<string, number>();
    for (const p of this.#deploymentPods(dep.metadata.uid)) {
      const h = p.metadata.labels?.["pod-template-hash"];
      if (h) counts.set(h, (counts.get(h) ?? 0) + 1);
    }
    const best = [...counts].sort((a, b) => b[1] - a[1])[0];
    if (best) {
      this.#adopted.set(dep.metadata.uid, { template: JSON.stringify(dep.spec?.template ?? {}), hash: best[0] });
    }
  }

  #deploymentPods(uid: string): Obj[] {
    const pods = this.#rt.podsOf(uid);
    for (const [rs, dep] of this.#replicaSets) if (dep === uid) pods.push(...this.#rt.podsOf(rs));
    return pods;
  }

  #deploymentHash(dep: Obj): string {
    const a = this.#adopted.get(dep.metadata.uid);
    if (a && a.template === JSON.stringify(dep.spec?.template ?? {})) return a.hash;
    return templateHash(dep.spec?.template);
  }

  #track(key: string, o: Obj): void {
    this.#generations.set(o.metadata.uid, o.metadata.generation);
    this.#owners.set(o.metadata.uid, { key, namespace: o.metadata.namespace, name: o.metadata.name });
  }

  #onEvent(e: StoreEvent): void {
    const o = e.object;
    if (e.key === DAEMONSETS || e.key === DEPLOYMENTS) {
      if (e.type === "DELETED") {
        this.#owners.delete(o.metadata.uid);
        const pods = e.key === DEPLOYMENTS ? this.#deploymentPods(o.metadata.uid) : this.#rt.podsOf(o.metadata.uid);
        for (const p of pods) this.#deletePod(p);
        return;
      }
      // Our own status writes (and metadata-only changes) leave the generation alone: nothing to do.
      if (e.type === "MODIFIED" && this.#generations.get(o.metadata.uid) === o.metadata.generation) return;
      this.#generations.set(o.metadata.uid, o.metadata.generation);
      this.#track(e.key, o);
      this.#queue(o.metadata.uid);
    } else if (e.key === REPLICASETS) {
      if (e.type === "ADDED") this.#mapReplicaSet(o);
    } else if (e.key === PODS) {
      let uid = controllerOf(o)?.uid;
      if (uid && this.#replicaSets.has(uid)) uid = this.#replicaSets.get(uid);
      // Readiness changes only move rollouts and status along: batched up to a simulated second.
      if (uid && this.#owners.has(uid)) this.#queue(uid, e.type === "MODIFIED");
    } else if (e.key === NODES) {
      const name = o.metadata.name;
      const labels = JSON.stringify(o.metadata.labels ?? {});
      if (e.type === "DELETED") {
        this.#nodeLabels.delete(name);
        // The pod garbage collector removes pods bound to a node that no longer exists.
        for (const p of this.#rt.podsOn(name)) this.#deletePod(p);
      } else if (this.#nodeLabels.get(name) !== labels) this.#nodeLabels.set(name, labels);
      else {
        for (const uid of this.#unscheduled) this.#queue(uid);
        return;
      }
      for (const [uid, ref] of this.#owners) if (ref.key === DAEMONSETS) this.#queue(uid);
    }
  }

  #queue(uid: string, lazy = false): void {
    const ref = this.#owners.get(uid);
    if (!ref) return;
    this.#pending.set(uid, ref);
    if (this.#timer !== undefined && (lazy || !this.#timerLazy)) return;
    this.#ctx.clock.cancel(this.#timer);
    this.#timerLazy = lazy;
    this.#timer = this.#ctx.clock.after(lazy ? LAZY_MS : 0, () => this.#flush());
  }

  #flush(): void {
    this.#timer = undefined;
    const batch = [...this.#pending.values()];
    this.#pending.clear();
    for (const ref of batch) this.#reconcile(ref);
    this.#startup = false;
  }

  #reconcile(ref: OwnerRef): void {
    const o = this.#ctx.store.get(ref.key, ref.namespace, ref.name);
    if (!o || o.metadata.deletionTimestamp) return;
    try {
      if (ref.key === DAEMONSETS) this.#reconcileDaemonSet(o);
      else this.#reconcileDeployment(o);
    } catch (e) {
      this.#ctx.log("workloads", `${ref.key} ${ref.namespace}/${ref.name}: ${(e as Error).message}`);
    }
  }

  #createPod(pod: Obj, node: Obj | undefined): void {
    const now = this.#ctx.clock.iso();
    if (this.#startup && node && isNodeReady(node)) pod.status = runningStatus(pod, node, now);
    if (!pod.spec.nodeName) {
      pod.status = {
        phase: "Pending",
        qosClass: "Burstable",
        conditions: [{
          type: "PodScheduled",
          status: "False",
          lastProbeTime: null,
          lastTransitionTime: now,
          reason: "Unschedulable",
          message:
            `0/${this.#nodeLabels.size} nodes are available: ${this.#nodeLabels.size} node(s) were unschedulable.`,
        }],
      };
    }
    this.#ctx.store.create(PODS, pod);
  }

  #deletePod(p: Obj): void {
    try {
      this.#ctx.store.delete(PODS, p.metadata.namespace, p.metadata.name);
    } catch {
      // already gone
    }
  }

  // ---- DaemonSets ----

  #reconcileDaemonSet(ds: Obj): void {
    const hash = templateHash(ds.spec?.template);
    const selector = ds.spec?.template?.spec?.nodeSelector;
    const nodes = this.#ctx.store.all(NODES).filter((n) => matchesNodeSelector(n.metadata.labels, selector));
    const eligible = new Map(nodes.map((n) => [n.metadata.name, n]));
    const byNode = new Map<string, Obj>();
    for (const p of this.#rt.podsOf(ds.metadata.uid)) {
      if (p.metadata.deletionTimestamp) continue;
      const node = p.spec?.nodeName;
      if (!eligible.has(node) || byNode.has(node)) this.#deletePod(p);
      else byNode.set(node, p);
    }
    const labels = {
      "controller-revision-hash": hash,
      "pod-template-generation": String(ds.metadata.generation ?? 1),
    };
    for (const [name, node] of eligible) {
      if (!byNode.has(name)) {
        const pod = podFromTemplate(ds, daemonSetPodName(ds), labels, name);
        this.#createPod(pod, node);
      }
    }
    if ((ds.spec?.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate") {
      const maxUnavailable = Math.max(
        1,
        scaled(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable, eligible.size, 1),
      );
      const pods = this.#rt.podsOf(ds.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
      let unavailable = eligible.size - pods.filter(isPodReady).length;
      const old = pods.filter((p) => p.metadata.labels?.["controller-revision-hash"] !== hash);
      // Old pods that are not ready anyway go first; they cost no availability.
      old.sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b)));
      for (const p of old) {
        const ready = isPodReady(p);
        if (ready && unavailable >= maxUnavailable) break;
        this.#deletePod(p);
        if (ready) unavailable++;
        this.#createPod(
          podFromTemplate(ds, daemonSetPodName(ds), labels, p.spec.nodeName),
          eligible.get(p.spec.nodeName),
        );
      }
    }
    this.#writeDaemonSetStatus(ds, eligible, hash);
  }

  #writeDaemonSetStatus(ds: Obj, eligible: Map<string, Obj>, hash: string): void {
    const pods = this.#rt.podsOf(ds.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
    const scheduled = pods.filter((p) => eligible.has(p.spec?.nodeName));
    const ready = scheduled.filter(isPodReady).length;
    const desired = eligible.size;
    const status: Obj = {
      currentNumberScheduled: scheduled.length,
      desiredNumberScheduled: desired,
      numberMisscheduled: pods.length - scheduled.length,
      numberReady: ready,
      numberAvailable: ready,
      updatedNumberScheduled: scheduled.filter((p) => p.metadata.labels?.["controller-revision-hash"] === hash).length,
      observedGeneration: ds.metadata.generation ?? 1,
    };
    if (desired - ready > 0) status.numberUnavailable = desired - ready;
    this.#writeStatus(DAEMONSETS, ds, status);
  }

  #writeStatus(key: string, o: Obj, status: Obj): void {
    if (JSON.stringify(o.status ?? {}) === JSON.stringify(status)) return;
    this.#ctx.store.mutate(key, o.metadata.namespace, o.metadata.name, (cur) => {
      cur.status = status;
    }, { subresource: "status" });
  }

  // ---- Deployments ----

  #reconcileDeployment(dep: Obj): void {
    const uid = dep.metadata.uid;
    const replicas = dep.spec?.replicas ?? 1;
    const hash = this.#deploymentHash(dep);
    const pods = this.#deploymentPods(uid).filter((p) => !p.metadata.deletionTimestamp);
    const current = pods.filter((p) => p.metadata.labels?.["pod-template-hash"] === hash);
    const old = pods.filter((p) => p.metadata.labels?.["pod-template-hash"] !== hash);
    const recreate = dep.spec?.strategy?.type === "Recreate";
    if (recreate && old.length) {
      for (const p of old) this.#deletePod(p);
      old.length = 0;
    }
    for (const p of current.slice(replicas)) this.#deletePod(p);
    const kept = current.slice(0, replicas);
    for (let i = kept.length; i < replicas; i++) {
      const pod = podFromTemplate(dep, deploymentPodName(dep, hash), { "pod-template-hash": hash });
      const node = this.#pickNode(pod, uid);
      if (node) pod.spec.nodeName = node.metadata.name;
      this.#createPod(pod, node);
      kept.push(pod);
    }
    // Bind pods that were created while no node could take them.
    let waiting = 0;
    for (const p of this.#rt.podsOf(uid)) {
      if (p.spec?.nodeName || p.metadata.deletionTimestamp) continue;
      const node = this.#pickNode(p, uid);
      if (!node) {
        waiting++;
        continue;
      }
      this.#ctx.store.mutate(PODS, p.metadata.namespace, p.metadata.name, (o) => {
        o.spec.nodeName = node.metadata.name;
      });
    }
    if (waiting) this.#unscheduled.add(uid);
    else this.#unscheduled.delete(uid);
    const readyNew =
      this.#deploymentPods(uid).filter((p) =>
        !p.metadata.deletionTimestamp && p.metadata.labels?.["pod-template-hash"] === hash && isPodReady(p)
      ).length;
    if (readyNew >= replicas) { for (const p of old) this.#deletePod(p); }
    this.#writeDeploymentStatus(dep, hash, replicas);
  }

  /** Least-loaded schedulable node for the pod (scheduler shortcut: selector, taints, spread). */
  #pickNode(pod: Obj, ownerUid: string): Obj | undefined {
    const counts = new Map<string, number>();
    for (const p of this.#deploymentPods(ownerUid)) {
      if (p.spec?.nodeName) counts.set(p.spec.nodeName, (counts.get(p.spec.nodeName) ?? 0) + 1);
    }
    let best: Obj | undefined;
    let bestScore = Infinity;
    for (const n of this.#ctx.store.all(NODES)) {
      if (n.spec?.unschedulable || !isNodeReady(n)) continue;
      if (!matchesNodeSelector(n.metadata.labels, pod.spec?.nodeSelector) || !toleratesTaints(pod, n)) continue;
      const preferNot = (n.spec?.taints ?? []).some((t: Obj) => t.effect === "PreferNoSchedule") ? 1e9 : 0;
      const score = preferNot + (counts.get(n.metadata.name) ?? 0) * 1e6 +
        (this.#rt.podsByNode.get(n.metadata.name)?.size ?? 0);
      if (score < bestScore) [best, bestScore] = [n, score];
    }
    return best;
  }

  #writeDeploymentStatus(dep: Obj, hash: string, replicas: number): void {
    const pods = this.#deploymentPods(dep.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
    const ready = pods.filter(isPodReady).length;
    const updated = pods.filter((p) => p.metadata.labels?.["pod-template-hash"] === hash).length;
    const now = this.#ctx.clock.iso();
    const rsName = `${dep.metadata.name}-${hash}`;
    const available = ready >= replicas;
    const complete = available && updated === replicas && pods.length === replicas;
    const prev: Obj[] = dep.status?.conditions ?? [];
    const cond = (type: string, status: boolean, reason: string, message: string) => {
      const old = prev.find((c) => c.type === type);
      const s = status ? "True" : "False";
      const same = old?.status === s && old?.reason === reason;
      return {
        type,
        status: s,
        lastUpdateTime: same ? old.lastUpdateTime : now,
        lastTransitionTime: old?.status === s ? old.lastTransitionTime : now,
        reason,
        message,
      };
    };
    const status: Obj = {
      observedGeneration: dep.metadata.generation ?? 1,
      replicas: pods.length,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: ready,
      conditions: [
        available
          ? cond("Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.")
          : cond("Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
        complete
          ? cond("Progressing", true, "NewReplicaSetAvailable", `ReplicaSet "${rsName}" has successfully progressed.`)
          : cond("Progressing", true, "ReplicaSetUpdated", `ReplicaSet "${rsName}" is progressing.`),
      ],
    };
    if (!ready) delete status.readyReplicas;
    if (!ready) delete status.availableReplicas;
    if (pods.length - ready > 0) status.unavailableReplicas = pods.length - ready;
    this.#writeStatus(DEPLOYMENTS, dep, status);
  }
}
