/**
 * Follows a limited live migration (cluster-behaviour.md §2.3–§2.5) to completion: watches network.config
 * (conditions, network type, MTU), the `network` cluster operator (Degraded reasons) and the machine
 * config pools, prints a progress line on every change, and stops with a diagnosis when CNO rejects the
 * migration (`InvalidClusterConfig`), fails it (`NetworkTypeMigrationFailed`), a pool degrades, or a pool
 * stays paused.
 */
import { formatDuration } from "../duration.ts";
import { BlockedError } from "../errors.ts";
import { R, type ResourceRef } from "../kube/resources.ts";
import type { Kube, KubeObject } from "../kube/types.ts";
import { diagnoseDegradedPool } from "./pools.ts";
import { poolDegraded } from "../openshift/pools.ts";

import { findCondition as condition } from "../openshift/conditions.ts";
import { liveMigrationComplete, liveMigrationInProgress } from "../openshift/live_migration.ts";
import { COND } from "../openshift/names.ts";
import { poolUpdating } from "../openshift/pools.ts";
const SHORT: Record<string, string> = {
  [COND.inProgress]: "InProgress",
  [COND.mtuReady]: "MTUReady",
  [COND.targetAvailable]: "TargetCNIAvailable",
  [COND.targetInUse]: "TargetCNIInUse",
  [COND.purged]: "OriginalCNIPurged",
};

/** One line: the five conditions, the network type and MTU, the pools. */
export function liveProgressLine(nc: KubeObject | undefined, pools: KubeObject[]): string {
  const conds = Object.entries(SHORT).map(([type, short]) => {
    const c = condition(nc, type);
    if (!c) return `${short}=-`;
    return `${short}=${c.status}${c.status !== "True" && c.reason ? `(${c.reason})` : ""}`;
  });
  const poolText = [...pools].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)).map((p) => {
    const s = p.status ?? {};
    const state = p.spec?.paused ? " paused" : poolUpdating(p) ? " updating" : "";
    return `${p.metadata.name} ${s.updatedMachineCount ?? 0}/${s.machineCount ?? "?"}${state}`;
  }).join(", ");
  return `live migration: ${conds.join(" ")}; type ${nc?.status?.networkType ?? "?"}, MTU ${
    nc?.status?.clusterNetworkMTU ?? "?"
  }; pools: ${poolText || "none"}`;
}

/** Why CNO rejected the live migration, and what to do about it (cluster-behaviour.md §2.2). */
export function blockedFix(message: string): string {
  if (message.includes("assign-macvlan")) {
    return "Save and delete the egress router pods (run execute again with --delete-egress-router-pods); " +
      "recreate them as EgressRouter CRs afterwards.";
  }
  if (message.includes("overlaps with network")) {
    return "Move OVN's internal subnet out of the way: run execute again with --join-subnet / --transit-subnet, " +
      "or --fix-subnets to choose free ones.";
  }
  if (message.includes("Multitenant")) return "Multitenant isolation cannot be live-migrated: use --method offline.";
  if (message.includes("HyperShift")) {
    return "Hosted clusters change the network type through the HostedCluster on the management cluster.";
  }
  if (message.includes("only supported for OVNKubernetes and OpenShiftSDN")) {
    return "Set spec.networkType to OVNKubernetes (or OpenShiftSDN to roll back).";
  }
  return "Read `oc get co network -o yaml` and fix what the message names.";
}

/** What to do when CNO fails a migration under way (cluster-behaviour.md §2.5). */
export function failedFix(message: string): string {
  if (message.includes("MCP is degraded")) {
    return "A machine config pool is degraded: `oc get mcp`, fix the node it names; the migration then continues.";
  }
  if (message.includes(`configmaps "mtu" not found`) || message.includes("format error")) {
    return "CNO needs ConfigMap openshift-network-operator/mtu with data.mtu (the hardware MTU), e.g. " +
      "oc create configmap mtu -n openshift-network-operator --from-literal=mtu=1500";
  }
  return "Read the network operator's log: oc logs -n openshift-network-operator deploy/network-operator";
}

export interface FollowOptions {
  target: string;
  timeoutMs: number;
  /** How long a pool may stay paused before the follower gives up (a paused pool never rolls out). */
  pausedGraceMs: number;
  /** "started": resolve once CNO has accepted the migration (InProgress True) instead of at completion. */
  until?: "started" | "complete";
  /** Right after a fix of a rejected trigger: CNO's old InvalidClusterConfig verdict stands this long (it revalidates). */
  blockedGraceMs?: number;
  signal?: AbortSignal;
  report(line: string): void;
  note(line: string): void;
}

export interface FollowResult {
  networkType: string;
  clusterNetworkMTU?: number;
}

type Verdict = { done: FollowResult } | { fail: Error } | { degradedPool: KubeObject } | { progress: string };

