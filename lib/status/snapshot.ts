/**
 * Turns a ClusterView into the StatusSnapshot printed by `status` (pure: the same view and clock give
 * the same snapshot). Sections whose read failed carry `{error}` instead of data.
 */
import type { KubeObject } from "../kube/types.ts";
import { operatorProblem } from "../migrate/operators.ts";
import { MCO_ANNOTATION as ANN } from "../openshift/names.ts";
import { problems } from "./advice.ts";
import { bootIDsAtFlip, inferPhase } from "./phase.ts";
import { findCondition } from "../openshift/conditions.ts";
import { CONDITION_TYPES } from "../openshift/names.ts";
import { bootID, nodeReady } from "../openshift/nodes.ts";
import { timing } from "./timing.ts";
import {
  type ClusterView,
  type ConditionRow,
  type MetricsSection,
  type NodeRow,
  type NodesSection,
  type OperatorRow,
  type Phase,
  type PoolRow,
  type Section,
  SNAPSHOT_SCHEMA,
  type StatusSnapshot,
} from "./types.ts";

export const MAX_LAGGARDS = 50;

function conditionsSection(view: ClusterView): Section<ConditionRow[]> {
  if (!view.networkConfig) return { error: view.errors.networkConfig ?? "network.config/cluster not found" };
  return CONDITION_TYPES.map((type) => findCondition(view.networkConfig, type)).filter((c) => c !== undefined).map((
    c,
  ) => ({
    type: c.type,
    status: c.status,
    reason: c.reason ?? "",
    message: c.message ?? "",
    since: c.lastTransitionTime ?? null,
  }));
}

function poolsSection(view: ClusterView): Section<PoolRow[]> {
  if (view.errors.pools) return { error: view.errors.pools };
  return [...view.pools].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)).map((p) => {
    const s = p.status ?? {};
    const configuration = s.configuration?.name ?? null;
    return {
      name: p.metadata.name,
      total: s.machineCount ?? 0,
      updated: s.updatedMachineCount ?? 0,
      ready: s.readyMachineCount ?? 0,
      degraded: s.degradedMachineCount ?? 0,
      unavailable: s.unavailableMachineCount ?? 0,
      paused: Boolean(p.spec?.paused),
      updating: findCondition(p, "Updating")?.status === "True",
      configuration,
      plugin: configuration ? view.renderedPlugin.get(configuration) ?? null : null,
    };
  });
}

/** The pool a node belongs to: a custom pool's role label wins over worker (as the MCO assigns them). */
function poolOf(view: ClusterView, n: KubeObject): string | null {
  const labels = n.metadata.labels ?? {};
  const names = view.pools.map((p) => p.metadata.name);
  const custom = names.find((p) => p !== "worker" && p !== "master" && `node-role.kubernetes.io/${p}` in labels);
  if (custom) return custom;
  if ("node-role.kubernetes.io/master" in labels || "node-role.kubernetes.io/control-plane" in labels) return "master";
  if ("node-role.kubernetes.io/worker" in labels) return "worker";
  return null;
}

/** The plugin a node runs (see SCHEMA.md "nodes"): how it can be told depends on the method and phase. */
function nodePlugin(view: ClusterView, ph: Phase, n: KubeObject, rebooted: boolean | null): string | null {
  const statusType = view.networkConfig?.status?.networkType ?? null;
  if (ph.method === "live" && ph.state !== "complete") {
    const current = n.metadata.annotations?.[ANN.current];
    return current ? view.renderedPlugin.get(current) ?? null : null;
  }
  if (ph.method === "offline" && (ph.state === "offline-flipped" || ph.state === "failed") && ph.to && ph.from) {
    if (statusType !== ph.to) return ph.from;
    return rebooted === null ? null : rebooted ? ph.to : ph.from;
  }
  return statusType;
}

