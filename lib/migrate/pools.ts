/**
 * Machine config pool rollouts as the MCO reports them (cluster-behaviour.md §5): when a pool has
 * finished, whether its rendered config runs the target plugin, and a diagnosis when it degrades.
 */
import { formatDuration } from "../duration.ts";
import { BlockedError } from "../errors.ts";
import { R } from "../kube/resources.ts";
import { findCondition } from "../openshift/conditions.ts";
import { MCO_ANNOTATION, MCO_NAMESPACE } from "../openshift/names.ts";
import { poolDegraded, poolSettled, renderedRunsPlugin } from "../openshift/pools.ts";
import type { Kube, KubeObject } from "../kube/types.ts";
import { watchUntil } from "./wait.ts";
import { sleep } from "../sleep.ts";

export function poolProgress(pools: Iterable<KubeObject>): string {
  return [...pools].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)).map((p) =>
    `${p.metadata.name} ${p.status?.updatedMachineCount ?? 0}/${p.status?.machineCount ?? "?"} updated`
  ).join(", ");
}

const unpause = (name: string) => `oc patch mcp/${name} --type merge -p '{"spec":{"paused":false}}'`;

export interface RolloutWaitOptions {
  plugin: string;
  timeoutMs: number;
  /** How long MCO may take to start rolling out a configuration with the target plugin. */
  startGraceMs: number;
  signal?: AbortSignal;
  report(line: string): void;
}

/**
 * Waits until every pool runs a rendered config with `configure-ovs.sh <plugin>` on all its nodes.
 * Stops with a diagnosis on a paused or degraded pool, or when the MCO never starts.
 */
export async function waitForPoolsOnPlugin(kube: Kube, opts: RolloutWaitOptions): Promise<void> {
  const started = Date.now();
  const mcCache = new Map<string, boolean>();
  const runsPlugin = async (name: string) => {
    if (!mcCache.has(name)) {
      mcCache.set(name, renderedRunsPlugin(await kube.get(R.machineConfig, name), opts.plugin));
    }
    return mcCache.get(name)!;
  };
  const remaining = () => opts.timeoutMs > 0 ? Math.max(1, opts.timeoutMs - (Date.now() - started)) : 0;
  const timeout = (last?: string) =>
    new BlockedError(
      `The machine config pools did not finish rolling out within ${formatDuration(opts.timeoutMs)}` +
        (last ? ` (${last})` : "") + ".",
      "Check `oc get mcp` and `oc get nodes`; raise --timeout if the rollout is only slow.",
    );

  while (true) {
    const result = await watchUntil<{ degraded?: KubeObject; pools?: KubeObject[] }>(
      kube,
      R.machineConfigPool,
      {},
      (pools) => {
        const all = [...pools.values()];
        const paused = all.find((p) => p.spec?.paused);
        if (paused) {
          return {
            fail: new BlockedError(
              `Machine config pool ${paused.metadata.name} is paused: the MCO will not roll out the new configuration to it.`,
              `Unpause it: ${unpause(paused.metadata.name)}`,
            ),
          };
        }
        const degraded = all.find(poolDegraded);
        if (degraded) return { done: { degraded } };
        if (all.length > 0 && all.every(poolSettled)) return { done: { pools: all } };
        return { progress: `waiting for the machine config pools: ${poolProgress(all)}` };
      },
      { timeoutMs: remaining(), onTimeout: timeout, signal: opts.signal, report: opts.report },
    );
    if (result.degraded) throw await diagnoseDegradedPool(kube, result.degraded);
    const notYet: string[] = [];
    for (const p of result.pools!) {
      if (!await runsPlugin(p.spec.configuration.name)) notYet.push(p.metadata.name);
    }
    if (notYet.length === 0) return;
    if (Date.now() - started > opts.startGraceMs) {
      throw new BlockedError(
        `The MCO has not rolled out a configuration running configure-ovs.sh ${opts.plugin} to pool(s) ` +
          `${notYet.join(", ")} within ${Math.round(opts.startGraceMs / 1000)} s.`,
        "Check `oc get network.config cluster -o jsonpath='{.status.migration}'` (the MCO renders from it) and " +
          "`oc get co machine-config`.",
      );
    }
    opts.report(`waiting for the MCO to start rolling out pool(s) ${notYet.join(", ")}`);
    await sleep(Math.min(2000, opts.startGraceMs), opts.signal);
  }
}

/** What is wrong with a degraded pool: the node, its MCD reason, and the daemon pod to read. */
export async function diagnoseDegradedPool(kube: Kube, pool: KubeObject): Promise<BlockedError> {
  const nodes = await kube.listMetadata(R.node);
  const bad = nodes.filter((n) =>
    ["Degraded", "Unreconcilable"].includes(n.metadata.annotations?.[MCO_ANNOTATION.state] ?? "")
  );
  const daemons = await kube.list(R.pod, { namespace: MCO_NAMESPACE });
  const daemonOn = (node: string) =>
    daemons.find((p) => p.spec?.nodeName === node && p.metadata.name.startsWith("machine-config-daemon-"));
  const lines = bad.map((n) => {
    const reason = n.metadata.annotations?.[MCO_ANNOTATION.reason] || "(no reason given)";
    const pod = daemonOn(n.metadata.name);
    const read = pod
      ? `oc logs -n ${MCO_NAMESPACE} ${pod.metadata.name} -c machine-config-daemon`
      : `oc get pods -n ${MCO_NAMESPACE} -o wide | grep ${n.metadata.name}`;
    return `node ${n.metadata.name}: ${reason}\n    read the daemon's log: ${read}`;
  });
  const message = findCondition(pool, "NodeDegraded")?.message ?? findCondition(pool, "Degraded")?.message ?? "";
  return new BlockedError(
    `Machine config pool ${pool.metadata.name} is degraded${message ? ` (${message})` : ""}.` +
      (lines.length ? `\n  ${lines.join("\n  ")}` : ""),
    "Fix the node (see the reason above), then run the same command again; it resumes.",
  );
}
