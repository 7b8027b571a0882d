/**
 * MCO node controller + machine-config-daemon + drain controller, per pool (cluster-behaviour.md §5):
 * picks candidates within maxUnavailable (none for a paused pool), then walks each node through
 * desiredConfig → Working → desiredDrain drain-… → cordon/evict → lastAppliedDrain → Rebooting → reboot
 * (new bootID) → uncordon → currentConfig, Done. Writes pool status after every change.
 */
import type { TimerId } from "../../clock.ts";
import type { Obj, StoreEvent } from "../../store.ts";
import type { Controller, SimContext } from "../../types.ts";
import { recordEvent } from "../node/events.ts";
import { bootId, isNodeReady, NODES } from "../node/keys.ts";
import { rebootNode } from "../node/reboot.ts";
import { drainNode } from "./drain.ts";
import {
  CONTROL_PLANE_TOPOLOGY,
  CURRENT_CONFIG,
  DESIRED_CONFIG,
  DESIRED_DRAIN,
  LAST_APPLIED_DRAIN,
  POOLS,
  POST_CONFIG_ACTION,
  REASON,
  STATE,
  UNSCHEDULABLE_TAINT_KEY,
  UPDATE_TAINT,
} from "./keys.ts";
import {
  currentConfig,
  desiredConfig,
  isDegraded,
  isNodeUnavailable,
  maxUnavailable,
  nodeState,
  poolNodes,
  poolOfNode,
  poolStatus,
} from "./pools.ts";

const hasUpdateTaint = (n: Obj) => (n.spec?.taints ?? []).some((t: Obj) => t.key === UPDATE_TAINT.key);

/** Simulated seconds between the small steps of one node's update (annotation writes). */
const STEP_SECONDS = 1;

interface Job {
  node: string;
  pool: string;
  target: string;
  phase: "running" | "booting" | "done";
  bootBefore?: string;
  timer?: TimerId;
}

export class NodeUpdateController implements Controller {
  readonly name = "machine-config-controller-node";
  #ctx!: SimContext;
  #unsubscribe?: () => void;
  #timer: TimerId | undefined;
  readonly #pending = new Set<string>();
  readonly #jobs = new Map<string, Job>();
  readonly #faultUsed = new Set<string>();
  readonly #poolGenerations = new Map<string, number>();
  /** When each pool's current target was first seen (timings.mcoStartSeconds grace before targeting nodes). */
  readonly #targetSeen = new Map<string, { target: string; at: number; timer?: TimerId }>();

  start(ctx: SimContext): void {
    this.#ctx = ctx;
    if (!ctx.store.hasDef(POOLS)) return;
    const pools = ctx.store.all(POOLS);
    for (const n of ctx.store.all(NODES)) this.#initNode(n, pools);
    for (const spec of ctx.scenario.pools) {
      const pool = pools.find((p) => p.metadata.name === spec.name);
      if (!pool || !spec.degradedReason) continue;
      const first = this.#nodesOf(pool).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))[0];
      if (first) this.#annotate(first.metadata.name, { [STATE]: "Degraded", [REASON]: spec.degradedReason });
    }
    for (const p of ctx.store.all(POOLS)) {
      this.#poolGenerations.set(p.metadata.name, p.metadata.generation);
      this.#targetSeen.set(p.metadata.name, { target: p.spec?.configuration?.name ?? "", at: -Infinity });
      this.#sync(p.metadata.name);
    }
    this.#unsubscribe = ctx.store.subscribe((e) => this.#onEvent(e));
  }

