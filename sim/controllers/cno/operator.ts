/**
 * The simulated Cluster Network Operator (cluster-behaviour.md §0): the clusterconfig controller (merge of
 * network.config into network.operator, live-migration validation and state machine), the operconfig
 * controller (validate, fill defaults, render, apply, network.config status, live conditions) and the status
 * manager (network.operator conditions; deletion of objects no longer rendered). Driven only by the Store.
 */
import type { TimerId } from "../../clock.ts";
import type { Obj, StoreEvent } from "../../store.ts";
import type { Controller, SimContext } from "../../types.ts";
import { applyRendered, deleteNotRendered } from "./apply.ts";
import { initConditions, resetConditions, syncConditions } from "./conditions.ts";
import { clusterMTU, fillDefaults, isLiveMigration } from "./defaults.ts";
import { migrateFeatures } from "./features.ts";
import { annotateOVNNodes } from "./ovnkube_nodes.ts";
import { decideLiveStep, MigrationError } from "./live_steps.ts";
import { type LiveBlock, MACVLAN_ANNOTATION, minorVersion, validateLiveMigration } from "./live_validate.ts";
import {
  cniNamespace,
  COND,
  CONDITION_ORDER,
  K,
  METRIC_BLOCKED,
  METRIC_BLOCKED_HELP,
  METRIC_CONDITION,
  METRIC_CONDITION_HELP,
  MIGRATION_ANNOTATION,
  NS,
  OVN,
  SDN,
  SDN_UPGRADEABLE_MESSAGE,
} from "./names.ts";
import { render } from "./render.ts";
import { HungRollouts, progressingMessages } from "./rollout.ts";
import { type Condition, deepEqual, findCondition, setCondition } from "./util.ts";
import { isChangeSafe, validateMTUMigration, validateOperatorConfig } from "./validate.ts";

/** Status-manager levels, in the order their Degraded reasons win. */
type Level = "ClusterConfig" | "OperatorConfig" | "ApplyOperatorConfig" | "Migration" | "PodDeployment";
const LEVELS: Level[] = ["ClusterConfig", "OperatorConfig", "ApplyOperatorConfig", "Migration", "PodDeployment"];

/** Periodic resync (the real one is 3 min; the simulator ticks faster, as §0 allows). */
const RESYNC_MS = 30_000;
const ETCD_TIMEOUT = "Internal error occurred: etcdserver: request timed out";

const CNI_NAMESPACES: string[] = [NS.sdn, NS.ovn, NS.kuryr, NS.multus];

export class NetworkOperatorController implements Controller {
  readonly name = "cluster-network-operator";
  #ctx?: SimContext;
  #unsubscribe?: () => void;
  #pending?: TimerId;
  #resync?: TimerId;
  #degraded = new Map<Level, { reason: string; message: string }>();
  #bootstrapped = false;
  readonly #hung = new HungRollouts();
  #metricsRegistered = false;

