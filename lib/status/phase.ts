/**
 * Where the migration is, inferred from the cluster alone (cluster-behaviour.md §1, §2.3–§2.5): the
 * network.config conditions and status, network.operator spec.migration, the network cluster operator,
 * the pools and nodes. The progress record is only a hint (boot IDs at the flip, from/method).
 */
import type { KubeObject } from "../kube/types.ts";
import { poolDegraded, poolSettled } from "../openshift/pools.ts";
import { type Condition, findCondition } from "../openshift/conditions.ts";
import { liveMigrationComplete } from "../openshift/live_migration.ts";
import { bootID, nodeReady } from "../openshift/nodes.ts";
import type { ClusterView, Phase, PhaseState } from "./types.ts";

import { COND, MIGRATION_ANNOTATION, OVN, SDN } from "../openshift/names.ts";

export const LIVE_STEPS = [
  "deploy the target plugin beside the original",
  "routable MTU (reboot round 1)",
  "switch the plugin (reboot round 2)",
  "purge the original plugin",
];
export const OFFLINE_STEPS = [
  "prepare (the MCO reboots every node)",
  "flip the default network",
  "reboot every node",
];

const other = (t: string) => t === OVN ? SDN : OVN;

/** The ClusterOperator `network` Degraded condition, when True. */
export function networkDegraded(view: ClusterView): Condition | undefined {
  const co = view.clusterOperators.find((o) => o.metadata.name === "network");
  const d = findCondition(co, "Degraded");
  return d?.status === "True" ? d : undefined;
}

/** Boot IDs recorded just before the offline flip, when the tool did the flip. */
export function bootIDsAtFlip(view: ClusterView): Record<string, string> | undefined {
  const ids = view.progress?.data?.bootIDsAtFlip;
  return ids && typeof ids === "object" ? ids as Record<string, string> : undefined;
}

/** Is this a live migration (annotation, Live mode, or the live conditions present)? */
export function isLive(view: ClusterView): boolean {
  const nc = view.networkConfig;
  return MIGRATION_ANNOTATION in (nc?.metadata.annotations ?? {}) ||
    view.networkOperator?.spec?.migration?.mode === "Live" || findCondition(nc, COND.inProgress) !== undefined;
}

function phase(p: Omit<Phase, "rollback"> & { rollback?: boolean }): Phase {
  return { ...p, rollback: p.rollback ?? p.to === SDN };
}

/** The step of a live migration in progress, from the conditions and status (§2.4, §2.8). */
export function liveStep(nc: KubeObject): { step: number; detail: string } {
  const c = (t: string) => findCondition(nc, t);
  const st = nc.status ?? {};
  const to = nc.spec?.networkType;
  const mtu = st.migration?.mtu;
  const updating = (t: string) => c(t)?.reason === "MachineConfigPoolsUpdating";
  if (c(COND.targetInUse)?.status === "True") {
    return { step: 4, detail: "the target plugin runs on every node; CNO removes the original plugin" };
  }
  if (mtu && c(COND.mtuReady)?.status !== "True") {
    return {
      step: 2,
      detail: updating(COND.mtuReady)
        ? "the MCO rolls out the routable MTU (first reboot of every node)"
        : "waiting for the MCO to roll out the routable MTU",
    };
  }
  if (mtu || st.networkType === to) {
    return {
      step: 3,
      detail: updating(COND.targetInUse)
        ? `the MCO rolls out configure-ovs.sh ${to} (second reboot of every node)`
        : `waiting for the MCO to roll out configure-ovs.sh ${to}`,
    };
  }
  if (c(COND.targetAvailable)?.status === "True") {
    return { step: 2, detail: "the target plugin is deployed; CNO sets the routable MTU" };
  }
  const why = c(COND.targetAvailable);
  return {
    step: 1,
    detail: why?.reason && why.reason !== "NetworkTypeMigrationInitialized"
      ? `deploying ${to} beside the original plugin (${why.message ?? why.reason})`
      : `deploying ${to} beside the original plugin`,
  };
}

function fromOf(view: ClusterView, to: string | null): string | null {
  if (!to) return null;
  const rec = view.progress;
  if (rec && rec.to === to && rec.from) return rec.from;
  const st = view.networkConfig?.status?.networkType;
  if (st && st !== to) return st;
  return other(to);
}

