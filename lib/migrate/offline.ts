/**
 * The documented offline migration from OpenShift SDN to OVN-Kubernetes (procedures.md §5,
 * cluster-behaviour.md §1) as steps. Each step checks the cluster for its effect first, so a resumed
 * run continues where the cluster really is and never repeats a disruptive step.
 */
import { BlockedError } from "../errors.ts";
import { R } from "../kube/resources.ts";
import type { Kube, KubeObject } from "../kube/types.ts";
import {
  backupStep,
  clearMigrationStep,
  failIfOperatorDegraded,
  flipStep,
  getNetworkConfig,
  getNetworkOperator,
  operatorPatch,
  rebootAll,
  rebootNodesStep,
  type RebootSettings,
  recordBootIdsStep,
  waitMultusStep,
  waitNetworkConfig,
  waitNodesReady,
} from "./common_steps.ts";
import { waitOperatorsHealthy } from "./operators.ts";
import { waitForPoolsOnPlugin } from "./pools.ts";
import { sleep } from "../sleep.ts";
import { bootID } from "../openshift/nodes.ts";
import { MCO_ANNOTATION } from "../openshift/names.ts";
import { findCondition } from "../openshift/conditions.ts";
import type { Step, StepContext } from "./step.ts";
import { deleteNncpStep } from "./nncp.ts";

export { BOOT_IDS_KEY, daemonSetRolledOut } from "./common_steps.ts";

export type NetworkType = "OpenShiftSDN" | "OVNKubernetes";

export interface OfflineOptions extends RebootSettings {
  target: NetworkType;
  /** `--no-egress-ip` etc.; undefined = CNO converts every feature (the default). */
  features?: { egressIP: boolean; egressFirewall: boolean; multicast: boolean };
  ovnConfig: { mtu?: number; genevePort?: number; v4InternalSubnet?: string; v6InternalSubnet?: string };
  /** `--transit-subnet`: ovnKubernetesConfig.ipv4.internalTransitSwitchSubnet. */
  transitSubnet?: string;
  clusterNetwork?: { cidr: string; hostPrefix: number };
  deleteNncp: boolean;
  /** How long the MCO may take to start a rollout. */
  mcoStartGraceMs: number;
  /** Healthy operators: this many reads, this far apart. */
  operatorReads: number;
  operatorIntervalMs: number;
  /** How long pods may take to start after the reboots before those still failing count as in error. */
  podSettleMs: number;
  /** Pods in error after the reboots: reboot their nodes again? (asks on a terminal; `--yes` says yes) */
  confirmRebootAgain(nodes: string[]): Promise<boolean>;
}

type Ctx = StepContext<OfflineOptions>;
type OfflineStep = Step<OfflineOptions>;

function migrationBody(o: OfflineOptions) {
  return { spec: { migration: { networkType: o.target, ...(o.features ? { features: o.features } : {}) } } };
}

function ovnConfigBody(o: OfflineOptions) {
  const c: Record<string, unknown> = Object.fromEntries(Object.entries(o.ovnConfig).filter(([, v]) => v !== undefined));
  if (o.transitSubnet) c.ipv4 = { internalTransitSwitchSubnet: o.transitSubnet };
  return Object.keys(c).length ? { spec: { defaultNetwork: { ovnKubernetesConfig: c } } } : undefined;
}

function flipBody(o: OfflineOptions) {
  return {
    spec: {
      networkType: o.target,
      ...(o.clusterNetwork
        ? { clusterNetwork: [{ cidr: o.clusterNetwork.cidr, hostPrefix: o.clusterNetwork.hostPrefix }] }
        : {}),
    },
  };
}

