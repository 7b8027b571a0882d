/**
 * The operconfig match functions on rendered MachineConfigs (cluster-behaviour.md §2.3): MTUReady needs an
 * enabled `mtu-migration.service`; TargetCNIInUse needs `ovs-configuration.service` enabled running
 * `configure-ovs.sh <type>` and no `mtu-migration.service`.
 */
import type { Obj } from "../../store.ts";

interface Unit {
  name: string;
  enabled?: boolean;
  contents?: string;
}

export function units(mc: Obj | undefined): Unit[] {
  let config = mc?.spec?.config;
  if (typeof config === "string") {
    try {
      config = JSON.parse(config);
    } catch {
      return [];
    }
  }
  return config?.systemd?.units ?? [];
}

export function mtuMigrationApplied(mc: Obj | undefined): boolean {
  return units(mc).some((u) => u.name === "mtu-migration.service" && u.enabled === true);
}

export function targetCNIApplied(mc: Obj | undefined, networkType: string): boolean {
  const us = units(mc);
  if (us.some((u) => u.name === "mtu-migration.service")) return false;
  return us.some((u) =>
    u.name === "ovs-configuration.service" && u.enabled === true &&
    (u.contents ?? "").includes(`ExecStart=/usr/local/bin/configure-ovs.sh ${networkType}`)
  );
}