/** Infers the phase. Pure: the same view gives the same phase. */
export function inferPhase(view: ClusterView): Phase {
  const nc = view.networkConfig;
  if (!nc) {
    return phase({
      state: "unknown",
      title: "unknown: network.config/cluster could not be read",
      method: null,
      step: null,
      steps: null,
      from: null,
      to: null,
      rollback: false,
      detail: view.errors.networkConfig ?? "network.config/cluster not found",
    });
  }
  return isLive(view) ? livePhase(view, nc) : offlinePhase(view, nc);
}

function livePhase(view: ClusterView, nc: KubeObject): Phase {
  const to: string = nc.spec?.networkType ?? null;
  const from = fromOf(view, to);
  const inProgress = findCondition(nc, COND.inProgress);
  const degraded = networkDegraded(view);
  const base = { method: "live" as const, steps: 4, from, to };
  const stepTitle = (step: number, state: PhaseState = "live") =>
    `${state === "live" ? "" : `${state}: `}live ${to === SDN ? "rollback " : ""}step ${step} of 4: ${
      LIVE_STEPS[step - 1]
    }`;

  if (inProgress?.status === "True") {
    const { step, detail } = liveStep(nc);
    const badPool = view.pools.find(poolDegraded);
    if (badPool || degraded?.reason === "NetworkTypeMigrationFailed") {
      return phase({
        ...base,
        state: "failed",
        step,
        title: stepTitle(step, "failed"),
        detail: badPool
          ? `machine config pool ${badPool.metadata.name} is degraded: the migration cannot proceed`
          : degraded!.message ?? "CNO failed to process the live migration",
      });
    }
    const paused = view.pools.find((p) => p.spec?.paused);
    if (paused && (step === 2 || step === 3)) {
      return phase({
        ...base,
        state: "blocked",
        step,
        title: stepTitle(step, "blocked"),
        detail: `machine config pool ${paused.metadata.name} is paused: the MCO will not roll out to it`,
      });
    }
    const extra = unmanagedSdnDaemonSets(view);
    if (step === 4 && to === OVN && extra.length > 0) {
      return phase({
        ...base,
        state: "blocked",
        step,
        title: stepTitle(step, "blocked"),
        detail: `DaemonSet(s) ${extra.join(", ")} in openshift-sdn keep OriginalCNIPurged False`,
      });
    }
    return phase({ ...base, state: "live", step, title: stepTitle(step), detail });
  }

  if (liveMigrationComplete(nc, to)) {
    return phase({
      ...base,
      state: "complete",
      step: null,
      title: `complete: the cluster runs ${to}`,
      detail: "NetworkTypeMigrationInProgress=False (NetworkTypeMigrationCompleted)",
    });
  }

  // Triggered but not started: CNO validates first (§2.2) and reports a refusal on the network operator.
  const blockedMetric = view.metrics?.available ? view.metrics.blocked : [];
  if (degraded?.reason === "InvalidClusterConfig" || blockedMetric.length > 0) {
    return phase({
      ...base,
      state: "blocked",
      step: null,
      title: "blocked: CNO refuses to start the live migration",
      detail: cnoError(degraded?.message) ?? `blocked (${blockedMetric.join(", ")})`,
    });
  }
  if (degraded) {
    return phase({
      ...base,
      state: "failed",
      step: null,
      title: "failed: the network operator is degraded",
      detail: `${degraded.reason ?? ""}: ${degraded.message ?? ""}`.trim(),
    });
  }
  return phase({
    ...base,
    state: "starting",
    step: null,
    title: "starting: waiting for CNO to accept the live migration",
    detail: `network.config asks for ${to}; CNO has not initialised the migration conditions yet`,
  });
}

/** `The cluster configuration is invalid (<err>). Use …` → `<err>`. */
export function cnoError(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const m = /^The cluster configuration is invalid \((.*)\)\. Use '/s.exec(message);
  return m ? m[1] : message;
}

/** DaemonSets in openshift-sdn that CNO does not render (§2.5: OriginalCNIPurged never becomes True). */
export function unmanagedSdnDaemonSets(view: ClusterView): string[] {
  return (view.sdnDaemonSets ?? []).filter((n) => n !== "sdn" && n !== "sdn-controller");
}

