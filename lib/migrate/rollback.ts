/**
 * The rollback `rollback` runs: OVN-Kubernetes back to OpenShift SDN, offline (offline_rollback.ts, procedures.md §8)
 * or live (live.ts towards OpenShiftSDN, §9). Only where SDN still exists (≤ 4.16) and after a successful
 * migration (OVNKubernetes in spec and status, nothing in progress); a rollback of ours under way resumes.
 */
import type { RollbackOptions } from "./options.ts";
import { BlockedError, UsageError } from "../errors.ts";
import { R } from "../kube/resources.ts";
import type { Kube } from "../kube/types.ts";
import { isManaged } from "../verify/checks/util.ts";
import { collectFacts } from "../verify/collect.ts";
import { valueOf } from "../verify/facts.ts";
import { parseVersion } from "../verify/version.ts";
import { VERSION } from "../version.ts";
import { type EngineResult, runSteps } from "./engine.ts";
import { type LiveOptions, liveSteps, MTU_AFTER_KEY } from "./live.ts";
import { findCondition as condition } from "../openshift/conditions.ts";
import { COND } from "../openshift/names.ts";
import { Progress, readProgress } from "./progress.ts";
import { type RollbackOfflineOptions, rollbackOfflineSteps } from "./offline_rollback.ts";
import { featuresFrom, rebootFlagsFrom } from "./flag_settings.ts";
import type { MigrationEnv } from "./ui.ts";

const SDN = "OpenShiftSDN";
const OVN = "OVNKubernetes";
export const DEFAULT_ROLLBACK_BACKUP_DIR = ".ovn-migrate/backup-rollback";

/** Why this cluster cannot be rolled back, or undefined. */
async function rollbackBlocker(kube: Kube): Promise<string | undefined> {
  const cv = await kube.get(R.clusterVersion, "version");
  const version = parseVersion(cv?.status?.desired?.version);
  if (version && (version.major > 4 || version.minor >= 17)) {
    return `the cluster runs ${version.text}: OpenShift SDN was removed in 4.17, so there is nothing to roll back to`;
  }
  const nc = await kube.get(R.networkConfig, "cluster");
  const no = await kube.get(R.networkOperator, "cluster");
  if (!nc || !no) return "the Network objects (config and operator) named cluster do not exist";
  if (nc.spec?.networkType !== OVN || nc.status?.networkType !== OVN) {
    return `the cluster is not on OVN-Kubernetes after a finished migration (spec.networkType ${nc.spec?.networkType}, ` +
      `status.networkType ${nc.status?.networkType})`;
  }
  if (condition(nc, COND.inProgress)?.status === "True") return "a live migration is still in progress";
  const migration = no.spec?.migration;
  if (migration?.mode === "Live" || migration?.mtu) return "the network operator is still migrating (spec.migration)";
  if (migration?.networkType && migration.networkType !== OVN) {
    return `spec.migration targets ${migration.networkType}: another migration was started`;
  }
  return undefined;
}

/** The user's values checked against the cluster before anything is written (exit 2). */
async function checkValues(kube: Kube, opts: RollbackOptions): Promise<void> {
  if (opts.method === "live" && (opts.mtu !== undefined || opts.vxlanPort !== undefined)) {
    throw new UsageError(
      "--mtu and --vxlan-port apply to the offline rollback; the live rollback keeps the MTU CNO computes.",
    );
  }
  const no = await kube.get(R.networkOperator, "cluster");
  const geneve = no?.spec?.defaultNetwork?.ovnKubernetesConfig?.genevePort ?? 6081;
  if (opts.vxlanPort !== undefined && opts.vxlanPort === geneve) {
    throw new UsageError(
      `--vxlan-port ${opts.vxlanPort} is the Geneve port OVN-Kubernetes uses.`,
      "Use another port (the SDN default is 4789).",
    );
  }
  const cm = await kube.get(R.configMap, "mtu", "openshift-network-operator");
  const hardware = Number.parseInt(cm?.data?.mtu ?? "", 10);
  if (opts.mtu !== undefined && Number.isFinite(hardware) && opts.mtu > hardware - 50) {
    throw new UsageError(
      `--mtu ${opts.mtu} is too large: the hardware MTU is ${hardware} and OpenShift SDN needs 50 bytes for VXLAN.`,
      `Use --mtu ${hardware - 50} or less.`,
    );
  }
}

