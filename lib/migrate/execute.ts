/**
 * The migration `execute` runs: checks the user's values and the cluster (preflight gate), then runs the
 * migration's steps. A run that finds a migration of ours under way resumes it (from any machine: the
 * progress lives in the cluster) and skips the gate, whose checks a half-migrated cluster would fail.
 */
import type { ExecuteOptions } from "./options.ts";
import type { PreflightOptions } from "../verify/options.ts";
import { BlockedError, KubeError, UsageError } from "../errors.ts";
import { notOpenShiftError } from "../kube/errors.ts";
import type { Kube } from "../kube/types.ts";
import { VERSION } from "../version.ts";
import { collectFacts } from "../verify/collect.ts";
import { type Facts, valueOf } from "../verify/facts.ts";
import { recommend } from "../verify/recommend.ts";
import { evaluateChecks, resultsFor, selectChecks } from "../verify/run.ts";
import { type EngineResult, runSteps } from "./engine.ts";
import { checkFlagValues } from "./flag_checks.ts";
import { type OfflineOptions, offlineSteps } from "./offline.ts";
import { liveSteps, MTU_AFTER_KEY, prepareLive } from "./live.ts";
import { Progress, readProgress } from "./progress.ts";
import { featuresFrom, rebootFlagsFrom } from "./flag_settings.ts";
import type { MigrationEnv } from "./ui.ts";

const TARGET = "OVNKubernetes";

export function preflightOptionsOf(opts: ExecuteOptions): PreflightOptions {
  return {
    method: opts.method,
    skipChecks: opts.skipChecks,
    onlyChecks: [],
    etcdBackupConfirmed: opts.etcdBackupConfirmed,
    v4InternalSubnet: opts.v4InternalSubnet,
    v6InternalSubnet: opts.v6InternalSubnet,
    joinSubnet: opts.joinSubnet,
    transitSubnet: opts.transitSubnet,
    clusterNetwork: opts.clusterNetwork,
    hostPrefix: opts.hostPrefix,
    mtu: opts.mtu,
    genevePort: opts.genevePort,
  };
}

/** Stops on every failed check of the method, listing each with its fix; returns the warnings. */
function gate(facts: Facts, method: "offline" | "live", popts: PreflightOptions): string[] {
  const checks = selectChecks([], popts.skipChecks);
  const results = resultsFor(evaluateChecks(facts, checks, [method], { ...popts, method }), method);
  const failed = results.filter((r) => r.level === "fail");
  if (failed.length > 0) {
    const lines = failed.map((r) => `✖ ${r.id}: ${r.message}${r.fix ? `\n    fix: ${r.fix}` : ""}`);
    throw new BlockedError(
      `Preflight failed for the ${method} migration; nothing was changed.\n  ${lines.join("\n  ")}`,
      `Fix the above, or skip a check you have dealt with: --skip-check ${failed[0].id}`,
    );
  }
  return results.filter((r) => r.level === "warn").map((r) => `${r.id}: ${r.message}`);
}

function chooseMethod(facts: Facts, popts: PreflightOptions): { method: "offline" | "live"; reasons: string[] } {
  const checks = selectChecks([], popts.skipChecks);
  const results = evaluateChecks(facts, checks, ["offline", "live"], popts);
  const rec = recommend(facts, results, ["offline", "live"]);
  if (rec.recommended === "none") {
    throw new BlockedError(
      `No migration method can run on this cluster:\n  ${rec.reasons.join("\n  ")}`,
      "Run `oc ovn-migrate preflight` for each failed check and its fix.",
    );
  }
  return { method: rec.recommended, reasons: rec.reasons };
}

const article = (word: string) => (/^[aeiou]/i.test(word) ? "An" : "A");

/** The progress record, or undefined when this user may not read it (the gate's RBAC check then says why). */
async function progressOrForbidden(kube: Kube) {
  try {
    return await readProgress(kube);
  } catch (e) {
    if (e instanceof KubeError && e.status === 403) return undefined;
    throw e;
  }
}

/** What a finished run did; a dry run wrote nothing and its plan went to the UI's `planned`. */
export type ExecuteResult =
  | { method: "offline" | "live"; dryRun: true }
  | ({ method: "offline" | "live"; dryRun: false; clusterNetworkMTU?: number } & EngineResult);

