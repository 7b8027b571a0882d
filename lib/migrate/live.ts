/**
 * The limited live migration (procedures.md §6, cluster-behaviour.md §2) as steps, and the live rollback
 * (§9) with the same steps towards OpenShiftSDN: egress router pods, NNCPs on the primary NIC, internal
 * subnets, the managed-platform annotation, the annotation + networkType patch, then CNO's condition
 * state machine followed to completion. Every step reads the cluster first, so a resumed run continues
 * where the cluster is and never patches the trigger twice.
 */
import { EGRESS_ROUTER_ANNOTATION, MANAGED_ANNOTATION, MIGRATION_ANNOTATION } from "../openshift/names.ts";
import { liveMigrationComplete, liveMigrationInProgress } from "../openshift/live_migration.ts";
import { dump } from "js-yaml";
import { BlockedError } from "../errors.ts";
import { R } from "../kube/resources.ts";
import type { Kube, KubeObject } from "../kube/types.ts";
import type { PreflightOptions } from "../verify/options.ts";
import { candidateBlocks, effectiveInternalSubnets, findFree, overlaps } from "../verify/cidr.ts";
import { networksInUse } from "../verify/checks/cidr_overlap.ts";
import { isManaged, ovnConfig } from "../verify/checks/util.ts";
import type { ExecuteOptions } from "./options.ts";
import { type Facts, valueOf } from "../verify/facts.ts";
import { contextFor } from "../verify/run.ts";
import {
  backupStep,
  clearMigrationStep,
  configPatch,
  getNetworkConfig,
  getNetworkOperator,
  operatorPatch,
} from "./common_steps.ts";
import { followLiveMigration } from "./live_wait.ts";
import { deleteNncpStep } from "./nncp.ts";
import { clean } from "./backup.ts";
import type { NetworkType, OfflineOptions } from "./offline.ts";
import { waitOperatorsHealthy } from "./operators.ts";
import type { Step, StepContext } from "./step.ts";
import { watchUntil } from "./wait.ts";

/** Progress data: the cluster network MTU before the trigger, and after completion. */
export const MTU_BEFORE_KEY = "clusterNetworkMTUBefore";
export const MTU_AFTER_KEY = "clusterNetworkMTU";

export interface LiveOptions {
  /** OVNKubernetes (migration) or OpenShiftSDN (live rollback). */
  target: NetworkType;
  /** Save and delete egress router pods instead of refusing (`--delete-egress-router-pods`). */
  deleteEgressRouterPods: boolean;
  /** Delete NNCPs that configure the primary NIC (`--delete-nncp`). */
  deleteNncp: boolean;
  /** OVN internal subnets to patch in before the trigger (`--join-subnet`, `--transit-subnet`, `--fix-subnets`). */
  joinSubnet?: string;
  transitSubnet?: string;
  /** The cluster is managed (ROSA/OSD): it needs the internal-testing annotation, and the user's ack. */
  managed: boolean;
  managedPlatformAck: boolean;
  timeoutMs: number;
  /** A pool paused this long during the migration stops the run. */
  pausedGraceMs: number;
  /** How long CNO may take to revalidate a rejected trigger after a fix (it reconciles within ~3 minutes). */
  revalidateGraceMs: number;
  operatorReads: number;
  operatorIntervalMs: number;
  backupDir: string;
}

type Ctx = StepContext<LiveOptions>;
type LiveStep = Step<LiveOptions>;

export const triggerBody = (target: string) => ({
  metadata: { annotations: { [MIGRATION_ANNOTATION]: "" } },
  spec: { networkType: target },
});
const managedBody = { metadata: { annotations: { [MANAGED_ANNOTATION]: "true" } } };

/**
 * CNO has accepted the migration (or finished it): from here on only CNO changes the network configuration.
 * A trigger CNO rejected (Degraded InvalidClusterConfig) is not under way: the blocker may still be fixed.
 */