/** Watches until the live migration to `target` completes; rejects with a diagnosis when it cannot. */
export function followLiveMigration(kube: Kube, opts: FollowOptions): Promise<FollowResult> {
  const sources: Record<string, { ref: ResourceRef; watch: { fieldSelector?: string } }> = {
    nc: { ref: R.networkConfig, watch: { fieldSelector: "metadata.name=cluster" } },
    co: { ref: R.clusterOperator, watch: { fieldSelector: "metadata.name=network" } },
    mcp: { ref: R.machineConfigPool, watch: {} },
  };
  const state: Record<string, Map<string, KubeObject>> = { nc: new Map(), co: new Map(), mcp: new Map() };
  const synced = new Set<string>();
  const pausedSince = new Map<string, number>();
  const stop = new AbortController();
  let last: string | undefined;
  let settled = false;
  let pausedTimer: ReturnType<typeof setTimeout> | undefined;
  const startedAt = Date.now();

  const evaluate = (): Verdict => {
    const nc = state.nc.get("cluster");
    const co = state.co.get("network");
    const pools = [...state.mcp.values()];
    if (liveMigrationComplete(nc, opts.target)) {
      return { done: { networkType: opts.target, clusterNetworkMTU: nc?.status?.clusterNetworkMTU } };
    }
    if (opts.until === "started" && liveMigrationInProgress(nc)) {
      return { done: { networkType: nc?.status?.networkType ?? "", clusterNetworkMTU: nc?.status?.clusterNetworkMTU } };
    }
    const degraded = condition(co, "Degraded");
    const stale = (opts.blockedGraceMs ?? 0) > Date.now() - startedAt;
    if (degraded?.status === "True" && degraded.reason === "InvalidClusterConfig" && stale) {
      return { progress: "waiting for the network operator to revalidate the configuration" };
    }
    if (degraded?.status === "True" && degraded.reason === "InvalidClusterConfig") {
      return {
        fail: new BlockedError(
          `CNO rejected the live migration (Degraded InvalidClusterConfig): ${degraded.message ?? ""}`,
          `${
            blockedFix(degraded.message ?? "")
          }\nOnce fixed, CNO starts the migration by itself (within ~3 minutes); ` +
            "run the same command again to follow it.",
        ),
      };
    }
    if (degraded?.status === "True" && degraded.reason === "NetworkTypeMigrationFailed") {
      return {
        fail: new BlockedError(
          `The live migration failed (Degraded NetworkTypeMigrationFailed): ${degraded.message ?? ""}`,
          failedFix(degraded.message ?? ""),
        ),
      };
    }
    const bad = pools.find(poolDegraded);
    if (bad) return { degradedPool: bad };
    const now = Date.now();
    for (const p of pools) {
      if (!p.spec?.paused) pausedSince.delete(p.metadata.name);
      else if (!pausedSince.has(p.metadata.name)) pausedSince.set(p.metadata.name, now);
    }
    const stuck = [...pausedSince.entries()].find(([, since]) => now - since >= opts.pausedGraceMs);
    if (stuck) {
      return {
        fail: new BlockedError(
          `Machine config pool ${
            stuck[0]
          } stays paused: the MCO never rolls the migration's configuration out to it, ` +
            "so the migration cannot finish (its conditions stay MachineConfigNotApplied).",
          `Unpause it: oc patch mcp/${stuck[0]} --type merge -p '{"spec":{"paused":false}}', ` +
            "then run the same command again.",
        ),
      };
    }
    return { progress: liveProgressLine(nc, pools) };
  };

  return new Promise<FollowResult>((resolve, reject) => {
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(pausedTimer);
      opts.signal?.removeEventListener("abort", onAbort);
      stop.abort();
      fn();
    };
    const check = () => {
      if (settled || synced.size < Object.keys(sources).length) return;
      let v: Verdict;
      try {
        v = evaluate();
      } catch (e) {
        return finish(() => reject(e));
      }
      if ("done" in v) return finish(() => resolve(v.done));
      if ("fail" in v) return finish(() => reject(v.fail));
      if ("degradedPool" in v) {
        const pool = v.degradedPool;
        return finish(() => diagnoseDegradedPool(kube, pool).then(reject, reject));
      }
      if (v.progress !== last) {
        last = v.progress;
        opts.report(v.progress);
      }
      // A paused pool (or a stale verdict) gives no further events: look again when its grace runs out.
      clearTimeout(pausedTimer);
      const deadlines = [...pausedSince.values()].map((since) => since + opts.pausedGraceMs);
      if (opts.blockedGraceMs && startedAt + opts.blockedGraceMs > Date.now()) {
        deadlines.push(startedAt + opts.blockedGraceMs);
      }
      if (deadlines.length) pausedTimer = setTimeout(check, Math.max(10, Math.min(...deadlines) - Date.now()));
    };
    const onAbort = () => finish(() => reject(opts.signal?.reason ?? new Error("aborted")));
    const timer = opts.timeoutMs > 0
      ? setTimeout(
        () =>
          finish(() =>
            reject(
              new BlockedError(
                `The live migration did not complete within ${formatDuration(opts.timeoutMs)}` +
                  (last ? ` (${last})` : "") + ".",
                "Check `oc get network.config cluster -o jsonpath='{.status.conditions}'`, `oc get mcp` and " +
                  "`oc get co network`; raise --timeout if it is only slow. Running the same command again follows it.",
              ),
            )
          ),
        opts.timeoutMs,
      )
      : 0;
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener("abort", onAbort);
    for (const [name, src] of Object.entries(sources)) {
      const items = state[name];
      kube.watch(src.ref, {
        ...src.watch,
        signal: stop.signal,
        onSync: (all) => {
          items.clear();
          for (const o of all) items.set(o.metadata.name, o);
          synced.add(name);
          check();
        },
      }, (type, obj) => {
        if (type === "DELETED") items.delete(obj.metadata.name);
        else items.set(obj.metadata.name, obj);
        check();
      }).catch((e) => finish(() => reject(e)));
    }
  });
}
