/**
 * The documented offline migration from OpenShift SDN to OVN-Kubernetes (procedures.md §5,
 * cluster-behaviour.md §1) as steps. Each step checks the cluster for its effect first, so a resumed
 * run continues where the cluster really is and never repeats a disruptive step.
 */
import { BlockedError } from "../errors.ts";
import { R } from "../kube/resources.ts";
import type { Kube, KubeObject } from "../kube/types.ts";
import { writeBackup } from "./backup.ts";
import { waitOperatorsHealthy } from "./operators.ts";
import { waitForPoolsOnPlugin } from "./pools.ts";
import { bootID, isReady, type RebootMethod, rebootNodes } from "./reboot.ts";
import type { PlannedCall, Step, StepContext } from "./step.ts";
import { watchUntil } from "./wait.ts";
import { primaryNicNncps } from "./nncp.ts";

export type NetworkType = "OpenShiftSDN" | "OVNKubernetes";

export interface OfflineOptions {
  target: NetworkType;
  /** `--no-egress-ip` etc.; undefined = CNO converts every feature (the default). */
  features?: { egressIP: boolean; egressFirewall: boolean; multicast: boolean };
  ovnConfig: { mtu?: number; genevePort?: number; v4InternalSubnet?: string; v6InternalSubnet?: string };
  clusterNetwork?: { cidr: string; hostPrefix: number };
  deleteNncp: boolean;
  reboot: RebootMethod;
  sshUser?: string;
  sshKey?: string;
  rebootBatch: number | "all";
  allowAllMasters: boolean;
  /** Each wait gives up after this long. */
  timeoutMs: number;
  /** How long the MCO may take to start a rollout. */
  mcoStartGraceMs: number;
  /** Healthy operators: this many reads, this far apart. */
  operatorReads: number;
  operatorIntervalMs: number;
  /** Reboot requests younger than this are not repeated on resume. */
  rebootRequestGraceMs: number;
  rebootRetryDelayMs: number;
  backupDir: string;
  /** Pods in error after the reboots: reboot their nodes again? (asks on a terminal; `--yes` says yes) */
  confirmRebootAgain(nodes: string[]): Promise<boolean>;
}

type Ctx = StepContext<OfflineOptions>;
type OfflineStep = Step<OfflineOptions>;

export const BOOT_IDS_KEY = "bootIDsAtFlip";

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

function migrationBody(o: OfflineOptions) {
  return { spec: { migration: { networkType: o.target, ...(o.features ? { features: o.features } : {}) } } };
}