export async function underWay(kube: Kube, target: string): Promise<boolean> {
  const [nc, no] = await Promise.all([getNetworkConfig(kube), getNetworkOperator(kube)]);
  return liveMigrationInProgress(nc) || no.spec?.migration?.mode === "Live" || liveMigrationComplete(nc, target);
}

/** The trigger is in the cluster: the annotation is present and spec.networkType is the target. */
export const triggered = (nc: KubeObject, target: string) =>
  nc.metadata.annotations?.[MIGRATION_ANNOTATION] !== undefined && nc.spec?.networkType === target;

function subnetBody(o: LiveOptions) {
  const ipv4: Record<string, string> = {};
  if (o.joinSubnet) ipv4.internalJoinSubnet = o.joinSubnet;
  if (o.transitSubnet) ipv4.internalTransitSwitchSubnet = o.transitSubnet;
  return Object.keys(ipv4).length ? { spec: { defaultNetwork: { ovnKubernetesConfig: { ipv4 } } } } : undefined;
}

/** Pods CNO refuses to live-migrate: any pod carrying the assign-macvlan annotation key (cluster-behaviour.md §2.2). */
export async function egressRouterPods(kube: Kube): Promise<KubeObject[]> {
  const pods = await kube.listMetadata(R.pod);
  const routers = pods.filter((p) => p.metadata.annotations?.[EGRESS_ROUTER_ANNOTATION] !== undefined);
  const full = await Promise.all(routers.map((p) => kube.get(R.pod, p.metadata.name, p.metadata.namespace)));
  return full.filter((p) => p !== undefined);
}

const podName = (p: KubeObject) => `${p.metadata.namespace}/${p.metadata.name}`;

/**
 * The EgressRouter CR (network.operator.openshift.io/v1, mode Redirect) that replaces an SDN egress router
 * pod in redirect mode, from its EGRESS_SOURCE, EGRESS_GATEWAY and EGRESS_DESTINATION; undefined for the
 * HTTP and DNS proxy modes, which OVN-Kubernetes has no equivalent for.
 */
export function egressRouterEquivalent(pod: KubeObject): KubeObject | undefined {
  const env = new Map<string, string>();
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const e of c.env ?? []) if (typeof e.value === "string") env.set(e.name, e.value);
  }
  const mode = env.get("EGRESS_ROUTER_MODE") ?? "init";
  if (mode !== "init" && mode !== "legacy") return undefined;
  const source = env.get("EGRESS_SOURCE");
  const gateway = env.get("EGRESS_GATEWAY");
  if (!source) return undefined;
  const redirectRules: Record<string, unknown>[] = [];
  let fallbackIP: string | undefined;
  for (const line of (env.get("EGRESS_DESTINATION") ?? "").split("\n").map((l) => l.trim())) {
    if (!line || line.startsWith("#")) continue;
    const f = line.split(/\s+/);
    if (f.length === 1) fallbackIP = f[0];
    else if (f.length >= 3) {
      redirectRules.push({
        destinationIP: f[2],
        port: Number(f[0]),
        protocol: f[1].toUpperCase(),
        ...(f[3] ? { targetPort: Number(f[3]) } : {}),
      });
    }
  }
  return {
    apiVersion: "network.operator.openshift.io/v1",
    kind: "EgressRouter",
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace },
    spec: {
      addresses: [{ ip: source.includes("/") ? source : `${source}/32`, ...(gateway ? { gateway } : {}) }],
      mode: "Redirect",
      networkInterface: { macvlan: { mode: "Bridge" } },
      redirect: { redirectRules, ...(fallbackIP ? { fallbackIP } : {}) },
    },
  };
}

/**
 * Free OVN join/transit subnets for `--fix-subnets`: each internal IPv4 subnet that overlaps a network in use
 * (or another internal subnet) is moved to the first free block; the user's own values are kept.
 */