  stop(): void {
    this.#unsubscribe?.();
    if (!this.#ctx) return;
    this.#ctx.clock.cancel(this.#timer);
    for (const j of this.#jobs.values()) this.#ctx.clock.cancel(j.timer);
    this.#jobs.clear();
    for (const t of this.#targetSeen.values()) this.#ctx.clock.cancel(t.timer);
  }

  #nodesOf(pool: Obj): Obj[] {
    return poolNodes(pool, this.#ctx.store.all(NODES), this.#ctx.store.all(POOLS));
  }

  /** A node the MCO has never seen is at its pool's current config (the cluster starts steady). */
  #initNode(n: Obj, pools: Obj[]): void {
    const pool = poolOfNode(n, pools);
    const target = pool?.spec?.configuration?.name;
    if (!target || currentConfig(n)) return;
    this.#annotate(n.metadata.name, {
      [CURRENT_CONFIG]: target,
      [DESIRED_CONFIG]: target,
      [STATE]: "Done",
      [REASON]: "",
      [DESIRED_DRAIN]: `uncordon-${target}`,
      [LAST_APPLIED_DRAIN]: `uncordon-${target}`,
      [CONTROL_PLANE_TOPOLOGY]: this.#ctx.scenario.controlPlaneTopology,
    });
  }

