/**
 * The offline rollback from OVN-Kubernetes to OpenShift SDN (procedures.md §8, cluster-behaviour.md §1.6)
 * as steps. Unlike the documented commands and the Ansible role (prior-art.md §3 item 14) it pauses and
 * resumes every pool (not only master and worker), sets the migration features and the SDN MTU/VXLAN port
 * in the same patch as `spec.migration` (before network.config is switched), and stops on CNO's
 * "Not applying unsafe configuration change" degradation.
 */
import { BlockedError } from "../errors.ts";
import { R } from "../kube/resources.ts";
import type { Kube, KubeObject } from "../kube/types.ts";
import { writeBackup } from "./backup.ts";
import { MIGRATION_ANNOTATION } from "./live_wait.ts";
import { BOOT_IDS_KEY, daemonSetRolledOut } from "./offline.ts";
import { waitOperatorsHealthy } from "./operators.ts";
import { waitForPoolsOnPlugin } from "./pools.ts";
import { bootID, isReady, type RebootMethod, rebootNodes } from "./reboot.ts";
import type { PlannedCall, Step, StepContext } from "./step.ts";
import { watchUntil } from "./wait.ts";

const SDN = "OpenShiftSDN";

export interface RollbackOfflineOptions {
  /** `--no-egress-ip` etc.; undefined = CNO converts every feature back (the default). */
  features?: { egressIP: boolean; egressFirewall: boolean; multicast: boolean };
  /** `--mtu`, `--vxlan-port` into openshiftSDNConfig. */
  sdnConfig: { mtu?: number; vxlanPort?: number };
  reboot: RebootMethod;
  sshUser?: string;
  sshKey?: string;
  rebootBatch: number | "all";
  allowAllMasters: boolean;
  timeoutMs: number;
  mcoStartGraceMs: number;
  operatorReads: number;
  operatorIntervalMs: number;
  rebootRequestGraceMs: number;
  rebootRetryDelayMs: number;
  backupDir: string;
}

type Ctx = StepContext<RollbackOfflineOptions>;

const getNetworkConfig = async (kube: Kube) => (await kube.get(R.networkConfig, "cluster"))!;
const getNetworkOperator = async (kube: Kube) => (await kube.get(R.networkOperator, "cluster"))!;

const operatorPatch = (body: unknown): PlannedCall => ({
  command: `oc patch Network.operator.openshift.io cluster --type='merge' --patch '${JSON.stringify(body)}'`,
  request: "PATCH /apis/operator.openshift.io/v1/networks/cluster (merge)",
  body,
});
const configPatch = (body: unknown): PlannedCall => ({
  command: `oc patch Network.config.openshift.io cluster --type='merge' --patch '${JSON.stringify(body)}'`,
  request: "PATCH /apis/config.openshift.io/v1/networks/cluster (merge)",
  body,
});
const poolPatch = (name: string, paused: boolean): PlannedCall => ({
  command: `oc patch MachineConfigPool ${name} --type='merge' --patch '{"spec":{"paused":${paused}}}'`,
  request: `PATCH /apis/machineconfiguration.openshift.io/v1/machineconfigpools/${name} (merge)`,
  body: { spec: { paused } },
});

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

/** CNO refuses what it cannot apply by going Degraded ("Not applying unsafe configuration change" among others). */
async function failIfOperatorDegraded(kube: Kube): Promise<void> {
  const co = await kube.get(R.clusterOperator, "network");
  const degraded = (co?.status?.conditions ?? []).find((c: { type: string; status: string }) =>
    c.type === "Degraded" && c.status === "True"
  );
  if (degraded) {
    throw new BlockedError(
      `The network operator is Degraded (${degraded.reason ?? "no reason"}): ${degraded.message ?? ""}`,
      "Read `oc get co network -o yaml` and `oc get network.operator cluster -o yaml`; undo the change it names.",
    );
  }
}

function waitNetworkConfig(ctx: Ctx, what: string, ok: (o: KubeObject) => boolean) {
  return watchUntil<KubeObject, true>(
    ctx.kube,
    R.networkConfig,
    { fieldSelector: "metadata.name=cluster" },
    (items) => {
      const o = items.get("/cluster");
      return o && ok(o) ? { done: true } : { progress: `waiting for ${what}` };
    },
    {
      timeoutMs: ctx.options.timeoutMs,
      signal: ctx.signal,
      report: ctx.report,
      onTimeout: () =>
        new BlockedError(
          `Timed out waiting for ${what}.`,
          "Check `oc get co network` and the network operator's log: oc logs -n openshift-network-operator deploy/network-operator",
        ),
    },
  );
}