export function chooseInternalSubnets(
  facts: Facts,
  popts: PreflightOptions,
): { joinSubnet?: string; transitSubnet?: string } {
  const ctx = contextFor(facts, "live", popts);
  const internal = effectiveInternalSubnets(ovnConfig(facts), ctx.version?.minor, {
    joinSubnet: popts.joinSubnet,
    transitSubnet: popts.transitSubnet,
  });
  const { networks } = networksInUse(facts, ctx);
  const used = [...networks.map((n) => n.cidr), ...internal.map((s) => s.cidr)];
  const out: { joinSubnet?: string; transitSubnet?: string } = {};
  for (const sub of internal) {
    if (sub.family !== 4 || (sub.kind !== "join" && sub.kind !== "transit") || sub.source.startsWith("--")) continue;
    const others = [...networks.map((n) => n.cidr), ...internal.filter((s) => s !== sub).map((s) => s.cidr)];
    if (!others.some((c) => overlaps(c, sub.cidr))) continue;
    const [free] = findFree(candidateBlocks(sub.kind, 4), sub.cidr.prefix, used);
    if (!free) continue;
    used.push(free);
    if (sub.kind === "join") out.joinSubnet = free.text;
    else out.transitSubnet = free.text;
  }
  return out;
}

/**
 * What `execute --method live` settles before its gate: the internal subnets to patch in (given, or chosen
 * with `--fix-subnets`), and the checks the run itself deals with (egress router pods with
 * `--delete-egress-router-pods`, NNCPs with `--delete-nncp`). `options` turns the offline options (timeouts,
 * tuning, backup dir) into the live ones.
 */
export function prepareLive(facts: Facts, opts: ExecuteOptions, popts: PreflightOptions): {
  popts: Partial<PreflightOptions>;
  options: (base: OfflineOptions) => LiveOptions;
} {
  const managed = isManaged(facts);
  if (
    managed && !opts.managedPlatformAck && !opts.dryRun &&
    valueOf(facts.networkConfig)?.annotations[MANAGED_ANNOTATION] !== "true"
  ) {
    throw new BlockedError(
      `This is a managed cluster (ROSA/OSD): the live migration needs the annotation ${MANAGED_ANNOTATION}: "true" ` +
        "on Network.config.openshift.io cluster, which Red Hat support must agree to. Nothing was changed.",
      "Pass --managed-platform-ack to have it set, once you have that agreement.",
    );
  }
  const chosen = opts.fixSubnets ? chooseInternalSubnets(facts, popts) : {};
  const joinSubnet = opts.joinSubnet ?? chosen.joinSubnet;
  const transitSubnet = opts.transitSubnet ?? chosen.transitSubnet;
  const skipChecks = [
    ...popts.skipChecks,
    ...(opts.deleteEgressRouterPods ? ["egress-router-pods"] : []),
    ...(opts.deleteNncp ? ["nncp-primary-nic"] : []),
  ];
  return {
    popts: { joinSubnet, transitSubnet, skipChecks },
    options: (base) => ({
      target: "OVNKubernetes",
      deleteEgressRouterPods: opts.deleteEgressRouterPods,
      deleteNncp: opts.deleteNncp,
      joinSubnet,
      transitSubnet,
      managed,
      managedPlatformAck: opts.managedPlatformAck,
      timeoutMs: base.timeoutMs,
      pausedGraceMs: base.mcoStartGraceMs,
      // mcoStartGraceMs is 10 minutes (scaled like every fixed wait); CNO revalidates within 3.
      revalidateGraceMs: base.mcoStartGraceMs * 0.3,
      operatorReads: base.operatorReads,
      operatorIntervalMs: base.operatorIntervalMs,
      backupDir: base.backupDir,
    }),
  };
}

/** CNO's verdict right after the trigger: started, already complete, or rejected (quoted with the fix). */
async function waitStarted(ctx: Ctx, justFixed: boolean): Promise<void> {
  await followLiveMigration(ctx.kube, {
    target: ctx.options.target,
    until: "started",
    blockedGraceMs: justFixed ? ctx.options.revalidateGraceMs : 0,
    timeoutMs: ctx.options.timeoutMs,
    pausedGraceMs: ctx.options.pausedGraceMs,
    signal: ctx.signal,
    report: ctx.report,
    note: ctx.note,
  });
}

