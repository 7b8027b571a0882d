/**
 * Reads what `status` shows, each section on its own: a failed read becomes that section's error row and
 * never hides the others. Extra reads happen only when the phase needs them (rendered MachineConfigs while
 * a live migration runs, egress router pods when CNO refuses because of them, openshift-sdn DaemonSets
 * during a live migration), and rendered MachineConfigs are cached by name (their content never changes).
 */
import { EGRESS_ROUTER_ANNOTATION } from "../openshift/names.ts";
import { R } from "../kube/resources.ts";
import type { Kube, KubeObject } from "../kube/types.ts";
import { readLiveMigrationMetrics } from "../metrics/live_migration.ts";
import { readProgress } from "../migrate/progress.ts";
import { MCO_ANNOTATION as ANN } from "../openshift/names.ts";
import { explainBlock } from "./advice.ts";
import { cnoError, isLive, networkDegraded } from "./phase.ts";
import { findCondition } from "../openshift/conditions.ts";
import { type ClusterView, emptyView, type SectionName } from "./types.ts";

export { EGRESS_ROUTER_ANNOTATION } from "../openshift/names.ts";

type StatusKube = Pick<Kube, "get" | "list" | "listMetadata" | "exec">;

/** A read's failure as one line (no stack; KubeError messages are already worded for people). */
export function describeError(e: unknown): string {
  return e instanceof Error ? e.message.split("\n", 1)[0] : String(e);
}

async function section<T>(view: ClusterView, name: SectionName, read: () => Promise<T>): Promise<T | undefined> {
  try {
    const v = await read();
    delete view.errors[name];
    return v;
  } catch (e) {
    view.errors[name] = describeError(e);
    return undefined;
  }
}

/** The plugin a rendered MachineConfig's configure-ovs.sh runs. */
export function renderedPluginOf(mc: KubeObject | undefined): string | undefined {
  for (const u of mc?.spec?.config?.systemd?.units ?? []) {
    const m = /configure-ovs\.sh\s+(\w+)/.exec(u.contents ?? "");
    if (m) return m[1];
  }
  return undefined;
}

/** Reads the rendered MachineConfigs nodes and pools point at that are not cached yet. */
export async function readRenderedPlugins(kube: Pick<Kube, "get">, view: ClusterView): Promise<void> {
  const names = new Set<string>();
  for (const n of view.nodes) {
    const c = n.metadata.annotations?.[ANN.current];
    if (c) names.add(c);
  }
  for (const p of view.pools) {
    if (p.status?.configuration?.name) names.add(p.status.configuration.name);
  }
  const missing = [...names].filter((n) => !view.renderedPlugin.has(n));
  await section(view, "machineConfigs", async () => {
    for (const name of missing) view.renderedPlugin.set(name, renderedPluginOf(await kube.get(R.machineConfig, name)));
  });
}

/** Does the phase call for the rendered configs (plugin per node and pool)? */
export function wantsRenderedPlugins(view: ClusterView): boolean {
  return isLive(view) || Boolean(view.networkOperator?.spec?.migration?.networkType);
}

/** CNO refuses because of egress router pods (message or metric). */
export function blockedByEgressRouters(view: ClusterView): boolean {
  const d = networkDegraded(view);
  const msg = d?.reason === "InvalidClusterConfig" ? cnoError(d.message) : undefined;
  const reasons = view.metrics?.available ? view.metrics.blocked : [];
  return reasons.includes("UnsupportedMACVLANInterface") ||
    explainBlock(view, "", msg).reason === "UnsupportedMACVLANInterface";
}

/** Lists the pods CNO objects to (metadata only: the annotation is all that matters). */
export async function readEgressRouterPods(kube: Pick<Kube, "listMetadata">, view: ClusterView): Promise<void> {
  const pods = await section(view, "egressRouterPods", () => kube.listMetadata(R.pod));
  if (pods) {
    view.egressRouterPods = pods.filter((p) => EGRESS_ROUTER_ANNOTATION in (p.metadata.annotations ?? {}))
      .map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();
  }
}

/** A live migration under way (or triggered): DaemonSets left in openshift-sdn decide whether it can finish. */
export function wantsSdnDaemonSets(view: ClusterView): boolean {
  const c = findCondition(view.networkConfig, "NetworkTypeMigrationInProgress");
  return isLive(view) && c?.status === "True";
}

export async function readSdnDaemonSets(kube: Pick<Kube, "listMetadata">, view: ClusterView): Promise<void> {
  const ds = await section(view, "daemonSets", () => kube.listMetadata(R.daemonSet, { namespace: "openshift-sdn" }));
  if (ds) view.sdnDaemonSets = ds.map((d) => d.metadata.name).sort();
}

export async function readMetrics(kube: Pick<Kube, "exec">, view: ClusterView): Promise<void> {
  view.metrics = await readLiveMigrationMetrics(kube, { timeoutMs: 30_000 });
}

/** The reads that depend on what the base reads found (phase-specific enrichment). */
export async function enrich(kube: StatusKube, view: ClusterView): Promise<void> {
  await Promise.all([
    wantsRenderedPlugins(view) ? readRenderedPlugins(kube, view) : undefined,
    wantsSdnDaemonSets(view) ? readSdnDaemonSets(kube, view) : undefined,
  ]);
  if (blockedByEgressRouters(view) && view.egressRouterPods === undefined) await readEgressRouterPods(kube, view);
}

/** One complete read of the cluster (the snapshot without --watch). */
export async function collectView(kube: StatusKube, opts: { metrics?: boolean } = {}): Promise<ClusterView> {
  const view = emptyView();
  await Promise.all([
    section(view, "networkConfig", () => kube.get(R.networkConfig, "cluster")).then((o) => {
      view.networkConfig = o;
      if (o === undefined && !view.errors.networkConfig) view.errors.networkConfig = "network.config/cluster not found";
    }),
    section(view, "networkOperator", () => kube.get(R.networkOperator, "cluster")).then((o) =>
      view.networkOperator = o
    ),
    section(view, "infrastructure", () => kube.get(R.infrastructure, "cluster")).then((o) => view.infrastructure = o),
    section(view, "clusterOperators", () => kube.list(R.clusterOperator)).then((o) => view.clusterOperators = o ?? []),
    section(view, "pools", () => kube.list(R.machineConfigPool)).then((o) => view.pools = o ?? []),
    section(view, "nodes", () => kube.list(R.node)).then((o) => view.nodes = o ?? []),
    section(view, "progress", () => readProgress(kube)).then((o) => view.progress = o),
    opts.metrics === false ? undefined : readMetrics(kube, view),
  ]);
  await enrich(kube, view);
  return view;
}
