/**
 * A rough duration estimate: pools roll concurrently, each `maxUnavailable` nodes at a time; one
 * node update (drain, reboot, rejoin) takes about NODE_MINUTES. Offline = one MCO rollout plus one
 * reboot round of every node; live = two MCO rollouts (procedures.md §0).
 */
import type { PoolFact } from "./facts.ts";

/** Minutes per node update: drain + reboot + return, a typical figure for cloud VMs. */
export const NODE_MINUTES = 8;

export function maxUnavailableOf(pool: PoolFact): number {
  const v = pool.maxUnavailable;
  if (typeof v === "number") return Math.max(1, v);
  const pct = typeof v === "string" ? /^(\d+)%$/.exec(v) : null;
  // Percentages scale with the pool and round down, with a floor of one node (MCO behaviour).
  if (pct) return Math.max(1, Math.floor((pool.machineCount * Number(pct[1])) / 100));
  return 1;
}

export function estimateMinutes(pools: PoolFact[], method: "offline" | "live", nodeCount = 0): number {
  const rollouts = method === "live" ? 2 : 1;
  const counted = pools.reduce((n, p) => n + p.machineCount, 0);
  // Pools that report no machines (status not written yet): assume one pool of every node, one at a time.
  const longest = counted === 0
    ? nodeCount
    : Math.max(0, ...pools.map((p) => Math.ceil(p.machineCount / maxUnavailableOf(p))));
  // Offline reboots every node once more after the switch; done in parallel batches it takes one round.
  return longest * NODE_MINUTES * rollouts + (method === "offline" ? NODE_MINUTES * 2 : 0);
}

export function formatMinutes(min: number): string {
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
