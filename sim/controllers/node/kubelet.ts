/**
 * The kubelets and the node lifecycle controller: nodes post Ready, pods bound to a node start (Running,
 * Ready) after a short delay, go not ready while their node is down and restart when it comes back.
 * Plugin mismatch (procedures.md §5 "reboot the node if pods error"): on a node that has not rebooted since
 * network.config status.networkType changed, new non-hostNetwork pods never get a sandbox and existing ones
 * crash-loop, until the node reboots.
 */
import type { TimerId } from "../../clock.ts";
import type { Obj, StoreEvent } from "../../store.ts";
import type { Controller, SimContext } from "../../types.ts";
import { recordEvent } from "./events.ts";
import { controllerOf, isNodeReady, isPodReady, NETWORK_CONFIG, NODES, PODS } from "./keys.ts";
import { newBootId, withReady } from "./node_status.ts";
import {
  brokenStatus,
  crashLoopStatus,
  notReadyStatus,
  pendingStatus,
  runningStatus,
  sandboxError,
  sandboxFailedStatus,
} from "./pod_status.ts";
import { disposeNodeRuntime, type NodeRuntime, nodeRuntime, podId, statusNetworkType } from "./runtime.ts";

/** Simulated seconds after the plugin changes before pods on un-rebooted nodes fail their probes. */
const BREAK_AFTER_SECONDS = 30;

/** Bound to a node and never started by a kubelet (no status yet, or only the scheduler's). */
function needsStart(p: Obj): boolean {
  if (!p.spec?.nodeName || p.metadata.deletionTimestamp) return false;
  return !p.status?.phase || (p.status.phase === "Pending" && !p.status.containerStatuses);
}

/** Created already bound with a "ContainerCreating" status (controllers save a write that way). */
function createdCreating(p: Obj): boolean {
  if (!p.spec?.nodeName || p.metadata.deletionTimestamp || p.status?.phase !== "Pending") return false;
  return (p.status.containerStatuses ?? []).every((c: Obj) => c.state?.waiting?.reason === "ContainerCreating") &&
    !(p.status.conditions ?? []).some((c: Obj) => c.reason === "FailedCreatePodSandBox");
}

export class KubeletController implements Controller {
  readonly name = "kubelet";
  #ctx!: SimContext;
  #rt!: NodeRuntime;
  #unsubscribe?: () => void;
  readonly #wasReady = new Map<string, boolean>();
  readonly #startBatches = new Map<number, { timer: TimerId | undefined; pods: Set<string> }>();
  #breakTimer: TimerId | undefined;
  #networkType = "";

  start(ctx: SimContext): void {
    this.#ctx = ctx;
    this.#rt = nodeRuntime(ctx);
    this.#networkType = statusNetworkType(ctx);
    for (const n of ctx.store.all(NODES)) this.#initNode(n);
    for (const p of ctx.store.all(PODS)) {
      if (needsStart(p)) this.#startPod(p, true);
    }
    this.#unsubscribe = ctx.store.subscribe((e) => this.#onEvent(e));
  }

  stop(): void {
    this.#unsubscribe?.();
    for (const b of this.#startBatches.values()) this.#ctx?.clock.cancel(b.timer);
    this.#startBatches.clear();
    this.#ctx?.clock.cancel(this.#breakTimer);
    if (this.#ctx) disposeNodeRuntime(this.#ctx);
  }

  #onEvent(e: StoreEvent): void {
    if (e.key === PODS) {
      const p = e.object;
      if (e.type === "ADDED" && createdCreating(p)) this.#scheduleStart(p);
      else if (e.type !== "DELETED" && needsStart(p)) this.#startPod(p, false);
    } else if (e.key === NODES) {
      if (e.type === "ADDED") this.#initNode(e.object);
      else if (e.type === "DELETED") this.#wasReady.delete(e.object.metadata.name);
      else this.#onNodeChange(e.object);
    } else if (e.key === NETWORK_CONFIG && e.type !== "DELETED") {
      const now = statusNetworkType(this.#ctx);
      if (now !== this.#networkType) {
        this.#networkType = now;
        this.#ctx.clock.cancel(this.#breakTimer);
        this.#breakTimer = this.#ctx.clock.after(BREAK_AFTER_SECONDS * 1000, () => this.#breakMismatchedPods());
      }
    }
  }

  #initNode(n: Obj): void {
    const name = n.metadata.name;
    if (!this.#rt.bootNetworkType.has(name)) this.#rt.bootNetworkType.set(name, statusNetworkType(this.#ctx));
    const hasReady = (n.status?.conditions ?? []).some((c: Obj) => c.type === "Ready");
    if (!hasReady || !n.status?.nodeInfo?.bootID) {
      n = this.#ctx.store.mutate(NODES, undefined, name, (o) => {
        if (!hasReady) o.status = withReady(o.status, "ready", this.#ctx.clock.iso());
        o.status.nodeInfo = { ...(o.status.nodeInfo ?? {}), bootID: o.status.nodeInfo?.bootID || newBootId() };
      }, { subresource: "status" });
    }
    this.#wasReady.set(name, isNodeReady(n));
  }

  #onNodeChange(n: Obj): void {
    const name = n.metadata.name;
    const ready = isNodeReady(n);
    if (this.#wasReady.get(name) === ready) return;
    this.#wasReady.set(name, ready);
    const now = this.#ctx.clock.iso();
    for (const p of this.#rt.podsOn(name)) {
      if (p.metadata.deletionTimestamp) continue;
      if (!ready) {
        if (isPodReady(p)) this.#writeStatus(p, notReadyStatus(p, now));
      } else this.#restartPod(p, n);
    }
  }

  /** The node is back: every pod on it starts again (or fails, if the node still runs the old plugin). */
  #restartPod(p: Obj, node: Obj): void {
    const now = this.#ctx.clock.iso();
    const broken = !p.spec?.hostNetwork && this.#rt.pluginMismatch(node.metadata.name);
    if (!broken) this.#writeStatus(p, runningStatus(p, node, now, p.status?.phase === "Running"));
    else if (p.status?.phase === "Running") this.#writeStatus(p, brokenStatus(p, now, this.#networkType));
    else this.#failSandbox(p, node);
  }

