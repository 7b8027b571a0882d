/**
 * ClusterOperator statuses and ClusterVersion (cluster-behaviour.md §4.3): `network` mirrors the
 * network.operator conditions, `machine-config` follows the MachineConfigPools, every other operator is
 * healthy; ClusterVersion reports the version and aggregates Upgradeable from the operators.
 */
import type { TimerId } from "../../clock.ts";
import type { Obj, StoreEvent } from "../../store.ts";
import type { Controller, SimContext } from "../../types.ts";
import { K } from "../cno/names.ts";
import { type Condition, deepEqual, setCondition } from "../cno/util.ts";
import { clusterVersionStatus } from "./clusterversion.ts";
import { machineConfigConditions } from "./machine_config.ts";
import { nodeHealthConditions } from "./node_health.ts";
import { ensureNetworkOperatorDeployment } from "./network_operator_deployment.ts";

/** Operators a real 4.16 cluster always has; `network` and `machine-config` are created when missing. */
const REQUIRED = ["network", "machine-config"];

const NETWORK_RELATED = [
  { group: "", resource: "configmaps", namespace: "openshift-network-operator", name: "applied-cluster" },
  { group: "operator.openshift.io", resource: "networks", name: "cluster" },
  { group: "config.openshift.io", resource: "networks", name: "cluster" },
  { group: "", resource: "namespaces", name: "openshift-multus" },
  { group: "", resource: "namespaces", name: "openshift-network-operator" },
];

export class ClusterOperatorsController implements Controller {
  readonly name = "cluster-operators";
  #ctx?: SimContext;
  #unsubscribe?: () => void;
  #pending?: TimerId;

  start(ctx: SimContext): void {
    this.#ctx = ctx;
    this.#unsubscribe = ctx.store.subscribe((e) => {
      if (this.#relevant(e)) this.#schedule();
    });
    this.#sync();
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#ctx?.clock.cancel(this.#pending);
    this.#pending = undefined;
  }

  #relevant(e: StoreEvent): boolean {
    if (e.key === K.networkOperator || e.key === K.mcp) return true;
    if (e.key === K.node) return this.#readinessChanged(e);
    // Our own status writes come back as MODIFIED; only new or replaced operators need a look.
    if (e.key === K.clusterOperator || e.key === K.clusterVersion) return e.type === "ADDED";
    return false;
  }

  /** Node readiness per node, so that only Ready flips (not annotation churn) trigger a sync. */
  readonly #ready = new Map<string, boolean>();

  #readinessChanged(e: StoreEvent): boolean {
    const name = e.object.metadata.name;
    const ready = e.type !== "DELETED" &&
      (e.object.status?.conditions ?? []).some((c: Obj) => c.type === "Ready" && c.status === "True");
    if (this.#ready.get(name) === ready) return false;
    this.#ready.set(name, ready);
    return true;
  }

  #schedule(): void {
    const ctx = this.#ctx;
    if (!ctx || this.#pending !== undefined) return;
    this.#pending = ctx.clock.after(200, () => {
      this.#pending = undefined;
      this.#sync();
    });
  }

  #sync(): void {
    try {
      this.sync();
    } catch (e) {
      this.#ctx?.log("operators", `sync failed: ${(e as Error).message}`);
      this.#schedule();
    }
  }

  sync(): void {
    const { store, scenario } = this.#ctx!;
    if (!store.hasDef(K.clusterOperator)) return;
    ensureNetworkOperatorDeployment(this.#ctx!);
    for (const name of REQUIRED) {
      if (!store.get(K.clusterOperator, undefined, name)) {
        store.create(K.clusterOperator, { metadata: { name }, spec: {} });
      }
    }
    const nodes = store.all(K.node);
    for (const co of store.all(K.clusterOperator)) {
      const name = co.metadata.name;
      const conds = name === "network"
        ? this.#networkConditions(co)
        : name === "machine-config"
        ? machineConfigConditions(store.all(K.mcp), co.status?.conditions, scenario.version, this.#now())
        : healthy(co.status?.conditions, this.#now(), nodeHealthConditions(name, nodes));
      if (!conds) continue;
      const status: Obj = {
        ...(co.status ?? {}),
        conditions: conds,
        versions: [{ name: "operator", version: scenario.version }],
        relatedObjects: co.status?.relatedObjects ?? (name === "network" ? NETWORK_RELATED : []),
      };
      if (!deepEqual(co.status, status)) {
        store.update(K.clusterOperator, { ...co, metadata: { ...co.metadata }, status }, { subresource: "status" });
      }
    }
    this.#syncClusterVersion();
  }

  #now(): string {
    return this.#ctx!.clock.iso();
  }

  /** CO `network` = network.operator conditions, same reasons and messages (§4.3). */
  #networkConditions(co: Obj): Condition[] | undefined {
    const no = this.#ctx!.store.get(K.networkOperator, undefined, "cluster");
    const src: Condition[] = no?.status?.conditions ?? [];
    if (!src.length) return undefined;
    let out: Condition[] = co.status?.conditions ?? [];
    for (const type of ["Degraded", "Progressing", "Available", "Upgradeable"]) {
      const c = src.find((x) => x.type === type);
      if (!c) continue;
      out = setCondition(out, { type, status: c.status, reason: c.reason, message: c.message }, c.lastTransitionTime!);
    }
    return out;
  }

  #syncClusterVersion(): void {
    const { store, scenario, clock } = this.#ctx!;
    if (!store.hasDef(K.clusterVersion)) return;
    const cv = store.get(K.clusterVersion, undefined, "version");
    if (!cv) return;
    const status = clusterVersionStatus(cv, store.all(K.clusterOperator), scenario, clock.iso());
    if (deepEqual(cv.status, status)) return;
    store.update(K.clusterVersion, { ...cv, status }, { subresource: "status" });
  }
}

/** The healthy conditions, except where `overrides` (node trouble) says otherwise. */
function healthy(conds: Condition[] | undefined, now: string, overrides: Condition[]): Condition[] {
  let out = conds ?? [];
  for (const type of ["Available", "Progressing", "Degraded", "Upgradeable"]) {
    const status = type === "Available" || type === "Upgradeable" ? "True" : "False";
    out = setCondition(out, overrides.find((c) => c.type === type) ?? { type, status, reason: "AsExpected" }, now);
  }
  return out;
}