  #onEvent(e: StoreEvent): void {
    if (e.key === POOLS) {
      // Our own status writes leave the generation alone.
      const p = e.object;
      const gen = this.#poolGenerations.get(p.metadata.name);
      this.#poolGenerations.set(p.metadata.name, p.metadata.generation);
      if (e.type === "DELETED" || (e.type === "MODIFIED" && gen === p.metadata.generation)) return;
      this.#queue(p.metadata.name);
    } else if (e.key === NODES) {
      const n = e.object;
      if (e.type === "DELETED") {
        const j = this.#jobs.get(n.metadata.name);
        if (j) this.#ctx.clock.cancel(j.timer);
        this.#jobs.delete(n.metadata.name);
      }
      const pools = this.#ctx.store.all(POOLS);
      if (e.type === "ADDED") this.#initNode(n, pools);
      const job = this.#jobs.get(n.metadata.name);
      if (job?.phase === "booting" && isNodeReady(n) && bootId(n) !== job.bootBefore) {
        job.phase = "running";
        this.#afterBoot(job);
      }
      const pool = poolOfNode(n, pools);
      if (pool) this.#queue(pool.metadata.name);
    }
  }

  #queue(pool: string): void {
    this.#pending.add(pool);
    if (this.#timer === undefined) {
      this.#timer = this.#ctx.clock.after(0, () => {
        this.#timer = undefined;
        const names = [...this.#pending];
        this.#pending.clear();
        for (const p of names) this.#sync(p);
      });
    }
  }

  #sync(poolName: string): void {
    const pool = this.#ctx.store.get(POOLS, undefined, poolName);
    if (!pool) return;
    const target = pool.spec?.configuration?.name;
    let nodes = this.#nodesOf(pool);
    if (target && !pool.spec?.paused && this.#graceOver(poolName, target)) {
      // Every node still to update gets the taint, so evicted workloads prefer updated nodes.
      let tainted = false;
      for (const n of nodes) {
        if (currentConfig(n) === target || hasUpdateTaint(n)) continue;
        this.#ctx.store.mutate(NODES, undefined, n.metadata.name, (o) => {
          o.spec = { ...(o.spec ?? {}), taints: [...(o.spec?.taints ?? []), UPDATE_TAINT] };
        });
        tainted = true;
      }
      if (tainted) nodes = this.#nodesOf(pool);
      const capacity = maxUnavailable(pool, nodes.length) - nodes.filter(isNodeUnavailable).length;
      if (capacity > 0) {
        const candidates = this.#order(
          pool,
          nodes.filter((n) => desiredConfig(n) !== target && isNodeReady(n) && !this.#jobs.has(n.metadata.name)),
        );
        for (const n of candidates.slice(0, capacity)) this.#target(pool, n, target);
        if (candidates.length) nodes = this.#nodesOf(pool);
      }
    }
    // The daemon on each node reacts to a new desiredConfig (also while the pool is paused).
    for (const n of nodes) {
      const desired = desiredConfig(n);
      if (!desired || desired === currentConfig(n) && nodeState(n) === "Done") continue;
      if (this.#jobs.has(n.metadata.name) || isDegraded(n) || !isNodeReady(n)) continue;
      if (desired !== currentConfig(n)) this.#startJob(n.metadata.name, poolName, desired);
    }
    this.#writeStatus(pool, nodes);
  }

  /** False during timings.mcoStartSeconds after a new target appears; a sync is queued for when it ends. */
  #graceOver(poolName: string, target: string): boolean {
    const now = this.#ctx.clock.now();
    let seen = this.#targetSeen.get(poolName);
    if (!seen || seen.target !== target) {
      this.#ctx.clock.cancel(seen?.timer);
      this.#targetSeen.set(poolName, seen = { target, at: now });
    }
    const left = seen.at + this.#ctx.scenario.timings.mcoStartSeconds * 1000 - now;
    if (left <= 0) return true;
    if (seen.timer === undefined) {
      const s = seen;
      s.timer = this.#ctx.clock.after(left, () => {
        s.timer = undefined;
        this.#queue(poolName);
      });
    }
    return false;
  }

  /** Candidate order: zone, then age; the master pool updates the controller's node last. */
  #order(pool: Obj, nodes: Obj[]): Obj[] {
    const zone = (n: Obj) => n.metadata.labels?.["topology.kubernetes.io/zone"] ?? "";
    const sorted = [...nodes].sort((a, b) =>
      zone(a).localeCompare(zone(b)) ||
      String(a.metadata.creationTimestamp ?? "").localeCompare(String(b.metadata.creationTimestamp ?? "")) ||
      a.metadata.name.localeCompare(b.metadata.name)
    );
    if (pool.metadata.name !== "master" || sorted.length < 2) return sorted;
    const hosts = new Set(
      this.#ctx.store.all("core/pods", "openshift-machine-config-operator")
        .filter((p) => p.metadata.name.startsWith("machine-config-controller"))
        .map((p) => p.spec?.nodeName),
    );
    return [...sorted.filter((n) => !hosts.has(n.metadata.name)), ...sorted.filter((n) => hosts.has(n.metadata.name))];
  }

  #target(pool: Obj, n: Obj, target: string): void {
    const name = n.metadata.name;
    this.#ctx.store.mutate(NODES, undefined, name, (o) => {
      o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [DESIRED_CONFIG]: target };
      const taints: Obj[] = o.spec?.taints ?? [];
      if (!taints.some((t) => t.key === UPDATE_TAINT.key)) {
        o.spec = { ...(o.spec ?? {}), taints: [...taints, UPDATE_TAINT] };
      }
    });
    recordEvent(
      this.#ctx,
      { ...pool, metadata: { ...pool.metadata, namespace: "default" } },
      "Normal",
      "SetDesiredConfig",
      `Targeted node ${name} to MachineConfig: ${target}`,
      "machineconfigcontroller-nodecontroller",
    );
    this.#ctx.log("mco", `targeted ${name} to ${target}`);
  }

  // ---- the machine-config-daemon and drain controller for one node ----

  #startJob(node: string, pool: string, target: string): void {
    const job: Job = { node, pool, target, phase: "running" };
    this.#jobs.set(node, job);
    const drain = this.#ctx.scenario.controlPlaneTopology !== "SingleReplica";
    this.#step(job, STEP_SECONDS, () => {
      if (this.#ctx.scenario.faults.degradePoolOnRollout === pool && !this.#faultUsed.has(pool)) {
        this.#faultUsed.add(pool);
        this.#annotate(node, {
          [STATE]: "Degraded",
          [REASON]:
            `unexpected on-disk state validating against ${target}: content mismatch for file "/etc/kubernetes/kubelet-ca.crt"`,
        });
        this.#finish(job);
        return;
      }
      this.#annotate(node, { [STATE]: "Working", [REASON]: "" });
      if (!drain) return this.#step(job, STEP_SECONDS, () => this.#reboot(job));
      this.#step(job, STEP_SECONDS, () => {
        this.#annotate(node, { [DESIRED_DRAIN]: `drain-${target}` });
        this.#step(job, STEP_SECONDS, () => this.#drain(job));
      });
    });
  }

  #step(job: Job, seconds: number, fn: () => void): void {
    job.timer = this.#ctx.clock.after(seconds * 1000, () => {
      job.timer = undefined;
      if (this.#jobs.get(job.node) !== job) return;
      if (!this.#ctx.store.get(NODES, undefined, job.node)) return this.#finish(job);
      fn();
    });
  }

  #drain(job: Job): void {
    this.#setCordon(job.node, true);
    const blocked = drainNode(this.#ctx, job.node);
    const drainSeconds = this.#ctx.scenario.timings.drainSeconds;
    if (blocked) {
      this.#annotate(job.node, { [REASON]: `failed to drain node: ${job.node}: ${blocked}` });
      return this.#step(job, Math.max(drainSeconds, 5), () => this.#drain(job));
    }
    this.#step(job, drainSeconds, () => {
      if (drainNode(this.#ctx, job.node)) return this.#drain(job); // something new landed meanwhile
      this.#annotate(job.node, { [LAST_APPLIED_DRAIN]: `drain-${job.target}`, [REASON]: "" });
      this.#step(job, STEP_SECONDS, () => this.#reboot(job));
    });
  }

  #reboot(job: Job): void {
    this.#annotate(job.node, { [POST_CONFIG_ACTION]: "Rebooting" });
    job.bootBefore = bootId(this.#ctx.store.get(NODES, undefined, job.node));
    job.phase = "booting";
    rebootNode(this.#ctx, job.node, { delaySeconds: 0 });
  }

  #afterBoot(job: Job): void {
    const drain = this.#ctx.scenario.controlPlaneTopology !== "SingleReplica";
    const done = () => {
      this.#annotate(job.node, {
        [CURRENT_CONFIG]: job.target,
        [STATE]: "Done",
        [REASON]: "",
        [POST_CONFIG_ACTION]: "",
      });
      this.#ctx.store.mutate(NODES, undefined, job.node, (o) => {
        const taints: Obj[] = o.spec?.taints ?? [];
        if (!taints.some((t) => t.key === UPDATE_TAINT.key)) return false;
        o.spec.taints = taints.filter((t) => t.key !== UPDATE_TAINT.key);
        if (!o.spec.taints.length) delete o.spec.taints;
      });
      this.#finish(job);
    };
    if (!drain) return this.#step(job, STEP_SECONDS, done);
    this.#step(job, STEP_SECONDS, () => {
      this.#annotate(job.node, { [DESIRED_DRAIN]: `uncordon-${job.target}` });
      this.#step(job, STEP_SECONDS, () => {
        this.#setCordon(job.node, false);
        this.#annotate(job.node, { [LAST_APPLIED_DRAIN]: `uncordon-${job.target}` });
        this.#step(job, STEP_SECONDS, done);
      });
    });
  }

  #finish(job: Job): void {
    job.phase = "done";
    this.#ctx.clock.cancel(job.timer);
    if (this.#jobs.get(job.node) === job) this.#jobs.delete(job.node);
    this.#queue(job.pool);
  }

  // ---- writes ----

  #annotate(node: string, kv: Record<string, string>): void {
    this.#ctx.store.mutate(NODES, undefined, node, (o) => {
      const a = o.metadata.annotations ?? {};
      if (Object.entries(kv).every(([k, v]) => a[k] === v)) return false;
      o.metadata.annotations = { ...a, ...kv };
    });
  }

  #setCordon(node: string, on: boolean): void {
    this.#ctx.store.mutate(NODES, undefined, node, (o) => {
      if (!!o.spec?.unschedulable === on) return false;
      o.spec = { ...(o.spec ?? {}) };
      const taints: Obj[] = (o.spec.taints ?? []).filter((t: Obj) => t.key !== UNSCHEDULABLE_TAINT_KEY);
      if (on) {
        o.spec.unschedulable = true;
        taints.push({ key: UNSCHEDULABLE_TAINT_KEY, effect: "NoSchedule", timeAdded: this.#ctx.clock.iso() });
      } else delete o.spec.unschedulable;
      if (taints.length) o.spec.taints = taints;
      else delete o.spec.taints;
    });
  }

  #writeStatus(pool: Obj, nodes: Obj[]): void {
    const status = poolStatus(pool, nodes, this.#ctx.clock.iso());
    if (JSON.stringify(status) === JSON.stringify(pool.status ?? {})) return;
    this.#ctx.store.mutate(POOLS, undefined, pool.metadata.name, (p) => {
      p.status = poolStatus(p, nodes, this.#ctx.clock.iso());
    }, { subresource: "status" });
  }
}
