/**
 * The offline rollback from OVN-Kubernetes to OpenShift SDN (procedures.md §8, cluster-behaviour.md §1.6)
 * as steps. Unlike the documented commands and the Ansible role (prior-art.md §3 item 14) it pauses and
 * resumes every pool (not only master and worker), sets the migration features and the SDN MTU/VXLAN port
 * in the same patch as `spec.migration` (before network.config is switched), and stops on CNO's
 * "Not applying unsafe configuration change" degradation.
 */
import { BlockedError } from "../errors.ts";
import { R } from "../kube/resources.ts";
import {
  backupStep,
  clearMigrationStep,
  failIfOperatorDegraded,
  flipStep,
  getNetworkConfig,
  getNetworkOperator,
  operatorPatch,
  poolPatch,
  rebootNodesStep,
  type RebootSettings,
  recordBootIdsStep,
  removeLiveAnnotationStep,
  waitMultusStep,
  waitNetworkConfig,
  waitNodesReady,
} from "./common_steps.ts";
import { MIGRATION_ANNOTATION } from "../openshift/names.ts";
import { waitOperatorsHealthy } from "./operators.ts";
import { waitForPoolsOnPlugin } from "./pools.ts";
import type { Step } from "./step.ts";

const SDN = "OpenShiftSDN";

export interface RollbackOfflineOptions extends RebootSettings {
  /** `--no-egress-ip` etc.; undefined = CNO converts every feature back (the default). */
  features?: { egressIP: boolean; egressFirewall: boolean; multicast: boolean };
  /** `--mtu`, `--vxlan-port` into openshiftSDNConfig. */
  sdnConfig: { mtu?: number; vxlanPort?: number };
  mcoStartGraceMs: number;
  operatorReads: number;
  operatorIntervalMs: number;
}

/** The migration field with its features and the SDN settings in one patch: all set before the flip (item 14). */
export function rollbackMigrationBody(o: RollbackOfflineOptions) {
  const sdn = Object.fromEntries(Object.entries(o.sdnConfig).filter(([, v]) => v !== undefined));
  return {
    spec: {
      migration: { networkType: SDN, ...(o.features ? { features: o.features } : {}) },
      ...(Object.keys(sdn).length ? { defaultNetwork: { openshiftSDNConfig: sdn } } : {}),
    },
  };
}

const flipBody = { spec: { networkType: SDN } };