export function liveSteps(kind: "migrate" | "rollback" = "migrate"): LiveStep[] {
  // The backup comes first: it also saves the egress router pods the next step deletes.
  const steps: LiveStep[] = [
    backupStep(`Back up the objects the ${kind === "migrate" ? "migration" : "rollback"} changes`),
  ];
  if (kind === "migrate") {
    steps.push({
      id: "egress-router-pods",
      title: "Egress router pods removed (CNO refuses to live-migrate them)",
      // Deleting workloads: asked for like every disruptive step.
      disruptive: true,
      skip: async (ctx) => {
        if (await underWay(ctx.kube, ctx.options.target)) return "the migration is under way";
        return (await egressRouterPods(ctx.kube)).length ? undefined : "no egress router pods";
      },
      done: () => Promise.resolve(false),
      plan: async (ctx) =>
        (await egressRouterPods(ctx.kube)).map((p) => ({
          // The same file the real run writes (there as one List; here one YAML document per pod).
          command: `(echo ---; oc get pod ${p.metadata.name} -n ${p.metadata.namespace} -o yaml) >> ` +
            `${ctx.options.backupDir}/${EGRESS_ROUTER_BACKUP} && oc delete pod ${p.metadata.name} -n ${p.metadata.namespace}`,
          request: `DELETE /api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`,
        })),
      apply: (ctx) => removeEgressRouterPods(ctx),
      verify: (ctx) =>
        watchUntil<true>(ctx.kube, R.pod, {}, (items) => {
          const left = [...items.values()].filter((p) =>
            p.metadata.annotations?.[EGRESS_ROUTER_ANNOTATION] !== undefined
          );
          return left.length === 0
            ? { done: true }
            : { progress: `waiting for egress router pods to go: ${left.map(podName).join(", ")}` };
        }, {
          timeoutMs: ctx.options.timeoutMs,
          signal: ctx.signal,
          report: ctx.report,
          onTimeout: (last) =>
            new BlockedError(
              `Egress router pods are still there (${last ?? ""}).`,
              "A controller may recreate them: delete their Deployment or DaemonSet, then run the same command again.",
            ),
        }),
    });
  }
  steps.push(clearMigrationStep(
    "clear-stale-migration",
    "Clear a stale spec.migration (left by an earlier offline step)",
    // Never clear the field CNO set for our live migration: that would wedge it.
    async (ctx) => (await underWay(ctx.kube, ctx.options.target)) ? "the migration is under way" : undefined,
  ));
  if (kind === "migrate") {
    steps.push(deleteNncpStep());
    steps.push({
      id: "internal-subnets",
      title: "Move OVN's internal join/transit subnets off the networks in use",
      disruptive: false,
      skip: async (ctx) => {
        if (!subnetBody(ctx.options)) return "no --join-subnet, --transit-subnet or overlap to fix";
        if (await underWay(ctx.kube, ctx.options.target)) return "the migration is under way";
        return undefined;
      },
      done: (ctx) => subnetsInEffect(ctx),
      plan: (ctx) => Promise.resolve([operatorPatch(subnetBody(ctx.options))]),
      apply: (ctx) => patchSubnets(ctx),
      verify: () => Promise.resolve(),
    });
  }
  steps.push({
    id: "managed-platform-annotation",
    title: `Managed platform: annotate ${MANAGED_ANNOTATION}`,
    disruptive: false,
    skip: (ctx) => Promise.resolve(ctx.options.managed ? undefined : "not a managed (ROSA/OSD) cluster"),
    done: async (ctx) => (await getNetworkConfig(ctx.kube)).metadata.annotations?.[MANAGED_ANNOTATION] === "true",
    plan: () => Promise.resolve([configPatch(managedBody)]),
    apply: async (ctx) => {
      if (!ctx.options.managedPlatformAck) {
        throw new BlockedError(
          `This is a managed cluster (ROSA/OSD): the live migration needs the annotation ${MANAGED_ANNOTATION}: "true" ` +
            "on Network.config.openshift.io cluster, which Red Hat support must agree to.",
          "Pass --managed-platform-ack to have it set, once you have that agreement. Nothing was changed.",
        );
      }
      await ctx.kube.patch(R.networkConfig, "cluster", managedBody, "merge");
    },
    verify: () => Promise.resolve(),
  });
  steps.push({
    id: "trigger",
    title: kind === "migrate"
      ? "Start the live migration (annotation + spec.networkType OVNKubernetes)"
      : "Start the live rollback (annotation + spec.networkType OpenShiftSDN)",
    disruptive: true,
    done: async (ctx) => {
      const nc = await getNetworkConfig(ctx.kube);
      return triggered(nc, ctx.options.target) || liveMigrationComplete(nc, ctx.options.target);
    },
    plan: (ctx) => Promise.resolve([configPatch(triggerBody(ctx.options.target))]),
    apply: async (ctx) => {
      const nc = await getNetworkConfig(ctx.kube);
      if (ctx.progress.get(MTU_BEFORE_KEY) === undefined && nc.status?.clusterNetworkMTU !== undefined) {
        await ctx.progress.set(MTU_BEFORE_KEY, nc.status.clusterNetworkMTU);
      }
      await ctx.kube.patch(R.networkConfig, "cluster", triggerBody(ctx.options.target), "merge");
    },
    verify: async (ctx) => {
      await waitStarted(ctx, await applyLateFixes(ctx));
    },
  });
  steps.push({
    id: "follow",
    title: `Follow the live ${
      kind === "migrate" ? "migration" : "rollback"
    } to completion (two machine config rollouts)`,
    disruptive: false,
    done: () => Promise.resolve(false),
    plan: () =>
      Promise.resolve([{
        command: "oc get network.config cluster -o jsonpath='{.status.conditions}'; oc get mcp; oc get co network",
      }]),
    apply: () => Promise.resolve(),
    verify: async (ctx) => {
      const result = await followLiveMigration(ctx.kube, {
        target: ctx.options.target,
        timeoutMs: ctx.options.timeoutMs,
        pausedGraceMs: ctx.options.pausedGraceMs,
        signal: ctx.signal,
        report: ctx.report,
        note: ctx.note,
      });
      if (result.clusterNetworkMTU !== undefined) await ctx.progress.set(MTU_AFTER_KEY, result.clusterNetworkMTU);
      const before = ctx.progress.get<number>(MTU_BEFORE_KEY);
      ctx.note(
        `network type ${result.networkType}; cluster network MTU ${
          before !== undefined && before !== result.clusterNetworkMTU ? `${before} → ` : ""
        }${result.clusterNetworkMTU ?? "unknown"}`,
      );
    },
  });
  steps.push({
    id: "operators-healthy-after",
    title: `Cluster operators healthy after the ${kind === "migrate" ? "migration" : "rollback"}`,
    disruptive: false,
    done: () => Promise.resolve(false),
    plan: (ctx) =>
      Promise.resolve([{ command: `oc get co (healthy on ${ctx.options.operatorReads} consecutive reads)` }]),
    apply: () => Promise.resolve(),
    verify: (ctx) =>
      waitOperatorsHealthy(ctx.kube, {
        timeoutMs: ctx.options.timeoutMs,
        reads: ctx.options.operatorReads,
        intervalMs: ctx.options.operatorIntervalMs,
        signal: ctx.signal,
        report: ctx.report,
      }),
  });
  return steps;
}

