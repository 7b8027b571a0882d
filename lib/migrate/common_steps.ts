/**
 * Steps and helpers the offline migration and the offline rollback share: the same documented calls
 * (backup, Multus rollout, boot IDs, reboots) in the same places of both procedures.
 */
import { BlockedError } from "../errors.ts";
import { R } from "../kube/resources.ts";
import type { Kube, KubeObject } from "../kube/types.ts";
import { MIGRATION_ANNOTATION } from "../openshift/names.ts";
import { bootID, nodeReady } from "../openshift/nodes.ts";
import { writeBackup } from "./backup.ts";
import { rebootBatches, rebootNodes } from "./reboot.ts";
import type { RebootMethod } from "./options.ts";
import type { PlannedCall, Step, StepContext } from "./step.ts";
import { watchUntil } from "./wait.ts";

export const BOOT_IDS_KEY = "bootIDsAtFlip";

/** What the reboot, wait and backup steps need from a procedure's options. */
export interface RebootSettings {
  reboot: RebootMethod;
  sshUser?: string;
  sshKey?: string;
  rebootBatch: number | "all";
  allowAllMasters: boolean;
  /** Each wait gives up after this long. */
  timeoutMs: number;
  /** Reboot requests younger than this are not repeated on resume. */
  rebootRequestGraceMs: number;
  rebootRetryDelayMs: number;
  backupDir: string;
}

type Ctx<O> = StepContext<O>;

export const getNetworkConfig = async (kube: Kube) => (await kube.get(R.networkConfig, "cluster"))!;
export const getNetworkOperator = async (kube: Kube) => (await kube.get(R.networkOperator, "cluster"))!;

export const operatorPatch = (body: unknown): PlannedCall => ({
  command: `oc patch Network.operator.openshift.io cluster --type='merge' --patch '${JSON.stringify(body)}'`,
  request: "PATCH /apis/operator.openshift.io/v1/networks/cluster (merge)",
  body,
});
export const configPatch = (body: unknown): PlannedCall => ({
  command: `oc patch Network.config.openshift.io cluster --type='merge' --patch '${JSON.stringify(body)}'`,
  request: "PATCH /apis/config.openshift.io/v1/networks/cluster (merge)",
  body,
});
export const poolPatch = (name: string, paused: boolean): PlannedCall => ({
  command: `oc patch MachineConfigPool ${name} --type='merge' --patch '{"spec":{"paused":${paused}}}'`,
  request: `PATCH /apis/machineconfiguration.openshift.io/v1/machineconfigpools/${name} (merge)`,
  body: { spec: { paused } },
});

/**
 * CNO refuses what it cannot apply by going Degraded with an `Invalid…` reason (cluster-behaviour.md
 * §1.2, e.g. "Not applying unsafe configuration change"): stop with its message. Other Degraded reasons
 * (RolloutHung while nodes still run the old plugin) are expected until the reboots.
 */