function ovnConfigBody(o: OfflineOptions) {
  const c = Object.fromEntries(Object.entries(o.ovnConfig).filter(([, v]) => v !== undefined));
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

/**
 * CNO refuses what it cannot apply by going Degraded with an `Invalid…` reason (cluster-behaviour.md
 * §1.2): stop with its message. Other Degraded reasons (RolloutHung while nodes still run the old
 * plugin) are expected until the reboots and are not a rejection of our change.
 */
async function failIfOperatorDegraded(kube: Kube): Promise<void> {
  const co = await kube.get(R.clusterOperator, "network");
  const degraded = (co?.status?.conditions ?? []).find((c: { type: string; status: string; reason?: string }) =>
    c.type === "Degraded" && c.status === "True" && (c.reason ?? "").startsWith("Invalid")
  );
  if (degraded) {
    throw new BlockedError(
      `The network operator is Degraded (${degraded.reason ?? "no reason"}): ${degraded.message ?? ""}`,
      "Read `oc get co network -o yaml` and `oc get network.operator cluster -o yaml`; undo the change it names.",
    );
  }
}

function waitFor(ctx: Ctx, ref: typeof R.networkConfig, what: string, ok: (o: KubeObject) => boolean) {
  return watchUntil<KubeObject, true>(ctx.kube, ref, { fieldSelector: "metadata.name=cluster" }, (items) => {
    const o = items.get("/cluster");
    return o && ok(o) ? { done: true } : { progress: `waiting for ${what}` };
  }, {
    timeoutMs: ctx.options.timeoutMs,
    signal: ctx.signal,
    report: ctx.report,
    onTimeout: () =>
      new BlockedError(
        `Timed out waiting for ${what}.`,
        "Check `oc get co network` and the network operator's log: oc logs -n openshift-network-operator deploy/network-operator",
      ),
  });
}

export function offlineSteps(): OfflineStep[] {
  return [
    {
      id: "backup",
      title: "Back up the objects the migration changes",
      disruptive: false,
      done: (ctx) => Promise.resolve(Boolean(ctx.progress.get("backup"))),
      plan: (ctx) =>
        Promise.resolve([{
          command: `oc get Network.config.openshift.io cluster -o yaml > ${ctx.options.backupDir}/network-config.yaml`,
          request: "GET network.config, network.operator, machineconfigpools, hostsubnets, netnamespaces, " +
            "egressnetworkpolicies, egress router pods",
        }]),
      apply: async (ctx) => {
        const files = await writeBackup(ctx.kube, ctx.options.backupDir);
        await ctx.progress.set("backup", { dir: ctx.options.backupDir, files, at: new Date().toISOString() });
        ctx.note(`backup written to ${ctx.options.backupDir} (${files.length} files)`);
      },
      verify: () => Promise.resolve(),
    },
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
    {
      id: "clear-stale-migration",
      title: "Clear a stale spec.migration",
      disruptive: false,
      skip: async (ctx) => {
        const migration = (await getNetworkOperator(ctx.kube)).spec?.migration;
        if (!migration) return "spec.migration is empty";
        // Never clear a migration this tool started: that would restart it.
        if (ctx.progress.isDone("set-migration")) return "the migration field is ours";
        return undefined;
      },
      done: () => Promise.resolve(false),
      plan: () => Promise.resolve([operatorPatch({ spec: { migration: null } })]),
      apply: async (ctx) => {
        await ctx.kube.patch(R.networkOperator, "cluster", { spec: { migration: null } }, "merge", {
          idempotent: true,
        });
      },
      verify: (ctx) =>
        waitFor(ctx, R.networkConfig, "network.config status.migration to clear", (o) => !o.status?.migration),
    },
    {
      id: "delete-nncp",
      title: "Delete NodeNetworkConfigurationPolicies on the primary NIC",
      disruptive: false,
      skip: async (ctx) => {
        if (!ctx.options.deleteNncp) return "--delete-nncp not given";
        return (await listPrimaryNncps(ctx)).length ? undefined : "no NNCP configures the primary NIC";
      },
      done: () => Promise.resolve(false),
      plan: async (ctx) =>
        (await listPrimaryNncps(ctx)).map((n) => ({
          command: `oc delete nncp ${n.metadata.name}`,
          request: `DELETE /apis/nmstate.io/v1/nodenetworkconfigurationpolicies/${n.metadata.name}`,
        })),
      apply: async (ctx) => {
        for (const n of await listPrimaryNncps(ctx)) await ctx.kube.delete(R.nncp, n.metadata.name);
      },
      verify: () => Promise.resolve(),
    },
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
        await waitFor(
          ctx,
          R.networkConfig,
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
        Promise.resolve(ovnConfigBody(ctx.options) ? undefined : "no --mtu, --geneve-port or internal subnet"),
      done: async (ctx) => {
        const current = (await getNetworkOperator(ctx.kube)).spec?.defaultNetwork?.ovnKubernetesConfig ?? {};
        return Object.entries(ctx.options.ovnConfig).every(([k, v]) => v === undefined || current[k] === v);
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
    {
      id: "record-boot-ids",
      title: "Record every node's boot ID (to verify the reboots after the flip)",
      disruptive: false,
      done: (ctx) => Promise.resolve(Boolean(ctx.progress.get(BOOT_IDS_KEY))),
      plan: () => Promise.resolve([{ command: "oc get nodes -o jsonpath='{..status.nodeInfo.bootID}'" }]),
      apply: async (ctx) => {
        const nodes = await ctx.kube.list(R.node);
        await ctx.progress.set(BOOT_IDS_KEY, Object.fromEntries(nodes.map((n) => [n.metadata.name, bootID(n)])));
      },
      verify: () => Promise.resolve(),
    },
    {
      id: "flip-network-type",
      title: "Switch the cluster network type",
      disruptive: true,
      done: async (ctx) => (await getNetworkConfig(ctx.kube)).spec?.networkType === ctx.options.target,
      plan: (ctx) => Promise.resolve([configPatch(flipBody(ctx.options))]),
      apply: async (ctx) => {
        // The boot IDs must predate the flip; a run resumed here records them now.
        if (!ctx.progress.get(BOOT_IDS_KEY)) {
          const nodes = await ctx.kube.list(R.node);
          await ctx.progress.set(BOOT_IDS_KEY, Object.fromEntries(nodes.map((n) => [n.metadata.name, bootID(n)])));
        }
        await ctx.kube.patch(R.networkConfig, "cluster", flipBody(ctx.options), "merge", { idempotent: true });
      },
      verify: async (ctx) => {
        await waitFor(
          ctx,
          R.networkConfig,
          `network.config status.networkType ${ctx.options.target}`,
          (o) => o.status?.networkType === ctx.options.target,
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
            return ds && daemonSetRolledOut(ds) ? { done: true } : {
              progress: `waiting for daemonset/multus: ${ds?.status?.updatedNumberScheduled ?? 0} of ${
                ds?.status?.desiredNumberScheduled ?? "?"
              } updated, ${ds?.status?.numberAvailable ?? 0} available`,
            };
          },
          {
            timeoutMs: ctx.options.timeoutMs,
            signal: ctx.signal,
            report: ctx.report,
            onTimeout: (last) =>
              new BlockedError(
                `The multus DaemonSet did not finish rolling out${
                  last ? ` (${last.replace("waiting for ", "")})` : ""
                }.`,
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
        const nodes = await ctx.kube.list(R.node);
        return nodes.every((n) => before[n.metadata.name] !== bootID(n));
      },
      plan: async (ctx) => {
        const nodes = await ctx.kube.list(R.node);
        const how = ctx.options.reboot === "exec"
          ? "oc rsh -n openshift-machine-config-operator <machine-config-daemon pod on NODE> chroot /rootfs shutdown -r +1"
          : ctx.options.reboot === "ssh"
          ? `ssh ${ctx.options.sshUser ?? "core"}@<NODE InternalIP> sudo shutdown -r +1`
          : "(you reboot NODE; the tool waits for its boot ID to change)";
        return nodes.map((n) => ({ command: how.replace("NODE", n.metadata.name) }));
      },
      apply: (ctx) => reboot(ctx, ctx.progress.get<Record<string, string>>(BOOT_IDS_KEY) ?? {}),
      verify: (ctx) => reboot(ctx, ctx.progress.get<Record<string, string>>(BOOT_IDS_KEY) ?? {}),
    },
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

function reboot(ctx: Ctx, before: Record<string, string>) {
  const o = ctx.options;
  return rebootNodes(ctx.kube, ctx.progress, before, {
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

export function daemonSetRolledOut(ds: KubeObject): boolean {
  const s = ds.status ?? {};
  return (s.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0) &&
    s.updatedNumberScheduled === s.desiredNumberScheduled &&
    s.numberAvailable === s.desiredNumberScheduled;
}

async function listPrimaryNncps(ctx: Ctx): Promise<KubeObject[]> {
  try {
    return primaryNicNncps(await ctx.kube.list(R.nncp));
  } catch (e) {
    if ((e as { status?: number }).status === 404) return []; // NMState is not installed
    throw e;
  }
}

/** Every node's MCO annotations say it runs its pool's configuration (procedures.md §1 steps 5–7). */
async function verifyNodesOnPoolConfig(ctx: Ctx): Promise<void> {
  const nodes = await ctx.kube.listMetadata(R.node);
  const bad = nodes.filter((n) => {
    const a = n.metadata.annotations ?? {};
    return a["machineconfiguration.openshift.io/currentConfig"] !==
        a["machineconfiguration.openshift.io/desiredConfig"] ||
      a["machineconfiguration.openshift.io/state"] !== "Done";
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
  const sandbox = (s.conditions ?? []).find((c: { type: string; status: string; reason?: string }) =>
    c.type === "PodReadyToStartContainers" && c.status === "False"
  );
  if (sandbox) return sandbox.reason ?? "sandbox not ready";
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

async function verifyAfter(ctx: Ctx): Promise<void> {
  const nc = await getNetworkConfig(ctx.kube);
  if (nc.status?.networkType !== ctx.options.target) {
    throw new BlockedError(
      `network.config status.networkType is ${nc.status?.networkType}, not ${ctx.options.target}.`,
      "Check `oc get co network` and the network operator's log.",
    );
  }
  await watchUntil<KubeObject, true>(ctx.kube, R.node, {}, (nodes) => {
    const notReady = [...nodes.values()].filter((n) => !isReady(n)).map((n) => n.metadata.name);
    return notReady.length === 0 ? { done: true } : { progress: `waiting for nodes Ready: ${notReady.join(", ")}` };
  }, {
    timeoutMs: ctx.options.timeoutMs,
    signal: ctx.signal,
    report: ctx.report,
    onTimeout: (last) => new BlockedError(`Nodes are not Ready (${last ?? ""}).`, "Check `oc get nodes`."),
  });
  let errors = await podsInErrorByNode(ctx.kube);
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
      await reboot({ ...ctx, options: { ...ctx.options, rebootRequestGraceMs: 0 } }, before);
      errors = await podsInErrorByNode(ctx.kube);
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