async function subnetsInEffect(ctx: Ctx): Promise<boolean> {
  const ipv4 = (await getNetworkOperator(ctx.kube)).spec?.defaultNetwork?.ovnKubernetesConfig?.ipv4 ?? {};
  return (!ctx.options.joinSubnet || ipv4.internalJoinSubnet === ctx.options.joinSubnet) &&
    (!ctx.options.transitSubnet || ipv4.internalTransitSwitchSubnet === ctx.options.transitSubnet);
}

async function patchSubnets(ctx: Ctx): Promise<void> {
  await ctx.kube.patch(R.networkOperator, "cluster", subnetBody(ctx.options), "merge");
  const o = ctx.options;
  ctx.note(
    `OVN internal subnets: ${
      [o.joinSubnet && `join ${o.joinSubnet}`, o.transitSubnet && `transit ${o.transitSubnet}`].filter(Boolean)
        .join(", ")
    }`,
  );
}

async function removeEgressRouterPods(ctx: Ctx): Promise<void> {
  const pods = await egressRouterPods(ctx.kube);
  if (pods.length === 0) return;
  if (!ctx.options.deleteEgressRouterPods) {
    throw new BlockedError(
      `${pods.length} egress router pod(s) carry the ${EGRESS_ROUTER_ANNOTATION} annotation; network type live ` +
        `migration is not supported for them:\n  ${pods.map(podName).join("\n  ")}`,
      "Pass --delete-egress-router-pods to save their manifests and delete them (recreate them as EgressRouter " +
        "CRs afterwards), or use --method offline. Nothing was changed.",
    );
  }
  await saveEgressRouters(ctx, pods);
  for (const p of pods) await ctx.kube.delete(R.pod, p.metadata.name, { namespace: p.metadata.namespace });
}