function reboot(ctx: Ctx) {
  const o = ctx.options;
  return rebootNodes(ctx.kube, ctx.progress, ctx.progress.get<Record<string, string>>(BOOT_IDS_KEY) ?? {}, {
    method: o.reboot,
    sshUser: o.sshUser,
    sshKey: o.sshKey,
    batch: o.rebootBatch,
    allowAllMasters: o.allowAllMasters,
    timeoutMs: o.timeoutMs,
    requestGraceMs: o.rebootRequestGraceMs,
    retryDelayMs: o.rebootRetryDelayMs,
    attempts: 5,
    signal: ctx.signal,
    report: ctx.report,
    note: ctx.note,
  });
}

async function recordBootIDs(ctx: Ctx): Promise<void> {
  const nodes = await ctx.kube.list(R.node);
  await ctx.progress.set(BOOT_IDS_KEY, Object.fromEntries(nodes.map((n) => [n.metadata.name, bootID(n)])));
}

export function rollbackOfflineSteps(): Step<RollbackOfflineOptions>[] {
  return [
    {
      id: "backup",
      title: "Back up the objects the rollback changes",
      disruptive: false,
      done: (ctx) => Promise.resolve(Boolean(ctx.progress.get("backup"))),
      plan: (ctx) =>
        Promise.resolve([{
          command: `oc get Network.config.openshift.io cluster -o yaml > ${ctx.options.backupDir}/network-config.yaml`,
          request: "GET network.config, network.operator, machineconfigpools, egress objects",
        }]),
      apply: async (ctx) => {
        const files = await writeBackup(ctx.kube, ctx.options.backupDir);
        await ctx.progress.set("backup", { dir: ctx.options.backupDir, files, at: new Date().toISOString() });
        ctx.note(`backup written to ${ctx.options.backupDir} (${files.length} files)`);
      },
      verify: () => Promise.resolve(),
    },
    {
      id: "remove-live-annotation",
      title: `Remove the completed live migration's ${MIGRATION_ANNOTATION} annotation`,
      disruptive: false,
      // With the annotation in place CNO would treat the switch below as a live migration.
      skip: async (ctx) =>
        (await getNetworkConfig(ctx.kube)).metadata.annotations?.[MIGRATION_ANNOTATION] === undefined
          ? "the annotation is not set"
          : undefined,
      done: () => Promise.resolve(false),
      plan: () =>
        Promise.resolve([{
          command: `oc annotate network.config cluster ${MIGRATION_ANNOTATION}-`,
          request: "PATCH /apis/config.openshift.io/v1/networks/cluster (merge)",
        }]),
      apply: async (ctx) => {
        await ctx.kube.patch(
          R.networkConfig,
          "cluster",
          { metadata: { annotations: { [MIGRATION_ANNOTATION]: null } } },
          "merge",
        );
      },
      verify: () => Promise.resolve(),
    },
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
          throw new BlockedError(`Pools are not paused: ${running.map((p) => p.metadata.name).join(", ")}.`);
        }
      },
    },
    {
      id: "clear-stale-migration",
      title: "Clear spec.migration of the forward migration",
      disruptive: false,
      skip: async (ctx) => {
        const migration = (await getNetworkOperator(ctx.kube)).spec?.migration;
        if (!migration) return "spec.migration is empty";
        if (migration.networkType === SDN) return "spec.migration already targets OpenShiftSDN";
        return undefined;
      },
      done: () => Promise.resolve(false),
      plan: () => Promise.resolve([operatorPatch({ spec: { migration: null } })]),
      apply: async (ctx) => {
        await ctx.kube.patch(R.networkOperator, "cluster", { spec: { migration: null } }, "merge");
      },
      verify: (ctx) => waitNetworkConfig(ctx, "network.config status.migration to clear", (o) => !o.status?.migration),
    },
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
    {
      id: "record-boot-ids",
      title: "Record every node's boot ID (to verify the reboots)",
      disruptive: false,
      done: (ctx) => Promise.resolve(Boolean(ctx.progress.get(BOOT_IDS_KEY))),
      plan: () => Promise.resolve([{ command: "oc get nodes -o jsonpath='{..status.nodeInfo.bootID}'" }]),
      apply: (ctx) => recordBootIDs(ctx),
      verify: () => Promise.resolve(),
    },
    {
      id: "flip-network-type",
      title: "Switch the cluster network type to OpenShiftSDN",
      disruptive: true,
      done: async (ctx) => (await getNetworkConfig(ctx.kube)).spec?.networkType === SDN,
      plan: () => Promise.resolve([configPatch(flipBody)]),
      apply: async (ctx) => {
        if (!ctx.progress.get(BOOT_IDS_KEY)) await recordBootIDs(ctx);
        await ctx.kube.patch(R.networkConfig, "cluster", flipBody, "merge");
      },
      verify: async (ctx) => {
        await waitNetworkConfig(
          ctx,
          "network.config status.networkType OpenShiftSDN",
          (o) => o.status?.networkType === SDN,
        );
        await failIfOperatorDegraded(ctx.kube);
      },
    },
    {
      id: "wait-multus",
      title: "Multus rolled out (oc -n openshift-multus rollout status daemonset/multus)",
      disruptive: false,
      done: () => Promise.resolve(false),
      plan: () => Promise.resolve([{ command: "oc -n openshift-multus rollout status daemonset/multus" }]),
      apply: () => Promise.resolve(),
      verify: (ctx) =>
        watchUntil<KubeObject, true>(
          ctx.kube,
          R.daemonSet,
          { namespace: "openshift-multus", fieldSelector: "metadata.name=multus" },
          (items) => {
            const ds = items.get("openshift-multus/multus");
            return ds && daemonSetRolledOut(ds)
              ? { done: true }
              : { progress: `waiting for daemonset/multus: ${ds?.status?.numberAvailable ?? 0} available` };
          },
          {
            timeoutMs: ctx.options.timeoutMs,
            signal: ctx.signal,
            report: ctx.report,
            onTimeout: () =>
              new BlockedError(
                "The multus DaemonSet did not finish rolling out.",
                "Check `oc -n openshift-multus get pods -o wide` for pods that do not start.",
              ),
          },
        ),
    },
    {
      id: "reboot-nodes",
      title: "Reboot every node",
      disruptive: true,
      done: async (ctx) => {
        const before = ctx.progress.get<Record<string, string>>(BOOT_IDS_KEY);
        if (!before) return false;
        return (await ctx.kube.list(R.node)).every((n) => before[n.metadata.name] !== bootID(n));
      },
      plan: async (ctx) =>
        (await ctx.kube.list(R.node)).map((n) => ({
          command: ctx.options.reboot === "exec"
            ? `oc rsh -n openshift-machine-config-operator <machine-config-daemon pod on ${n.metadata.name}> chroot /rootfs shutdown -r +1`
            : ctx.options.reboot === "ssh"
            ? `ssh ${ctx.options.sshUser ?? "core"}@<${n.metadata.name} InternalIP> sudo shutdown -r +1`
            : `(you reboot ${n.metadata.name}; the tool waits for its boot ID to change)`,
        })),
      apply: (ctx) => reboot(ctx),
      verify: (ctx) => reboot(ctx),
    },
    {
      id: "unpause-pools",
      title: "Unpause every machine config pool (the MCO rolls out the SDN configuration)",
      disruptive: true,
      done: async (ctx) => (await ctx.kube.list(R.machineConfigPool)).every((p) => !p.spec?.paused),
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
          throw new BlockedError(`network.config status.networkType is ${nc.status?.networkType}, not ${SDN}.`);
        }
        await watchUntil<KubeObject, true>(ctx.kube, R.node, {}, (nodes) => {
          const notReady = [...nodes.values()].filter((n) => !isReady(n)).map((n) => n.metadata.name);
          return notReady.length === 0
            ? { done: true }
            : { progress: `waiting for nodes Ready: ${notReady.join(", ")}` };
        }, {
          timeoutMs: ctx.options.timeoutMs,
          signal: ctx.signal,
          report: ctx.report,
          onTimeout: (last) =>
            new BlockedError(
              `Nodes are not Ready (${last ?? ""}).`,
              "Check `oc get nodes` and the machine-config-daemon logs.",
            ),
        });
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