export function rollbackOfflineSteps(): Step<RollbackOfflineOptions>[] {
  return [
    backupStep("Back up the objects the rollback changes"),
    // With the annotation in place CNO would treat the switch below as a live migration.
    removeLiveAnnotationStep(`Remove the completed live migration's ${MIGRATION_ANNOTATION} annotation`),
    {
      id: "pause-pools",
      title: "Pause every machine config pool",
      disruptive: true,
      done: async (ctx) => (await ctx.kube.list(R.machineConfigPool)).every((p) => p.spec?.paused === true),
      plan: async (ctx) => (await ctx.kube.list(R.machineConfigPool)).map((p) => poolPatch(p.metadata.name, true)),
      apply: async (ctx) => {
        for (const p of await ctx.kube.list(R.machineConfigPool)) {
          if (!p.spec?.paused) {
            await ctx.kube.patch(R.machineConfigPool, p.metadata.name, { spec: { paused: true } }, "merge");
          }
        }
      },
      verify: async (ctx) => {
        const running = (await ctx.kube.list(R.machineConfigPool)).filter((p) => !p.spec?.paused);
        if (running.length) {
          throw new BlockedError(
            `Pools are not paused: ${running.map((p) => p.metadata.name).join(", ")}.`,
            "Something unpaused them; check `oc get mcp` and run the same command again.",
          );
        }
      },
    },
    clearMigrationStep(
      "clear-stale-migration",
      "Clear spec.migration of the forward migration",
      (_ctx, migration) => migration.networkType === SDN ? "spec.migration already targets OpenShiftSDN" : undefined,
    ),
    {
      id: "set-migration",
      title: "Set spec.migration to OpenShiftSDN (with features, MTU and VXLAN port)",
      disruptive: true,
      done: async (ctx) => {
        const spec = (await getNetworkOperator(ctx.kube)).spec ?? {};
        const sdn = spec.defaultNetwork?.openshiftSDNConfig ?? {};
        return spec.migration?.networkType === SDN &&
          Object.entries(ctx.options.sdnConfig).every(([k, v]) => v === undefined || sdn[k] === v);
      },
      plan: (ctx) => Promise.resolve([operatorPatch(rollbackMigrationBody(ctx.options))]),
      apply: async (ctx) => {
        await ctx.kube.patch(R.networkOperator, "cluster", rollbackMigrationBody(ctx.options), "merge");
      },
      verify: async (ctx) => {
        await waitNetworkConfig(
          ctx,
          "network.config status.migration.networkType OpenShiftSDN",
          (o) => o.status?.migration?.networkType === SDN,
        );
        await failIfOperatorDegraded(ctx.kube);
      },
    },
    recordBootIdsStep(),
    flipStep("Switch the cluster network type to OpenShiftSDN", () => SDN, () => flipBody),
    waitMultusStep(),
    rebootNodesStep(),
    {
      id: "unpause-pools",
      title: "Unpause every machine config pool (the MCO rolls out the SDN configuration)",
      disruptive: true,
      // Before the pause step has run (a dry run), the pools are unpaused only because nothing paused them yet.
      done: async (ctx) =>
        ctx.progress.isDone("pause-pools") && (await ctx.kube.list(R.machineConfigPool)).every((p) => !p.spec?.paused),
      plan: async (ctx) => (await ctx.kube.list(R.machineConfigPool)).map((p) => poolPatch(p.metadata.name, false)),
      apply: async (ctx) => {
        for (const p of await ctx.kube.list(R.machineConfigPool)) {
          if (p.spec?.paused) {
            await ctx.kube.patch(R.machineConfigPool, p.metadata.name, { spec: { paused: false } }, "merge");
          }
        }
      },
      verify: () => Promise.resolve(),
    },
    {
      id: "wait-machine-config",
      title: "Machine config pools rolled out (every node runs configure-ovs.sh OpenShiftSDN)",
      disruptive: false,
      done: () => Promise.resolve(false),
      plan: () =>
        Promise.resolve([{ command: "oc get mcp; oc get machineconfig <rendered> -o yaml | grep configure-ovs.sh" }]),
      apply: () => Promise.resolve(),
      verify: (ctx) =>
        waitForPoolsOnPlugin(ctx.kube, {
          plugin: SDN,
          timeoutMs: ctx.options.timeoutMs,
          startGraceMs: ctx.options.mcoStartGraceMs,
          signal: ctx.signal,
          report: ctx.report,
        }),
    },
    {
      id: "verify-rollback",
      title: "Verify: network type OpenShiftSDN, nodes Ready, operators healthy",
      disruptive: false,
      done: () => Promise.resolve(false),
      plan: () =>
        Promise.resolve([
          { command: "oc get network.config/cluster -o jsonpath='{.status.networkType}'" },
          { command: "oc get nodes; oc get co" },
        ]),
      apply: () => Promise.resolve(),
      verify: async (ctx) => {
        const nc = await getNetworkConfig(ctx.kube);
        if (nc.status?.networkType !== SDN) {
          throw new BlockedError(
            `network.config status.networkType is ${nc.status?.networkType}, not ${SDN}.`,
            "Check `oc get co network` and the network operator's log: oc logs -n openshift-network-operator deploy/network-operator",
          );
        }
        await waitNodesReady(ctx);
        await waitOperatorsHealthy(ctx.kube, {
          timeoutMs: ctx.options.timeoutMs,
          reads: ctx.options.operatorReads,
          intervalMs: ctx.options.operatorIntervalMs,
          signal: ctx.signal,
          report: ctx.report,
        });
      },
    },
  ];
}