export function offlineSteps(): OfflineStep[] {
  return [
    backupStep("Back up the objects the migration changes"),
    {
      id: "operators-healthy-before",
      title: "Cluster operators healthy before the change",
      disruptive: false,
      done: () => Promise.resolve(false),
      plan: () =>
        Promise.resolve([{
          command: "oc wait co --all --for='condition=AVAILABLE=True' (and PROGRESSING=False, DEGRADED=False)",
        }]),
      apply: () => Promise.resolve(),
      verify: (ctx) =>
        waitOperatorsHealthy(ctx.kube, {
          timeoutMs: ctx.options.timeoutMs,
          reads: 1,
          intervalMs: 0,
          signal: ctx.signal,
          report: ctx.report,
        }),
    },
    clearMigrationStep(
      "clear-stale-migration",
      "Clear a stale spec.migration",
      // Never clear a migration this tool started: that would restart it.
      (ctx) => ctx.progress.isDone("set-migration") ? "the migration field is ours" : undefined,
    ),
    deleteNncpStep(),
    {
      id: "set-migration",
      title: "Set spec.migration: the MCO rolls out configure-ovs.sh for the target plugin",
      disruptive: true,
      done: async (ctx) => (await getNetworkOperator(ctx.kube)).spec?.migration?.networkType === ctx.options.target,
      plan: (ctx) => Promise.resolve([operatorPatch(migrationBody(ctx.options))]),
      apply: async (ctx) => {
        await ctx.kube.patch(R.networkOperator, "cluster", migrationBody(ctx.options), "merge", { idempotent: true });
      },
      verify: async (ctx) => {
        await waitNetworkConfig(
          ctx,
          `network.config status.migration.networkType ${ctx.options.target}`,
          (o) => o.status?.migration?.networkType === ctx.options.target,
        );
        await failIfOperatorDegraded(ctx.kube);
      },
    },
    {
      id: "set-ovn-config",
      title: "Set ovnKubernetesConfig (mtu, genevePort, internal subnets)",
      disruptive: false,
      skip: (ctx) =>
        Promise.resolve(ovnConfigBody(ctx.options) ? undefined : "no --mtu, --geneve-port or internal subnet flag"),
      done: async (ctx) => {
        const current = (await getNetworkOperator(ctx.kube)).spec?.defaultNetwork?.ovnKubernetesConfig ?? {};
        return Object.entries(ctx.options.ovnConfig).every(([k, v]) => v === undefined || current[k] === v) &&
          (!ctx.options.transitSubnet || current.ipv4?.internalTransitSwitchSubnet === ctx.options.transitSubnet);
      },
      plan: (ctx) => Promise.resolve([operatorPatch(ovnConfigBody(ctx.options))]),
      apply: async (ctx) => {
        await ctx.kube.patch(R.networkOperator, "cluster", ovnConfigBody(ctx.options), "merge", { idempotent: true });
      },
      verify: (ctx) => failIfOperatorDegraded(ctx.kube),
    },
    {
      id: "wait-machine-config",
      title: "Machine config pools rolled out (every node runs configure-ovs.sh for the target)",
      disruptive: false,
      done: () => Promise.resolve(false),
      plan: (ctx) =>
        Promise.resolve([{
          command:
            `oc get mcp; oc get machineconfig <rendered> -o yaml | grep 'configure-ovs.sh ${ctx.options.target}'`,
        }]),
      apply: () => Promise.resolve(),
      verify: async (ctx) => {
        await waitForPoolsOnPlugin(ctx.kube, {
          plugin: ctx.options.target,
          timeoutMs: ctx.options.timeoutMs,
          startGraceMs: ctx.options.mcoStartGraceMs,
          signal: ctx.signal,
          report: ctx.report,
        });
        await verifyNodesOnPoolConfig(ctx);
      },
    },
    recordBootIdsStep(),
    flipStep("Switch the cluster network type", (o) => o.target, flipBody),
    waitMultusStep(),
    rebootNodesStep(),
    {
      id: "verify-migration",
      title: "Verify: network type, nodes Ready, no pods in error, operators healthy",
      disruptive: false,
      done: () => Promise.resolve(false),
      plan: (ctx) =>
        Promise.resolve([
          { command: "oc get network.config/cluster -o jsonpath='{.status.networkType}'" },
          { command: "oc get nodes; oc get pods --all-namespaces -o wide --sort-by='{.spec.nodeName}'" },
          { command: `oc get co (healthy on ${ctx.options.operatorReads} consecutive reads)` },
        ]),
      apply: () => Promise.resolve(),
      verify: (ctx) => verifyAfter(ctx),
    },
  ];
}

/** Every node's MCO annotations say it runs its pool's configuration (procedures.md §1 steps 5–7). */
async function verifyNodesOnPoolConfig(ctx: Ctx): Promise<void> {
  const nodes = await ctx.kube.listMetadata(R.node);
  const bad = nodes.filter((n) => {
    const a = n.metadata.annotations ?? {};
    return a[MCO_ANNOTATION.current] !== a[MCO_ANNOTATION.desired] || a[MCO_ANNOTATION.state] !== "Done";
  });
  if (bad.length) {
    throw new BlockedError(
      `${bad.length} node(s) do not run their pool's configuration: ${
        bad.slice(0, 5).map((n) => n.metadata.name).join(", ")
      }${bad.length > 5 ? ", …" : ""}.`,
      "Check `oc describe node <name> | grep machineconfiguration` and `oc get mcp`.",
    );
  }
}

