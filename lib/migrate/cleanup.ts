/**
 * The clean-up `cleanup` runs: after a verified migration (or rollback), removes what the old plugin left
 * (cleanup_steps.ts). Refuses with the reason (exit 3) while anything is unfinished; a run that finds nothing
 * to do changes nothing at all.
 */
import type { CleanupOptions } from "./options.ts";
import { BlockedError } from "../errors.ts";
import { VERSION } from "../version.ts";
import { cleanupBlocker, type CleanupStepOptions, cleanupSteps } from "./cleanup_steps.ts";
import { type EngineResult, runSteps } from "./engine.ts";
import type { NetworkType } from "./offline.ts";
import { Progress, PROGRESS_NAME, PROGRESS_NAMESPACE, readProgress } from "./progress.ts";
import type { PlannedCall, StepContext } from "./step.ts";
import type { MigrationEnv } from "./ui.ts";

export type CleanupResult =
  | { result: "nothing-to-clean"; networkType: NetworkType }
  /** `removeProgress`: the progress record would go last (only a run that found one). */
  | { result: "dry-run"; networkType: NetworkType; removeProgress?: PlannedCall }
  | ({ result: "cleaned"; networkType: NetworkType } & EngineResult);

/** The progress record goes last: with it the cluster forgets that a migration happened. */
const REMOVE_PROGRESS_CALL: PlannedCall = { command: `oc delete configmap -n ${PROGRESS_NAMESPACE} ${PROGRESS_NAME}` };

export async function cleanupMigration(env: MigrationEnv, opts: CleanupOptions): Promise<CleanupResult> {
  const { kube, ui } = env;
  const ready = await cleanupBlocker(kube);
  if ("reason" in ready) {
    throw new BlockedError(`Cleanup refused: ${ready.reason}. Nothing was changed.`, ready.hint);
  }
  const target = ready.target;
  const progress = await Progress.load(kube, {
    operation: "cleanup",
    method: "cleanup",
    from: target === "OVNKubernetes" ? "OpenShiftSDN" : "OVNKubernetes",
    to: target,
    version: VERSION,
    dryRun: opts.dryRun,
  });
  const stepCtx: StepContext<CleanupStepOptions> = {
    kube,
    options: { target, timeoutMs: opts.timeoutMs },
    progress,
    report: ui.report,
    note: ui.note,
    signal: env.signal,
  };
  const steps = cleanupSteps();
  // Nothing left to clean: change nothing at all (not even the progress record), so a second run is a no-op.
  const pending = [];
  for (const s of steps) if (!await s.skip?.(stepCtx)) pending.push(s.id);
  const record = await readProgress(kube);
  if (pending.length === 0 && !record) return { result: "nothing-to-clean", networkType: target };
  const result = await runSteps(steps, stepCtx, ui, {
    dryRun: opts.dryRun,
    resumeCommand: "oc ovn-migrate cleanup",
    confirmQuestion: `Clean up after the migration on ${kube.server} (deletes the old plugin's namespace)?`,
  });
  if (opts.dryRun) {
    return { result: "dry-run", networkType: target, ...(record ? { removeProgress: REMOVE_PROGRESS_CALL } : {}) };
  }
  await progress.remove();
  return { result: "cleaned", networkType: target, ...result };
}
