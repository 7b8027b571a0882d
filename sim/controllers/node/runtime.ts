/**
 * Per-simulation state the node-side controllers and `rebootNode` share: pod indexes (by node and by
 * owner), the network plugin each node booted with, pending reboots and machine-config-daemon exec failures.
 * Kept in a WeakMap so several simulations can run in one process.
 */
import type { TimerId } from "../../clock.ts";
import type { Obj, StoreEvent } from "../../store.ts";
import type { SimContext } from "../../types.ts";
import { controllerOf, NETWORK_CONFIG, NETWORK_OPERATOR, PODS } from "./keys.ts";

export const podId = (p: Obj) => `${p.metadata.namespace}/${p.metadata.name}`;

export class NodeRuntime {
  readonly podsByNode = new Map<string, Set<string>>();
  readonly podsByOwner = new Map<string, Set<string>>();
  /** Network type in network.config status when each node last booted. */
  readonly bootNetworkType = new Map<string, string>();
  readonly pendingReboots = new Map<string, TimerId[]>();
  /** Nodes whose reboot is scheduled but has not started shutting down (`shutdown -c` still cancels it). */
  readonly scheduledReboots = new Set<string>();
  readonly mcdFailures = new Map<string, number>();
  #unsubscribe: (() => void) | undefined;

  constructor(readonly ctx: SimContext) {
    for (const p of ctx.store.all(PODS)) this.#index(p);
    this.#unsubscribe = ctx.store.subscribe((e) => this.#onEvent(e));
  }

  #onEvent(e: StoreEvent): void {
    if (e.key !== PODS) return;
    if (e.type === "DELETED") this.#unindex(e.object);
    else if (e.type === "ADDED") this.#index(e.object);
    else {
      const set = this.podsByNode.get(e.object.spec?.nodeName ?? "");
      if (!set?.has(podId(e.object))) this.#index(e.object); // bound after creation
    }
  }

  #index(p: Obj): void {
    const id = podId(p);
    const node = p.spec?.nodeName;
    if (node) add(this.podsByNode, node, id);
    const owner = controllerOf(p)?.uid;
    if (owner) add(this.podsByOwner, owner, id);
  }

  #unindex(p: Obj): void {
    const id = podId(p);
    this.podsByNode.get(p.spec?.nodeName ?? "")?.delete(id);
    const owner = controllerOf(p)?.uid;
    if (owner) this.podsByOwner.get(owner)?.delete(id);
  }

  /** Stored pods on a node. */
  podsOn(node: string): Obj[] {
    return this.#resolve(this.podsByNode.get(node));
  }

  /** Stored pods whose controller has this uid. */
  podsOf(ownerUid: string): Obj[] {
    return this.#resolve(this.podsByOwner.get(ownerUid));
  }

  #resolve(ids: Set<string> | undefined): Obj[] {
    const out: Obj[] = [];
    for (const id of ids ?? []) {
      const i = id.indexOf("/");
      const p = this.ctx.store.get(PODS, id.slice(0, i), id.slice(i + 1));
      if (p) out.push(p);
    }
    return out;
  }

  /** Node's boot plugin differs from the cluster's current one: it has not rebooted since the flip. */
  pluginMismatch(node: string): boolean {
    if (liveMigrationInProgress(this.ctx)) return false; // both CNIs run side by side until each node reboots
    const now = statusNetworkType(this.ctx);
    const booted = this.bootNetworkType.get(node);
    if (!now) return false;
    if (!booted) {
      this.bootNetworkType.set(node, now);
      return false;
    }
    return booted !== now;
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const ids of this.pendingReboots.values()) for (const id of ids) this.ctx.clock.cancel(id);
    this.pendingReboots.clear();
  }
}

function add(m: Map<string, Set<string>>, k: string, v: string): void {
  let s = m.get(k);
  if (!s) m.set(k, s = new Set());
  s.add(v);
}

const runtimes = new WeakMap<SimContext, NodeRuntime>();

export function nodeRuntime(ctx: SimContext): NodeRuntime {
  let r = runtimes.get(ctx);
  if (!r) runtimes.set(ctx, r = new NodeRuntime(ctx));
  return r;
}

export function disposeNodeRuntime(ctx: SimContext): void {
  runtimes.get(ctx)?.dispose();
  runtimes.delete(ctx);
}

/** The plugin the cluster runs now: network.config status.networkType (spec or scenario before CNO wrote it). */
export function statusNetworkType(ctx: SimContext): string {
  const nc = ctx.store.hasDef(NETWORK_CONFIG) ? ctx.store.get(NETWORK_CONFIG, undefined, "cluster") : undefined;
  return nc?.status?.networkType || nc?.spec?.networkType || ctx.scenario.network.type;
}

const LIVE_ANNOTATION = "network.openshift.io/network-type-migration";

/** Limited live migration (cluster-behaviour.md §2): nodes keep a working CNI across the switch. */
export function liveMigrationInProgress(ctx: SimContext): boolean {
  const op = ctx.store.hasDef(NETWORK_OPERATOR) ? ctx.store.get(NETWORK_OPERATOR, undefined, "cluster") : undefined;
  if (op?.spec?.migration?.mode === "Live") return true;
  const nc = ctx.store.hasDef(NETWORK_CONFIG) ? ctx.store.get(NETWORK_CONFIG, undefined, "cluster") : undefined;
  return !!nc?.status?.migration && Object.hasOwn(nc.metadata?.annotations ?? {}, LIVE_ANNOTATION);
}