/**
 * A rerun after CNO rejected the trigger applies the fixes the user now passes (--join-subnet, --fix-subnets,
 * --delete-egress-router-pods): their steps were recorded as skipped on the first run, and the trigger stays.
 */
async function applyLateFixes(ctx: Ctx): Promise<boolean> {
  if (await underWay(ctx.kube, ctx.options.target)) return false;
  let fixed = false;
  if (subnetBody(ctx.options) && !await subnetsInEffect(ctx)) {
    await patchSubnets(ctx);
    fixed = true;
  }
  if (ctx.options.deleteEgressRouterPods && (await egressRouterPods(ctx.kube)).length) {
    await removeEgressRouterPods(ctx);
    fixed = true;
  }
  return fixed;
}

/** Where the deleted egress router pods are saved, in the backup directory. */
const EGRESS_ROUTER_BACKUP = "egress-router-pods-deleted.yaml";

/** Saves each egress router pod and, for redirect mode, the EgressRouter CR that replaces it. */
async function saveEgressRouters(ctx: Ctx, pods: KubeObject[]): Promise<void> {
  const dir = ctx.options.backupDir;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/${EGRESS_ROUTER_BACKUP}`,
    dump({ apiVersion: "v1", kind: "List", items: pods.map(clean) }, { lineWidth: -1, noRefs: true }),
  );
  const routers = pods.map(egressRouterEquivalent).filter((r): r is KubeObject => Boolean(r));
  const proxies = pods.filter((p) => !egressRouterEquivalent(p)).map(podName);
  ctx.note(
    `egress router pods saved to ${dir}/${EGRESS_ROUTER_BACKUP} before deleting: ${pods.map(podName).join(", ")}`,
  );
  if (routers.length) {
    const text = routers.map((r) => dump(r, { lineWidth: -1, noRefs: true })).join("---\n");
    await Deno.writeTextFile(`${dir}/egress-routers.yaml`, text);
    ctx.note(
      `after the migration, recreate them as EgressRouter CRs (oc apply -f ${dir}/egress-routers.yaml):\n${
        text.trimEnd().split("\n").map((l) => `      ${l}`).join("\n")
      }`,
    );
  }
  if (proxies.length) {
    ctx.note(`no EgressRouter equivalent for the HTTP/DNS proxy mode pods: ${proxies.join(", ")}`);
  }
}