const ERROR_WAITING = new Set(["CrashLoopBackOff", "CreateContainerError", "RunContainerError", "ContainerCannotRun"]);

/** Why a pod is in error after the plugin change (sandbox not created, crash-looping, failed), or undefined. */
export function podError(p: KubeObject): string | undefined {
  const s = p.status ?? {};
  if (s.phase === "Failed" || s.phase === "Unknown") return s.phase;
  const sandbox = findCondition(p, "PodReadyToStartContainers");
  // Without a reason the sandbox is merely being created (ContainerCreating right after a reboot): not an error.
  if (sandbox?.status === "False" && sandbox.reason) return sandbox.reason;
  for (const cs of s.containerStatuses ?? []) {
    const reason = cs.state?.waiting?.reason;
    if (reason && ERROR_WAITING.has(reason)) return reason;
  }
  return undefined;
}

/** Pods in error, by node: after a plugin change they fail until their node reboots (procedures.md §5). */
async function podsInErrorByNode(kube: Kube): Promise<Map<string, string[]>> {
  const pods = await kube.list(R.pod, { fieldSelector: "status.phase!=Succeeded" });
  const byNode = new Map<string, string[]>();
  for (const p of pods) {
    const node = p.spec?.nodeName;
    const why = podError(p);
    if (!node || !why || p.metadata.deletionTimestamp) continue;
    byNode.set(node, [...(byNode.get(node) ?? []), `${p.metadata.namespace}/${p.metadata.name} (${why})`]);
  }
  return byNode;
}

/**
 * Pods still in error once the pods restarted by the reboots had time to start: a pod that crash-loops for a
 * few seconds after its node came back is not a reason to reboot that node again.
 */
async function settledPodErrors(ctx: Ctx): Promise<Map<string, string[]>> {
  const deadline = Date.now() + ctx.options.podSettleMs;
  for (;;) {
    const errors = await podsInErrorByNode(ctx.kube);
    if (errors.size === 0 || Date.now() >= deadline) return errors;
    await sleep(Math.min(ctx.options.podSettleMs / 10, deadline - Date.now()), ctx.signal);
  }
}

async function verifyAfter(ctx: Ctx): Promise<void> {
  const nc = await getNetworkConfig(ctx.kube);
  if (nc.status?.networkType !== ctx.options.target) {
    throw new BlockedError(
      `network.config status.networkType is ${nc.status?.networkType}, not ${ctx.options.target}.`,
      "Check `oc get co network` and the network operator's log.",
    );
  }
  await waitNodesReady(ctx);
  let errors = await settledPodErrors(ctx);
  if (errors.size) {
    const nodes = [...errors.keys()].sort();
    ctx.note(
      `pods not running on ${nodes.length} node(s) after the reboots: ${
        nodes.map((n) => `${n} (${errors.get(n)!.length})`).join(", ")
      }`,
    );
    // The documentation says to reboot such nodes again.
    if (await ctx.options.confirmRebootAgain(nodes)) {
      const all = await ctx.kube.list(R.node);
      const before = Object.fromEntries(
        all.filter((n) => nodes.includes(n.metadata.name)).map((n) => [n.metadata.name, bootID(n)]),
      );
      await rebootAll({ ...ctx, options: { ...ctx.options, rebootRequestGraceMs: 0 } }, before);
      errors = await settledPodErrors(ctx);
    }
    if (errors.size) {
      const lines = [...errors.entries()].map(([n, pods]) =>
        `${n}: ${pods.slice(0, 3).join(", ")}${pods.length > 3 ? ` and ${pods.length - 3} more` : ""}`
      );
      throw new BlockedError(
        `Pods are not running on ${errors.size} node(s):\n  ${lines.join("\n  ")}`,
        "Reboot those nodes again (the documented remedy), e.g. " +
          "oc debug node/<node> -- chroot /host shutdown -r +1, then run the same command again.",
      );
    }
  }
  await waitOperatorsHealthy(ctx.kube, {
    timeoutMs: ctx.options.timeoutMs,
    reads: ctx.options.operatorReads,
    intervalMs: ctx.options.operatorIntervalMs,
    signal: ctx.signal,
    report: ctx.report,
  });
}