function nodesSection(view: ClusterView, ph: Phase): Section<NodesSection> {
  if (view.errors.nodes) return { error: view.errors.nodes };
  const ids = bootIDsAtFlip(view);
  const flipped = ph.method === "offline" && (ph.state === "offline-flipped" || ph.state === "complete" ||
    ph.state === "failed") &&
    view.networkConfig?.spec?.networkType === ph.to;
  const rows: NodeRow[] = view.nodes.map((n) => {
    const a = n.metadata.annotations ?? {};
    const state = a[ANN.state] ?? "";
    const rebooted = flipped && ids && ids[n.metadata.name] !== undefined ? ids[n.metadata.name] !== bootID(n) : null;
    const row: NodeRow = {
      name: n.metadata.name,
      pool: poolOf(view, n),
      state,
      configUpToDate: Boolean(a[ANN.current]) && a[ANN.current] === a[ANN.desired],
      ready: nodeReady(n),
      unschedulable: Boolean(n.spec?.unschedulable),
      rebootedSinceFlip: rebooted,
      plugin: null,
      why: "",
    };
    row.plugin = nodePlugin(view, ph, n, rebooted);
    const why: string[] = [];
    if (state === "Degraded" || state === "Unreconcilable") why.push(`${state}: ${a[ANN.reason] || "no reason"}`);
    if (!row.ready) why.push("NotReady");
    if (state === "Working") why.push("updating");
    else if (!row.configUpToDate) why.push("update pending");
    if (row.unschedulable && state !== "Working") why.push("cordoned");
    if (rebooted === false) why.push("not rebooted since the flip");
    row.why = why.join(", ");
    return row;
  });
  const rank = (r: NodeRow) =>
    r.state === "Degraded" || r.state === "Unreconcilable" ? 0 : !r.ready ? 1 : r.state === "Working" ? 2 : 3;
  const laggards = rows.filter((r) => r.why).sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const plugins: Record<string, number> = {};
  for (const r of rows) if (r.plugin) plugins[r.plugin] = (plugins[r.plugin] ?? 0) + 1;
  return {
    total: rows.length,
    ready: rows.filter((r) => r.ready).length,
    configUpToDate: rows.filter((r) => r.configUpToDate).length,
    working: rows.filter((r) => r.state === "Working").length,
    degraded: rows.filter((r) => r.state === "Degraded" || r.state === "Unreconcilable").length,
    rebootedSinceFlip: flipped && ids ? rows.filter((r) => r.rebootedSinceFlip === true).length : null,
    plugins,
    laggards: laggards.slice(0, MAX_LAGGARDS),
    laggardsOmitted: Math.max(0, laggards.length - MAX_LAGGARDS),
  };
}

function operatorsSection(view: ClusterView): Section<OperatorRow[]> {
  if (view.errors.clusterOperators) return { error: view.errors.clusterOperators };
  const st = (o: KubeObject, t: string) => findCondition(o, t)?.status ?? "Unknown";
  return view.clusterOperators.filter((o) => operatorProblem(o)).sort((a, b) =>
    a.metadata.name.localeCompare(b.metadata.name)
  ).map((o) => {
    const bad = findCondition(o, "Degraded")?.status === "True"
      ? findCondition(o, "Degraded")
      : findCondition(o, "Available")?.status !== "True"
      ? findCondition(o, "Available")
      : findCondition(o, "Progressing");
    return {
      name: o.metadata.name,
      available: st(o, "Available"),
      progressing: st(o, "Progressing"),
      degraded: st(o, "Degraded"),
      reason: bad?.reason ?? "",
      message: bad?.message ?? "",
    };
  });
}

function metricsSection(view: ClusterView): MetricsSection {
  const m = view.metrics;
  if (!m) {
    return {
      available: false,
      source: null,
      why: `metrics unavailable: ${view.errors.metrics ?? "not read yet"}`,
      blocked: [],
      conditions: {},
    };
  }
  if (!m.available) {
    return { available: false, source: null, why: `metrics unavailable: ${m.why}`, blocked: [], conditions: {} };
  }
  return { available: true, source: m.source, why: null, blocked: m.blocked, conditions: m.conditions };
}

/** The cluster's "now": the local clock, or later when the cluster's own timestamps are ahead of it. */
export function clusterNow(view: ClusterView, localNow: number): number {
  let now = localNow;
  const seen = (t: string | undefined) => {
    const ms = t ? Date.parse(t) : NaN;
    if (ms > now) now = ms;
  };
  for (const c of view.networkConfig?.status?.conditions ?? []) seen(c.lastTransitionTime);
  for (const o of [...view.clusterOperators, ...view.pools]) {
    for (const c of o.status?.conditions ?? []) seen(c.lastTransitionTime);
  }
  if (view.metrics?.available && view.metrics.evaluatedAt && view.metrics.evaluatedAt > now) {
    now = view.metrics.evaluatedAt;
  }
  return now;
}

export function buildSnapshot(view: ClusterView, localNow = Date.now()): StatusSnapshot {
  const ph = inferPhase(view);
  const nodes = nodesSection(view, ph);
  const now = clusterNow(view, localNow);
  const errors = Object.entries(view.errors).filter(([, e]) => e).map(([section, error]) => ({
    section,
    error: error!,
  }));
  return {
    schema: SNAPSHOT_SCHEMA,
    observedAt: new Date(now).toISOString(),
    phase: ph,
    conditions: conditionsSection(view),
    pools: poolsSection(view),
    nodes,
    operators: operatorsSection(view),
    metrics: metricsSection(view),
    problems: problems(view, ph),
    timing: timing(view, ph, now),
    errors,
  };
}