  start(ctx: SimContext): void {
    this.#ctx = ctx;
    // A plain Kubernetes cluster (the `not-openshift` scenario) has no network operator.
    if (!ctx.store.hasDef(K.networkConfig) || !ctx.store.hasDef(K.networkOperator)) return;
    this.#unsubscribe = ctx.store.subscribe((e) => {
      if (this.#relevant(e)) this.#schedule();
    });
    this.#resync = ctx.clock.every(RESYNC_MS, () => this.#schedule());
    this.#safeReconcile();
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#ctx?.clock.cancel(this.#pending);
    this.#ctx?.clock.cancel(this.#resync);
    this.#pending = undefined;
  }

  #relevant(e: StoreEvent): boolean {
    switch (e.key) {
      case K.networkConfig:
      case K.networkOperator:
      case K.mcp:
      case K.infrastructure:
        return true;
      case K.daemonSet:
      case K.deployment:
        return CNI_NAMESPACES.includes(e.object.metadata.namespace);
      case K.configMap:
        return e.object.metadata.namespace === NS.operator && e.object.metadata.name !== "applied-cluster";
      case K.pod:
        return e.object.metadata.annotations?.[MACVLAN_ANNOTATION] !== undefined;
      default:
        return false;
    }
  }

  #schedule(): void {
    const ctx = this.#ctx;
    if (!ctx || this.#pending !== undefined) return;
    this.#pending = ctx.clock.after((ctx.scenario.timings?.cnoReconcileSeconds ?? 5) * 1000, () => {
      this.#pending = undefined;
      this.#safeReconcile();
    });
  }

  #safeReconcile(): void {
    try {
      this.reconcile();
    } catch (e) {
      // A conflict or a rejected write: retry on the next tick, as a controller requeues.
      this.#ctx?.log("cno", `reconcile failed: ${(e as Error).message}`);
      this.#schedule();
    }
  }

  /** One pass of clusterconfig, then operconfig and the status manager. */
  reconcile(): void {
    const { store } = this.#ctx!;
    const nc = store.get(K.networkConfig, undefined, "cluster");
    const no = store.get(K.networkOperator, undefined, "cluster");
    if (!nc || !no) return;
    this.#degraded.clear();
    const annotated = nc.metadata.annotations?.[MIGRATION_ANNOTATION] !== undefined;
    const { operator, block } = this.#clusterConfig(nc, no, annotated);
    this.#operConfig(nc, operator, annotated, block);
  }

  /**
   * The clusterconfig controller: merges network.config into network.operator or, while the live-migration
   * annotation is present, validates (§2.2) and runs the state machine (§2.4). Returns the current operator.
   */
  #clusterConfig(nc: Obj, no: Obj, annotated: boolean): { operator: Obj; block?: LiveBlock } {
    const ctx = this.#ctx!;
    if (!annotated) return { operator: this.#writeOperatorSpec(no, mergeClusterConfig(no.spec, nc.spec, false)) };
    const block = this.#validateLive(nc, no);
    if (block) {
      this.#degraded.set("ClusterConfig", {
        reason: "InvalidClusterConfig",
        message:
          `The cluster configuration is invalid (${block.error}). Use 'oc edit network.config.openshift.io cluster' to fix.`,
      });
      return { operator: no, block };
    }
    try {
      const merged = { ...no, spec: mergeClusterConfig(no.spec, nc.spec, true) };
      const d = decideLiveStep(ctx.store, nc, merged);
      if (d.step && d.step === ctx.scenario.faults.cnoDegradeAtStep) {
        throw new MigrationError(`failed to update the network operator configuration: ${ETCD_TIMEOUT}`);
      }
      if (d.step) ctx.log("cno", `live migration ${d.step}`);
      return { operator: this.#writeOperatorSpec(no, d.spec) };
    } catch (e) {
      if (!(e instanceof MigrationError)) throw e;
      this.#degraded.set("Migration", {
        reason: "NetworkTypeMigrationFailed",
        message:
          `Failed to process SDN live migration (${e.message}). Use 'oc edit network.config.openshift.io cluster' to fix.`,
      });
      return { operator: no };
    }
  }

  /**
   * The operconfig controller: validate, fill defaults, check the change is safe, render, apply, delete what
   * is no longer rendered, migrate features, then write network.config status and the operator conditions.
   */
  #operConfig(nc: Obj, no: Obj, annotated: boolean, block: LiveBlock | undefined): void {
    const ctx = this.#ctx!;
    const { store } = ctx;
    if (no.spec?.managementState === "Unmanaged") return;
    const prev = this.#readApplied();
    const fieldErrs = validateOperatorConfig(no.spec ?? {});
    if (fieldErrs.length) {
      this.#degraded.set("OperatorConfig", {
        reason: "InvalidOperatorConfig",
        message: `The operator configuration is invalid (invalid configuration: [${
          fieldErrs.join(", ")
        }]). Use 'oc edit network.operator.openshift.io cluster' to fix.`,
      });
      return this.#writeOperatorStatus(prev, [], nc);
    }
    const live = isLiveMigration(no.spec, annotated);
    const filled = fillDefaults(no.spec ?? {}, prev, this.#hostMTU(), live);
    const unsafe = [
      ...isChangeSafe(prev, filled, { hypershift: this.#hypershift() }),
      ...validateMTUMigration(filled, prev ? clusterMTU(prev) : undefined),
    ];
    if (unsafe.length) {
      this.#degraded.set("OperatorConfig", {
        reason: "InvalidOperatorConfig",
        message: `Not applying unsafe configuration change: invalid configuration: [${
          unsafe.join(", ")
        }]. Use 'oc edit network.operator.openshift.io cluster' to undo the change.`,
      });
      return this.#writeOperatorStatus(prev, [], nc);
    }
    const step = offlineStep(prev, filled, live);
    if (step && step === ctx.scenario.faults.cnoDegradeAtStep) {
      this.#degraded.set("ApplyOperatorConfig", { reason: "ApplyOperatorConfig", message: applyFailure(step, filled) });
      return this.#writeOperatorStatus(prev, [], nc);
    }

    const rendered = render({
      applied: filled,
      annotated,
      controlPlaneReplicas: this.#controlPlaneReplicas(),
      owner: no,
      version: ctx.scenario.version,
    });
    applyRendered(store, rendered, { steady: !this.#bootstrapped });
    const deleted = deleteNotRendered(store, rendered);
    if (deleted.length) ctx.log("cno", `deleted objects no longer rendered: ${deleted.join(", ")}`);
    this.#writeApplied(filled);
    this.#bootstrapped = true;

    const migType = filled.migration?.networkType;
    if (migType && migType !== SDN && migType !== OVN) {
      // A reconcile error, not Degraded; network.config status is not updated (§1.2).
      ctx.log(
        "cno",
        `Error: operConfig.Spec.Migration.NetworkType: ${migType} is not equal to either "OpenshiftSDN" or "OVNKubernetes"`,
      );
      return this.#writeOperatorStatus(filled, progressingMessages(store, rendered), nc);
    }
    if (migType && migType === filled.defaultNetwork?.type) migrateFeatures(store, filled);
    if (filled.defaultNetwork?.type === SDN && !live) this.#cleanOVNNodeAnnotations();
    const machinePrefix = Number(ctx.scenario.network?.machineNetwork?.[0]?.split("/")[1] ?? 16);
    annotateOVNNodes(store, filled.clusterNetwork ?? [], machinePrefix);

    const progressing = progressingMessages(store, rendered);
    const hung = this.#hung.check(store, rendered, ctx.clock.now());
    if (hung.length) this.#degraded.set("PodDeployment", { reason: "RolloutHung", message: hung.join("\n") });
    // When validation blocks a live migration, the status path fails too: nothing is written (§2.2).
    const current = block
      ? nc
      : this.#writeNetworkConfigStatus(nc, no, filled, annotated, live, progressing.length > 0);
    this.#writeOperatorStatus(filled, progressing, current);
  }

  #validateLive(nc: Obj, no: Obj): LiveBlock | undefined {
    const { metrics, scenario } = this.#ctx!;
    if (!this.#metricsRegistered) {
      metrics.describe(METRIC_BLOCKED, METRIC_BLOCKED_HELP);
      metrics.describe(METRIC_CONDITION, METRIC_CONDITION_HELP);
      this.#metricsRegistered = true;
    }
    metrics.reset(METRIC_BLOCKED);
    const block = validateLiveMigration(this.#ctx!.store, nc, no, scenario.version);
    for (const reason of block?.reasons ?? []) metrics.set(METRIC_BLOCKED, { reason }, 1);
    return block;
  }

  #writeOperatorSpec(no: Obj, spec: Obj): Obj {
    if (deepEqual(no.spec, spec)) return no;
    return this.#ctx!.store.mutate(K.networkOperator, undefined, "cluster", (o) => {
      o.spec = spec;
    });
  }

  #readApplied(): Obj | undefined {
    const cm = this.#ctx!.store.get(K.configMap, NS.operator, "applied-cluster");
    try {
      return cm?.data?.applied ? JSON.parse(cm.data.applied) : undefined;
    } catch {
      return undefined;
    }
  }

  #writeApplied(spec: Obj): void {
    const { store } = this.#ctx!;
    const text = JSON.stringify(spec);
    const cm = store.get(K.configMap, NS.operator, "applied-cluster");
    if (cm?.data?.applied === text) return;
    if (!store.get(K.namespace, undefined, NS.operator)) store.create(K.namespace, { metadata: { name: NS.operator } });
    if (!cm) {
      store.create(K.configMap, {
        metadata: { name: "applied-cluster", namespace: NS.operator },
        data: { applied: text },
      });
    } else {
      store.mutate(K.configMap, NS.operator, "applied-cluster", (o) => {
        o.data = { ...o.data, applied: text };
      });
    }
  }

  #hostMTU(): number | undefined {
    const cm = this.#ctx!.store.get(K.configMap, NS.operator, "mtu");
    const n = Number.parseInt(cm?.data?.mtu ?? "", 10);
    return Number.isFinite(n) ? n : undefined;
  }

  #hypershift(): boolean {
    return this.#ctx!.store.get(K.infrastructure, undefined, "cluster")?.status?.controlPlaneTopology === "External";
  }

  #controlPlaneReplicas(): number {
    const { store } = this.#ctx!;
    const infra = store.get(K.infrastructure, undefined, "cluster");
    if (infra?.status?.controlPlaneTopology === "SingleReplica") return 1;
    const masters = store.all(K.node).filter((n) =>
      n.metadata.labels?.["node-role.kubernetes.io/master"] !== undefined
    );
    return Math.max(1, Math.min(2, masters.length));
  }

  /** Rollback to SDN: drop every `k8s.ovn.org*` node annotation once OVN has no DaemonSets left (§2.7). */
  #cleanOVNNodeAnnotations(): void {
    const { store } = this.#ctx!;
    if (store.all(K.daemonSet, NS.ovn).length) return;
    for (const node of store.all(K.node)) {
      const keys = Object.keys(node.metadata.annotations ?? {}).filter((k) => k.startsWith("k8s.ovn.org"));
      if (!keys.length) continue;
      store.mutate(K.node, undefined, node.metadata.name, (o) => {
        for (const k of keys) delete o.metadata.annotations[k];
      });
    }
  }

  /** `ClusterNetworkStatus` / `StatusFromOperatorConfig` plus the live-migration conditions (§1.3, §1.4, §2.3). */
  #writeNetworkConfigStatus(nc: Obj, no: Obj, applied: Obj, annotated: boolean, live: boolean, progressing: boolean) {
    const { store, clock, metrics } = this.#ctx!;
    const now = clock.iso();
    const status: Obj = structuredClone(nc.status ?? {});
    if (applied.clusterNetwork) status.clusterNetwork = applied.clusterNetwork;
    if (applied.serviceNetwork) status.serviceNetwork = applied.serviceNetwork;
    status.networkType = applied.defaultNetwork?.type;
    const mtu = clusterMTU(applied);
    if (mtu !== undefined) status.clusterNetworkMTU = mtu;
    const mig = applied.migration;
    if (live) {
      // Live mode reports the *current* type; MCO keeps rendering it until step 3 (§2.4).
      status.migration = { networkType: applied.defaultNetwork.type, ...(mig.mtu ? { mtu: mig.mtu } : {}) };
    } else if (mig?.networkType || mig?.mtu) {
      status.migration = {
        ...(mig.networkType ? { networkType: mig.networkType } : {}),
        ...(mig.mtu ? { mtu: mig.mtu } : {}),
      };
    } else {
      delete status.migration;
    }
    if (annotated) {
      let conds: Condition[] | undefined = status.conditions;
      if (findCondition(conds, COND.inProgress)?.status === "True") {
        if (!progressing) {
          conds = syncConditions(store, conds, nc.spec.networkType, !!no.spec?.migration?.networkType, now);
        }
      } else if (nc.spec.networkType !== status.networkType) {
        conds = initConditions(conds, now);
      } else {
        conds = resetConditions(conds, now);
      }
      status.conditions = conds;
      metrics.reset(METRIC_CONDITION);
      for (const type of CONDITION_ORDER) {
        const c = findCondition(conds, type);
        if (c) metrics.set(METRIC_CONDITION, { type }, c.status === "True" ? 1 : c.status === "False" ? 0 : -1);
      }
    }
    if (deepEqual(nc.status, status)) return nc;
    return store.mutate(K.networkConfig, undefined, "cluster", (o) => {
      o.status = status;
    });
  }

  /** The status manager: Degraded / Progressing / Available / Upgradeable on network.operator (§1.4, §1.5, §2.4). */
  #writeOperatorStatus(applied: Obj | undefined, progressing: string[], nc: Obj): void {
    const { store, clock, scenario } = this.#ctx!;
    const now = clock.iso();
    const no = store.get(K.networkOperator, undefined, "cluster");
    if (!no) return;
    let conds: Condition[] = no.status?.conditions ?? [];
    const level = LEVELS.find((l) => this.#degraded.has(l));
    const d = level ? this.#degraded.get(level)! : undefined;
    conds = setCondition(
      conds,
      d ? { type: "Degraded", status: "True", ...d } : { type: "Degraded", status: "False" },
      now,
    );
    conds = setCondition(
      conds,
      progressing.length
        ? { type: "Progressing", status: "True", reason: "Deploying", message: progressing.join("\n") }
        : { type: "Progressing", status: "False" },
      now,
    );
    conds = setCondition(conds, { type: "Available", status: "True" }, now);
    conds = setCondition(conds, upgradeable(applied, nc, minorVersion(scenario.version)), now);
    if (deepEqual(no.status?.conditions, conds)) return;
    store.mutate(K.networkOperator, undefined, "cluster", (o) => {
      o.status = { ...(o.status ?? {}), conditions: conds };
    });
  }
}