export async function executeMigration(env: MigrationEnv, opts: ExecuteOptions): Promise<ExecuteResult> {
  const { kube, ui } = env;
  const groups = await kube.apiGroups();
  if (!groups.includes("config.openshift.io")) throw notOpenShiftError(kube.server, ["config.openshift.io"]);
  const record = await progressOrForbidden(kube);
  // A record whose last step is done belongs to a finished migration: nothing is under way.
  const finished = record && ("verify-migration" in record.steps || "operators-healthy-after" in record.steps);
  const resuming = !finished && record?.operation === "migrate" && record.to === TARGET &&
    Object.keys(record.steps).length > 0;
  if (resuming && opts.method !== "auto" && opts.method !== record.method) {
    throw new UsageError(
      `${article(record.method)} ${record.method} migration started by oc-ovn-migrate is under way; ` +
        `it cannot continue as ${opts.method}.`,
      `Run \`oc ovn-migrate execute --method ${record.method}\` to resume it.`,
    );
  }
  const popts = preflightOptionsOf(opts);
  const facts = await collectFacts(kube, { apiGroups: groups });
  const auto = !resuming && opts.method === "auto" ? chooseMethod(facts, popts) : undefined;
  const method = resuming
    ? record.method as "offline" | "live"
    : auto
    ? auto.method
    : opts.method as "offline" | "live";
  if (auto) ui.message(`method: ${method} (recommended: ${auto.reasons.join("; ")})`);
  // Live: what the user asked this run to handle (egress router pods, NNCPs, overlapping subnets) passes the gate.
  const live = method === "live" ? prepareLive(facts, opts, popts) : undefined;
  if (live) Object.assign(popts, live.popts);
  checkFlagValues(facts, method, popts);
  const source = valueOf(facts.networkConfig)?.status.networkType;
  if (!resuming) {
    if (source !== "OpenShiftSDN") {
      throw new UsageError(
        source === TARGET
          ? "The cluster already runs OVN-Kubernetes; there is nothing to migrate."
          : `execute migrates from OpenShiftSDN; this cluster runs ${source ?? "an unknown network plugin"}.`,
        source === TARGET ? "After a migration, run `oc ovn-migrate cleanup`." : undefined,
      );
    }
    for (const w of gate(facts, method, popts)) ui.message(`⚠ ${w}`);
  }

  const options: OfflineOptions = {
    target: TARGET,
    features: featuresFrom(opts),
    ovnConfig: {
      mtu: opts.mtu,
      genevePort: opts.genevePort,
      // The offline documentation's name for the IPv4 join subnet; --join-subnet means the same.
      v4InternalSubnet: opts.v4InternalSubnet ?? opts.joinSubnet,
      v6InternalSubnet: opts.v6InternalSubnet,
    },
    transitSubnet: opts.transitSubnet,
    clusterNetwork: opts.clusterNetwork ? { cidr: opts.clusterNetwork, hostPrefix: opts.hostPrefix ?? 23 } : undefined,
    deleteNncp: opts.deleteNncp,
    ...rebootFlagsFrom(opts),
    backupDir: opts.backupDir,
    ...env.tuning,
    confirmRebootAgain: async (nodes) => opts.yes || await ui.confirm(`Reboot ${nodes.join(", ")} again?`),
  };
  const progress = await Progress.load(kube, {
    operation: "migrate",
    method,
    from: "OpenShiftSDN",
    to: TARGET,
    version: VERSION,
    dryRun: opts.dryRun,
    mirrorFile: `${opts.backupDir}/progress.json`,
  });
  const resume = `oc ovn-migrate execute --method ${method}${opts.yes ? " --yes" : ""}`;
  if (resuming && !opts.dryRun) ui.note(`resuming the ${method} migration started ${record.startedAt}`);
  const stepCtx = { kube, progress, report: ui.report, note: ui.note, signal: env.signal };
  const engineOpts = {
    dryRun: opts.dryRun,
    resumeCommand: resume,
    confirmQuestion: `Migrate ${kube.server} from OpenShift SDN to OVN-Kubernetes (${method})? Every node will reboot.`,
  };
  const result = live
    ? await runSteps(liveSteps(), { ...stepCtx, options: live.options(options) }, ui, engineOpts)
    : await runSteps(offlineSteps(), { ...stepCtx, options }, ui, engineOpts);
  if (opts.dryRun) return { method, dryRun: true };
  const mtu = live ? progress.get<number>(MTU_AFTER_KEY) : undefined;
  return { method, dryRun: false, ...(mtu !== undefined ? { clusterNetworkMTU: mtu } : {}), ...result };
}
