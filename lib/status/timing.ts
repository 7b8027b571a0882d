/**
 * Elapsed time and an estimate of what is left, from the pace of node updates so far. A migration costs
 * two node updates per node: live = two MCO rollouts (§2.4); offline = the MCO's prepare rollout plus the
 * reboot after the flip (§1). The estimate assumes the remaining updates go at the average pace so far.
 */
import type { KubeObject } from "../kube/types.ts";
import { findCondition } from "../openshift/conditions.ts";
import { COND } from "../openshift/names.ts";
import { bootID } from "../openshift/nodes.ts";
import type { ClusterView, Phase, Timing } from "./types.ts";

const updating = (p: KubeObject) =>
  findCondition(p, "Updating")?.status === "True" ||
  (p.spec?.configuration?.name && p.spec.configuration.name !== p.status?.configuration?.name);

/** Nodes done in the rollout under way: the pools' updated counts while any rolls, else 0 or all. */
function rolloutDone(view: ClusterView, total: number, finished: boolean): number {
  if (view.pools.some(updating)) {
    return Math.min(total, view.pools.reduce((n, p) => n + (p.status?.updatedMachineCount ?? 0), 0));
  }
  return finished ? total : 0;
}

function nodeUpdates(view: ClusterView, ph: Phase): { done: number; total: number } | undefined {
  const n = view.nodes.length || view.pools.reduce((s, p) => s + (p.status?.machineCount ?? 0), 0);
  if (!n || !ph.method) return undefined;
  const total = 2 * n;
  if (ph.state === "complete") return { done: total, total };
  const nc = view.networkConfig;
  const reason = (t: string) => findCondition(nc, t)?.reason;
  const statusOf = (t: string) => findCondition(nc, t)?.status;
  if (ph.method === "live") {
    switch (ph.step) {
      case 1:
        return { done: 0, total };
      case 2:
        return {
          done: rolloutDone(
            view,
            n,
            reason(COND.mtuReady) === "MachineConfigPoolsUpdating" || statusOf(COND.mtuReady) === "True",
          ),
          total,
        };
      case 3:
        return {
          done: n + rolloutDone(
            view,
            n,
            reason(COND.targetInUse) === "MachineConfigPoolsUpdating" || statusOf(COND.targetInUse) === "True",
          ),
          total,
        };
      case 4:
        return { done: total, total };
      default:
        return { done: 0, total };
    }
  }
  if (ph.state === "offline-preparing") return { done: rolloutDone(view, n, false), total };
  if (ph.state === "offline-prepared" || ph.step === 2) return { done: n, total };
  const ids = view.progress?.data?.bootIDsAtFlip as Record<string, string> | undefined;
  if (ids) {
    const rebooted = view.nodes.filter((x) =>
      ids[x.metadata.name] !== undefined && ids[x.metadata.name] !== bootID(x)
    ).length;
    return { done: n + rebooted, total };
  }
  return { done: n, total };
}

function startedAt(view: ClusterView, ph: Phase): string | null {
  const inProgress = findCondition(view.networkConfig, COND.inProgress);
  if (ph.method === "live" && inProgress?.status === "True" && inProgress.lastTransitionTime) {
    return inProgress.lastTransitionTime;
  }
  const rec = view.progress;
  if (rec && ph.to && rec.to === ph.to) return rec.startedAt;
  return null;
}

export function timing(view: ClusterView, ph: Phase, now: number): Timing {
  const start = ph.method ? startedAt(view, ph) : null;
  const startMs = start ? Date.parse(start) : NaN;
  let end = now;
  const inProgress = findCondition(view.networkConfig, COND.inProgress);
  if (ph.state === "complete" && inProgress?.status === "False" && inProgress.lastTransitionTime) {
    end = Date.parse(inProgress.lastTransitionTime);
  }
  const elapsedSeconds = Number.isFinite(startMs) ? Math.max(0, Math.round((end - startMs) / 1000)) : null;
  const updates = ph.state === "not-started" ? undefined : nodeUpdates(view, ph);
  let etaSeconds: number | null = null;
  if (ph.state === "complete") etaSeconds = 0;
  // Blocked or failed: nothing moves until someone acts, so the pace so far predicts nothing.
  else if (ph.state === "blocked" || ph.state === "failed") etaSeconds = null;
  else if (updates && elapsedSeconds !== null && updates.done > 0 && updates.done < updates.total) {
    etaSeconds = Math.round(elapsedSeconds / updates.done * (updates.total - updates.done));
  }
  return {
    startedAt: start,
    elapsedSeconds,
    nodeUpdatesDone: updates?.done ?? null,
    nodeUpdatesTotal: updates?.total ?? null,
    etaSeconds,
  };
}