function upgradeable(applied: Obj | undefined, nc: Obj, minor: number): Condition {
  if (minor >= 16) {
    if (findCondition(nc.status?.conditions, COND.inProgress)?.status === "True") {
      return {
        type: "Upgradeable",
        status: "False",
        reason: "NetworkMigrationInProgress",
        message: "A CNI migration is in progress; upgrade is blocked until that finishes.",
      };
    }
    if (applied?.defaultNetwork?.type === SDN) {
      return {
        type: "Upgradeable",
        status: "False",
        reason: "OpenShiftSDNConfigured",
        message: SDN_UPGRADEABLE_MESSAGE,
      };
    }
  }
  return { type: "Upgradeable", status: "True" };
}

/** `network.MergeClusterConfig`: network.config spec → network.operator spec (type kept while live-migrating). */
export function mergeClusterConfig(spec: Obj | undefined, ncSpec: Obj, keepType: boolean): Obj {
  const out = structuredClone(spec ?? {}) as Obj;
  if (ncSpec.clusterNetwork) out.clusterNetwork = ncSpec.clusterNetwork;
  if (ncSpec.serviceNetwork) out.serviceNetwork = ncSpec.serviceNetwork;
  out.defaultNetwork ??= {};
  if (!keepType && ncSpec.networkType) out.defaultNetwork.type = ncSpec.networkType;
  out.managementState ??= "Managed";
  return out;
}

/** Which offline step a spec change is (for faults.cnoDegradeAtStep). */
function offlineStep(prev: Obj | undefined, next: Obj, live: boolean): "offline-prepare" | "offline-flip" | undefined {
  const mig = next.migration?.networkType;
  if (live || !mig) return undefined;
  if (next.defaultNetwork?.type !== mig) return "offline-prepare";
  if (prev && prev.defaultNetwork?.type !== next.defaultNetwork?.type) return "offline-flip";
  return undefined;
}

function applyFailure(step: "offline-prepare" | "offline-flip", spec: Obj): string {
  const target = spec.migration?.networkType;
  const what = step === "offline-prepare"
    ? target === OVN
      ? "(apiextensions.k8s.io/v1, Kind=CustomResourceDefinition) /egressfirewalls.k8s.ovn.org"
      : "(apiextensions.k8s.io/v1, Kind=CustomResourceDefinition) /hostsubnets.network.openshift.io"
    : `(apps/v1, Kind=DaemonSet) ${cniNamespace(target)}/${target === OVN ? "ovnkube-node" : "sdn"}`;
  return `Error while updating operator configuration: could not apply ${what}: failed to apply / update ${what}: ${ETCD_TIMEOUT}`;
}