function offlinePhase(view: ClusterView, nc: KubeObject): Phase {
  const no = view.networkOperator;
  const target: string | undefined = no?.spec?.migration?.networkType || undefined;
  const specType: string = nc.spec?.networkType;
  const statusType: string | undefined = nc.status?.networkType;
  const degraded = networkDegraded(view);
  const badPool = view.pools.find(poolDegraded);

  if (!target) {
    const rec = view.progress;
    const done = rec && rec.operation !== "cleanup" && rec.to === statusType && specType === statusType;
    if (done || (statusType === OVN && no?.spec?.defaultNetwork?.openshiftSDNConfig)) {
      return phase({
        state: "complete",
        title: `complete: the cluster runs ${statusType}`,
        method: (rec?.method as "live" | "offline") ?? null,
        step: null,
        steps: null,
        from: fromOf(view, statusType ?? null),
        to: statusType ?? null,
        detail: "",
      });
    }
    return phase({
      state: "not-started",
      // After a cleanup (or on a cluster installed with OVN) there is simply nothing under way.
      title: statusType === OVN ? "nothing under way: the cluster runs OVNKubernetes" : "not started",
      method: null,
      step: null,
      steps: null,
      from: statusType ?? null,
      to: null,
      rollback: false,
      detail: statusType === OVN
        ? "the cluster runs OVNKubernetes; no migration is under way"
        : `the cluster runs ${statusType ?? specType}; no migration is under way`,
    });
  }

  const from = fromOf(view, target);
  const base = { method: "offline" as const, steps: 3, from, to: target };
  const failed = (step: number, detail: string) =>
    phase({
      ...base,
      state: "failed",
      step,
      title: `failed: offline step ${step} of 3: ${OFFLINE_STEPS[step - 1]}`,
      detail,
    });

  if (specType !== target) {
    if (badPool) return failed(1, `machine config pool ${badPool.metadata.name} is degraded`);
    if (degraded) return failed(1, `${degraded.reason ?? ""}: ${degraded.message ?? ""}`.trim());
    const settled = view.pools.length > 0 && view.pools.every(poolSettled);
    // A pool is on the target only once its rendered config is known to run it: right after spec.migration is
    // set the pools are still settled on the old config. Only when configs cannot be read does settled suffice.
    const unreadable = Boolean(view.errors.machineConfigs);
    const onTarget = view.pools.every((p) => {
      const name = p.status?.configuration?.name ?? "";
      return view.renderedPlugin.has(name) ? view.renderedPlugin.get(name) === target : unreadable && settled;
    });
    if (settled && onTarget && !view.pools.some((p) => p.spec?.paused)) {
      return phase({
        ...base,
        state: "offline-prepared",
        step: 2,
        title: `offline step 2 of 3: ${OFFLINE_STEPS[1]}`,
        detail: `every pool runs configure-ovs.sh ${target}; waiting for network.config spec.networkType=${target}`,
      });
    }
    return phase({
      ...base,
      state: "offline-preparing",
      step: 1,
      title: `offline step 1 of 3: ${OFFLINE_STEPS[0]}`,
      detail: `the MCO rolls out configure-ovs.sh ${target} to every pool`,
    });
  }

  if (degraded && degraded.reason !== "RolloutHung") {
    return failed(2, `${degraded.reason ?? ""}: ${degraded.message ?? ""}`.trim());
  }
  if (statusType !== target) {
    return phase({
      ...base,
      state: "offline-flipped",
      step: 2,
      title: `offline step 2 of 3: ${OFFLINE_STEPS[1]}`,
      detail: `network.config asks for ${target}; CNO is deploying it`,
    });
  }
  const ids = bootIDsAtFlip(view);
  const nodes = view.nodes;
  const notReady = nodes.filter((n) => !nodeReady(n)).length;
  if (ids) {
    const pending = nodes.filter((n) => ids[n.metadata.name] !== undefined && ids[n.metadata.name] === bootID(n));
    if (pending.length > 0 || notReady > 0) {
      return phase({
        ...base,
        state: "offline-flipped",
        step: 3,
        title: `offline step 3 of 3: ${OFFLINE_STEPS[2]}`,
        detail: `${nodes.length - pending.length} of ${nodes.length} nodes rebooted since the flip` +
          (notReady ? `, ${notReady} not Ready` : ""),
      });
    }
  } else if (
    notReady > 0 || findCondition(view.clusterOperators.find((o) => o.metadata.name === "network"), "Progressing")
        ?.status === "True"
  ) {
    return phase({
      ...base,
      state: "offline-flipped",
      step: 3,
      title: `offline step 3 of 3: ${OFFLINE_STEPS[2]}`,
      detail: `${target} is deployed; ${notReady} node(s) not Ready (reboots are not tracked: no progress record)`,
    });
  }
  return phase({
    ...base,
    state: "complete",
    step: null,
    title: `complete: the cluster runs ${target}`,
    detail: ids
      ? "every node rebooted since the flip and is Ready"
      : "every node is Ready (reboots since the flip are not known: no progress record)",
  });
}
