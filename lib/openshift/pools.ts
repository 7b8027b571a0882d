/**
 * Machine config pools as the MCO reports them (cluster-behaviour.md §5): when a pool has finished rolling
 * out, when it is degraded, and whether a rendered config runs a given network plugin.
 */
import type { KubeObject } from "../kube/types.ts";
import { findCondition } from "./conditions.ts";

/** The pool has rolled every node to the configuration it currently targets. */
export function poolSettled(p: KubeObject): boolean {
  const s = p.status ?? {};
  return Boolean(p.spec?.configuration?.name) &&
    s.configuration?.name === p.spec.configuration.name &&
    s.machineCount === s.updatedMachineCount &&
    s.machineCount === s.readyMachineCount &&
    (s.unavailableMachineCount ?? 0) === 0 &&
    findCondition(p, "Updated")?.status === "True";
}

export function poolDegraded(p: KubeObject): boolean {
  return (p.status?.degradedMachineCount ?? 0) > 0 || findCondition(p, "Degraded")?.status === "True" ||
    findCondition(p, "NodeDegraded")?.status === "True";
}

/** A rendered MachineConfig's Ignition runs `configure-ovs.sh <plugin>`. */
export function renderedRunsPlugin(mc: KubeObject | undefined, plugin: string): boolean {
  const units = mc?.spec?.config?.systemd?.units ?? [];
  const line = `configure-ovs.sh ${plugin}`;
  return units.some((u: { contents?: string }) => (u.contents ?? "").includes(line));
}

/** The MCO is rolling the pool out (Updating=True). */
export const poolUpdating = (p: KubeObject): boolean => findCondition(p, "Updating")?.status === "True";
