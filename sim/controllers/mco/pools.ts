/**
 * Pool membership, node availability and pool status as the MCO node controller computes them
 * (cluster-behaviour.md §5, MCO `status.go: calculateStatus`).
 */
import type { Obj } from "../../store.ts";
import { isNodeReady, matchesSelector } from "../node/keys.ts";
import { CURRENT_CONFIG, DESIRED_CONFIG, REASON, STATE } from "./keys.ts";

const ann = (n: Obj, k: string): string => n.metadata?.annotations?.[k] ?? "";

/** The pool a node belongs to: master wins, then custom pools, then worker. */
export function poolOfNode(node: Obj, pools: Obj[]): Obj | undefined {
  const matching = pools.filter((p) =>
    p.spec?.nodeSelector && matchesSelector(node.metadata.labels, p.spec.nodeSelector)
  );
  const rank = (p: Obj) => (p.metadata.name === "master" ? 0 : p.metadata.name === "worker" ? 2 : 1);
  return matching.sort((a, b) => rank(a) - rank(b))[0];
}

export function poolNodes(pool: Obj, nodes: Obj[], pools: Obj[]): Obj[] {
  return nodes.filter((n) => poolOfNode(n, pools)?.metadata.name === pool.metadata.name);
}

export const nodeState = (n: Obj) => ann(n, STATE);
export const currentConfig = (n: Obj) => ann(n, CURRENT_CONFIG);
export const desiredConfig = (n: Obj) => ann(n, DESIRED_CONFIG);
export const nodeReason = (n: Obj) => ann(n, REASON);

export const isDegraded = (n: Obj) => ["Degraded", "Unreconcilable"].includes(nodeState(n));

/** current == desired and the MCD says Done. */
export function isNodeDone(n: Obj): boolean {
  return currentConfig(n) !== "" && currentConfig(n) === desiredConfig(n) && nodeState(n) === "Done";
}

export function isUpdatedTo(n: Obj, target: string): boolean {
  return isNodeDone(n) && currentConfig(n) === target;
}

/** NotReady, cordoned, or updating (not Done) without failing. */
export function isNodeUnavailable(n: Obj): boolean {
  if (!isNodeReady(n) || n.spec?.unschedulable) return true;
  if (isNodeDone(n)) return false;
  return !isDegraded(n);
}

/** maxUnavailable scaled against the pool size (percent rounded down; never below 1). */
export function maxUnavailable(pool: Obj, total: number): number {
  const v = pool.spec?.maxUnavailable;
  let n = 1;
  if (typeof v === "number") n = v;
  else if (typeof v === "string") {
    const m = /^(\d+)%$/.exec(v);
    n = m ? Math.floor((Number(m[1]) * total) / 100) : Number(v) || 1;
  }
  return Math.max(1, n);
}

function condition(prev: Obj[], type: string, status: boolean, reason: string, message: string, now: string): Obj {
  const old = prev.find((c) => c.type === type);
  const s = status ? "True" : "False";
  return {
    type,
    status: s,
    lastTransitionTime: old?.status === s && old?.message === message ? old.lastTransitionTime : now,
    reason,
    message,
  };
}

/** The pool status for its nodes (§5). */
export function poolStatus(pool: Obj, nodes: Obj[], now: string): Obj {
  const target = pool.spec?.configuration?.name ?? "";
  const updated = nodes.filter((n) => isUpdatedTo(n, target));
  const ready = updated.filter((n) => isNodeReady(n) && !n.spec?.unschedulable);
  const degraded = nodes.filter(isDegraded);
  const unavailable = nodes.filter(isNodeUnavailable);
  const prev: Obj[] = pool.status?.conditions ?? [];
  const allUpdated = updated.length === nodes.length && ready.length === nodes.length && unavailable.length === 0;
  const conds: Obj[] = [];
  if (allUpdated) {
    conds.push(condition(prev, "Updated", true, "", `All nodes are updated with MachineConfig ${target}`, now));
    conds.push(condition(prev, "Updating", false, "", "", now));
  } else if (pool.spec?.paused) {
    conds.push(condition(prev, "Updated", false, "", "", now));
    conds.push(
      condition(prev, "Updating", false, "", `Pool is paused; will not update to MachineConfig ${target}`, now),
    );
  } else {
    conds.push(condition(prev, "Updated", false, "", "", now));
    conds.push(condition(prev, "Updating", true, "", `All nodes are updating to MachineConfig ${target}`, now));
  }
  if (degraded.length) {
    const message = degraded.map((n) => `Node ${n.metadata.name} is reporting: ${JSON.stringify(nodeReason(n))}`)
      .join(", ");
    conds.push(
      condition(
        prev,
        "NodeDegraded",
        true,
        `${degraded.length} nodes are reporting degraded status on sync`,
        message,
        now,
      ),
    );
  } else conds.push(condition(prev, "NodeDegraded", false, "", "", now));
  const render = prev.find((c) => c.type === "RenderDegraded");
  const renderDegraded = render?.status === "True";
  conds.push(render ?? condition(prev, "RenderDegraded", false, "", "", now));
  conds.push(condition(prev, "Degraded", degraded.length > 0 || renderDegraded, "", "", now));
  conds.push(condition(prev, "PinnedImageSetsDegraded", false, "", "", now));
  const configuration = allUpdated ? pool.spec.configuration : (pool.status?.configuration ?? pool.spec?.configuration);
  return {
    observedGeneration: pool.metadata.generation ?? 1,
    configuration,
    machineCount: nodes.length,
    updatedMachineCount: updated.length,
    readyMachineCount: ready.length,
    unavailableMachineCount: unavailable.length,
    degradedMachineCount: degraded.length,
    conditions: conds,
  };
}