export async function failIfOperatorDegraded(kube: Kube): Promise<void> {
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

/** Waits until network.config satisfies `ok`. */
export function waitNetworkConfig<O extends { timeoutMs: number }>(
  ctx: Ctx<O>,
  what: string,
  ok: (o: KubeObject) => boolean,
) {
  return watchUntil<true>(
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

/** Waits until every node is Ready. */
export function waitNodesReady<O extends { timeoutMs: number }>(ctx: Ctx<O>) {
  return watchUntil<true>(ctx.kube, R.node, {}, (nodes) => {
    const notReady = [...nodes.values()].filter((n) => !nodeReady(n)).map((n) => n.metadata.name);
    return notReady.length === 0 ? { done: true } : { progress: `waiting for nodes Ready: ${notReady.join(", ")}` };
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
}

export function daemonSetRolledOut(ds: KubeObject): boolean {
  const s = ds.status ?? {};
  return (s.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0) &&
    s.updatedNumberScheduled === s.desiredNumberScheduled &&
    s.numberAvailable === s.desiredNumberScheduled;
}

export async function recordBootIDs<O>(ctx: Ctx<O>): Promise<void> {
  const nodes = await ctx.kube.list(R.node);
  await ctx.progress.set(BOOT_IDS_KEY, Object.fromEntries(nodes.map((n) => [n.metadata.name, bootID(n)])));
}

/** Reboots every node whose boot ID is still the one in `before` (default: recorded before the flip). */
export function rebootAll<O extends RebootSettings>(ctx: Ctx<O>, before?: Record<string, string>) {
  const o = ctx.options;
  return rebootNodes(ctx.kube, ctx.progress, before ?? ctx.progress.get<Record<string, string>>(BOOT_IDS_KEY) ?? {}, {
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

export function backupStep<O extends { backupDir: string }>(title: string): Step<O> {
  return {
    id: "backup",
    title,
    disruptive: false,
    done: (ctx) => Promise.resolve(Boolean(ctx.progress.get("backup"))),
    plan: (ctx) =>
      Promise.resolve([{
        command: `oc get Network.config.openshift.io cluster -o yaml > ${ctx.options.backupDir}/network-config.yaml`,
        request: "GET network.config, network.operator, machineconfigpools, hostsubnets, netnamespaces, " +
          "egressnetworkpolicies, egress IPs and firewalls, egress router pods",
      }]),
    apply: async (ctx) => {
      const files = await writeBackup(ctx.kube, ctx.options.backupDir);
      await ctx.progress.set("backup", { dir: ctx.options.backupDir, files, at: new Date().toISOString() });
      ctx.note(`backup written to ${ctx.options.backupDir} (${files.length} files)`);
    },
    verify: () => Promise.resolve(),
  };
}

/**
 * Clears network.operator spec.migration and waits for CNO to drop status.migration. `skip` says when the
 * field must stay (empty, or set by the migration under way: clearing it would restart or wedge it).
 */
export function clearMigrationStep<O extends { timeoutMs: number }>(
  id: string,
  title: string,
  skip: (ctx: Ctx<O>, migration: KubeObject["spec"]) => Promise<string | undefined> | string | undefined,
): Step<O> {
  return {
    id,
    title,
    disruptive: false,
    skip: async (ctx) => {
      const migration = (await getNetworkOperator(ctx.kube)).spec?.migration;
      return migration ? await skip(ctx, migration) : "spec.migration is empty";
    },
    done: () => Promise.resolve(false),
    plan: () => Promise.resolve([operatorPatch({ spec: { migration: null } })]),
    apply: async (ctx) => {
      await ctx.kube.patch(R.networkOperator, "cluster", { spec: { migration: null } }, "merge", { idempotent: true });
    },
    verify: (ctx) => waitNetworkConfig(ctx, "network.config status.migration to clear", (o) => !o.status?.migration),
  };
}

export function recordBootIdsStep<O>(): Step<O> {
  return {
    id: "record-boot-ids",
    title: "Record every node's boot ID (to verify the reboots after the flip)",
    disruptive: false,
    done: (ctx) => Promise.resolve(Boolean(ctx.progress.get(BOOT_IDS_KEY))),
    plan: () => Promise.resolve([{ command: "oc get nodes -o jsonpath='{..status.nodeInfo.bootID}'" }]),
    apply: (ctx) => recordBootIDs(ctx),
    verify: () => Promise.resolve(),
  };
}

/** Switches network.config to the target (the flip), recording boot IDs first if a resumed run has none. */
export function flipStep<O extends { timeoutMs: number }>(
  title: string,
  targetOf: (o: O) => string,
  body: (o: O) => unknown,
): Step<O> {
  return {
    id: "flip-network-type",
    title,
    disruptive: true,
    done: async (ctx) => (await getNetworkConfig(ctx.kube)).spec?.networkType === targetOf(ctx.options),
    plan: (ctx) => Promise.resolve([configPatch(body(ctx.options))]),
    apply: async (ctx) => {
      // The boot IDs must predate the flip; a run resumed here records them now.
      if (!ctx.progress.get(BOOT_IDS_KEY)) await recordBootIDs(ctx);
      await ctx.kube.patch(R.networkConfig, "cluster", body(ctx.options), "merge", { idempotent: true });
    },
    verify: async (ctx) => {
      const target = targetOf(ctx.options);
      await waitNetworkConfig(
        ctx,
        `network.config status.networkType ${target}`,
        (o) => o.status?.networkType === target,
      );
      await failIfOperatorDegraded(ctx.kube);
    },
  };
}

export function waitMultusStep<O extends { timeoutMs: number }>(): Step<O> {
  return {
    id: "wait-multus",
    title: "Multus rolled out (oc -n openshift-multus rollout status daemonset/multus)",
    disruptive: false,
    done: () => Promise.resolve(false),
    plan: () => Promise.resolve([{ command: "oc -n openshift-multus rollout status daemonset/multus" }]),
    apply: () => Promise.resolve(),
    verify: (ctx) =>
      watchUntil<true>(
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
              `The multus DaemonSet did not finish rolling out${last ? ` (${last.replace("waiting for ", "")})` : ""}.`,
              "Check `oc -n openshift-multus get pods -o wide` for pods that do not start.",
            ),
        },
      ),
  };
}

export function rebootNodesStep<O extends RebootSettings>(): Step<O> {
  return {
    id: "reboot-nodes",
    title: "Reboot every node",
    disruptive: true,
    done: async (ctx) => {
      const before = ctx.progress.get<Record<string, string>>(BOOT_IDS_KEY);
      if (!before) return false;
      return (await ctx.kube.list(R.node)).every((n) => before[n.metadata.name] !== bootID(n));
    },
    plan: async (ctx) =>
      rebootBatches(await ctx.kube.list(R.node), ctx.options.rebootBatch, ctx.options.allowAllMasters).flat().map((
        n,
      ) => ({
        command: ctx.options.reboot === "exec"
          ? `oc rsh -n openshift-machine-config-operator <machine-config-daemon pod on ${n.metadata.name}> chroot /rootfs shutdown -r +1`
          : ctx.options.reboot === "ssh"
          ? `ssh ${ctx.options.sshUser ?? "core"}@<${n.metadata.name} InternalIP> sudo shutdown -r +1`
          : `(you reboot ${n.metadata.name}; the tool waits for its boot ID to change)`,
      })),
    apply: (ctx) => rebootAll(ctx),
    verify: (ctx) => rebootAll(ctx),
  };
}

/** Removes the live-migration annotation from network.config (callers decide when that is safe). */
export function removeLiveAnnotationStep<O>(title: string): Step<O> {
  const body = { metadata: { annotations: { [MIGRATION_ANNOTATION]: null } } };
  return {
    id: "remove-live-annotation",
    title,
    disruptive: false,
    skip: async (ctx) =>
      (await getNetworkConfig(ctx.kube)).metadata.annotations?.[MIGRATION_ANNOTATION] === undefined
        ? "the annotation is not set"
        : undefined,
    done: () => Promise.resolve(false),
    plan: () =>
      Promise.resolve([{
        command: `oc annotate network.config cluster ${MIGRATION_ANNOTATION}-`,
        request: "PATCH /apis/config.openshift.io/v1/networks/cluster (merge)",
        body,
      }]),
    apply: async (ctx) => {
      await ctx.kube.patch(R.networkConfig, "cluster", body, "merge");
    },
    verify: () => Promise.resolve(),
  };
}