export type RollbackResult =
  | { method: "offline" | "live"; dryRun: true; backupDir: string }
  | ({ method: "offline" | "live"; dryRun: false; backupDir: string; clusterNetworkMTU?: number } & EngineResult);

export async function rollbackMigration(env: MigrationEnv, opts: RollbackOptions): Promise<RollbackResult> {
  const { kube, ui } = env;
  const record = await readProgress(kube);
  const resuming = record?.operation === "rollback" && record.to === SDN && Object.keys(record.steps).length > 0;
  if (resuming && opts.method !== record.method) {
    throw new UsageError(
      `${
        record.method === "offline" ? "An" : "A"
      } ${record.method} rollback started by oc-ovn-migrate is under way; it cannot continue as ${opts.method}.`,
      `Run \`oc ovn-migrate rollback --method ${record.method}\` to resume it.`,
    );
  }
  await checkValues(kube, opts);
  if (!resuming) {
    const blocker = await rollbackBlocker(kube);
    if (blocker) {
      throw new BlockedError(
        `Rollback refused: ${blocker}. Nothing was changed.`,
        "Rollback to OpenShift SDN is for a cluster that finished a migration to OVN-Kubernetes on 4.14–4.16.",
      );
    }
  }
  const t = env.tuning;
  const backupDir = opts.backupDir || DEFAULT_ROLLBACK_BACKUP_DIR;
  const progress = await Progress.load(kube, {
    operation: "rollback",
    method: opts.method,
    from: OVN,
    to: SDN,
    version: VERSION,
    dryRun: opts.dryRun,
    mirrorFile: `${backupDir}/progress.json`,
  });
  const stepCtx = { kube, progress, report: ui.report, note: ui.note, signal: env.signal };
  const engineOpts = {
    dryRun: opts.dryRun,
    resumeCommand: `oc ovn-migrate rollback --method ${opts.method}`,
    confirmQuestion:
      `Roll ${kube.server} back from OVN-Kubernetes to OpenShift SDN (${opts.method})? Every node will reboot.`,
  };
  if (resuming && !opts.dryRun) ui.note(`resuming the ${opts.method} rollback started ${record.startedAt}`);
  let result: EngineResult;
  if (opts.method === "live") {
    const facts = await collectFacts(kube);
    const options: LiveOptions = {
      target: SDN,
      deleteEgressRouterPods: false,
      deleteNncp: false,
      managed: valueOf(facts.infrastructure) ? isManaged(facts) : false,
      // Rolling back a managed cluster that was migrated live: the annotation is already there.
      managedPlatformAck: false,
      timeoutMs: opts.timeoutMs,
      pausedGraceMs: t.mcoStartGraceMs,
      revalidateGraceMs: t.mcoStartGraceMs * 0.3,
      operatorReads: t.operatorReads,
      operatorIntervalMs: t.operatorIntervalMs,
      backupDir,
    };
    result = await runSteps(liveSteps("rollback"), { ...stepCtx, options }, ui, engineOpts);
  } else {
    const options: RollbackOfflineOptions = {
      features: featuresFrom(opts),
      sdnConfig: { mtu: opts.mtu, vxlanPort: opts.vxlanPort },
      ...rebootFlagsFrom(opts),
      backupDir,
      ...t,
    };
    result = await runSteps(rollbackOfflineSteps(), { ...stepCtx, options }, ui, engineOpts);
  }
  if (opts.dryRun) return { method: opts.method, dryRun: true, backupDir };
  const mtu = progress.get<number>(MTU_AFTER_KEY);
  return { method: opts.method, dryRun: false, backupDir, ...(mtu ? { clusterNetworkMTU: mtu } : {}), ...result };
}