  #startPod(p: Obj, steady: boolean): void {
    const node = this.#ctx.store.get(NODES, undefined, p.spec.nodeName);
    const now = this.#ctx.clock.iso();
    if (steady && isNodeReady(node)) {
      this.#writeStatus(p, runningStatus(p, node, now));
      return;
    }
    this.#writeStatus(p, pendingStatus(p, node, now));
    this.#scheduleStart(p);
  }

  #scheduleStart(p: Obj): void {
    const t = this.#ctx.scenario.timings;
    const delay = controllerOf(p)?.kind === "Deployment" ? t.deploymentSeconds : t.daemonSetPodSeconds;
    const due = Math.ceil(this.#ctx.clock.now() / 1000 + delay);
    let batch = this.#startBatches.get(due);
    if (!batch) {
      const b = { timer: undefined as TimerId | undefined, pods: new Set<string>() };
      b.timer = this.#ctx.clock.after(due * 1000 - this.#ctx.clock.now(), () => {
        this.#startBatches.delete(due);
        for (const id of b.pods) this.#finishStart(id);
      });
      this.#startBatches.set(due, batch = b);
    }
    batch.pods.add(podId(p));
  }

  #finishStart(id: string): void {
    const i = id.indexOf("/");
    const p = this.#ctx.store.get(PODS, id.slice(0, i), id.slice(i + 1));
    if (!p || p.metadata.deletionTimestamp || p.status?.phase !== "Pending") return;
    const node = this.#ctx.store.get(NODES, undefined, p.spec.nodeName);
    if (!isNodeReady(node)) return; // starts when the node comes back
    if (!p.spec?.hostNetwork && this.#rt.pluginMismatch(p.spec.nodeName)) this.#failSandbox(p, node!);
    else this.#writeStatus(p, runningStatus(p, node, this.#ctx.clock.iso()));
  }

  #failSandbox(p: Obj, node: Obj): void {
    const failed = sandboxFailedStatus(p, node, this.#ctx.clock.iso(), this.#networkType);
    this.#writeStatus(p, failed);
    recordEvent(this.#ctx, p, "Warning", "FailedCreatePodSandBox", sandboxError(p, this.#networkType), "kubelet");
  }

  #breakMismatchedPods(): void {
    const now = this.#ctx.clock.iso();
    for (const n of this.#ctx.store.all(NODES)) {
      if (!isNodeReady(n) || !this.#rt.pluginMismatch(n.metadata.name)) continue;
      for (const p of this.#rt.podsOn(n.metadata.name)) {
        if (p.spec?.hostNetwork || p.metadata.deletionTimestamp || p.status?.phase !== "Running") continue;
        if (isPodReady(p)) this.#writeStatus(p, brokenStatus(p, now, this.#networkType));
      }
    }
  }

  #writeStatus(p: Obj, status: Obj): void {
    // faults.crashLoopPods: the container fails as soon as it starts, whatever the node's plugin.
    if (status.phase === "Running" && this.#ctx.scenario.faults.crashLoopPods.includes(podId(p))) {
      status = crashLoopStatus({ ...p, status }, this.#ctx.clock.iso());
    }
    try {
      this.#ctx.store.update(PODS, { ...p, metadata: { ...p.metadata, resourceVersion: undefined }, status }, {
        subresource: "status",
      });
    } catch (e) {
      this.#ctx.log("kubelet", `pod ${podId(p)}: ${(e as Error).message}`);
    }
  }
}
