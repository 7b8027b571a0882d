/**
 * `oc ovn-migrate cleanup`: after a verified migration (or rollback), removes what the old plugin left
 * (cleanup.ts). Refuses with the reason (exit 3) while anything is unfinished; a run that finds nothing
 * to do changes nothing and exits 0.
 */
import { onInterrupt, requireConsent } from "./interrupt.ts";
import type { CleanupOptions } from "../cli/cleanup_options.ts";
import type { CommandContext, CommandResult } from "../cli/context.ts";
import { printResult } from "../cli/output.ts";
import { createStepUi } from "../cli/step_ui.ts";
import { BlockedError } from "../errors.ts";
import { ExitCode } from "../exit_codes.ts";
import { VERSION } from "../version.ts";
import { cleanupBlocker, type CleanupStepOptions, cleanupSteps } from "./cleanup.ts";
import { runSteps } from "./engine.ts";
import { Progress, readProgress } from "./progress.ts";
import type { StepContext } from "./step.ts";

export async function runCleanup(ctx: CommandContext, opts: CleanupOptions): CommandResult {
  requireConsent(ctx.io, opts, "cleanup deletes the old network plugin's namespace");
  const kube = await ctx.connect();
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
  const ui = createStepUi(ctx, { yes: opts.yes });
  const interrupt = onInterrupt();
  const stepCtx: StepContext<CleanupStepOptions> = {
    kube,
    options: { target, timeoutMs: opts.timeoutMs },
    progress,
    report: ui.report,
    note: ui.note,
    signal: interrupt.signal,
  };
  try {
    const steps = cleanupSteps();
    // Nothing left to clean: change nothing at all (not even the progress record), so a second run is a no-op.
    const pending = [];
    for (const s of steps) if (!await s.skip?.(stepCtx)) pending.push(s.id);
    const record = await readProgress(kube);
    if (pending.length === 0 && !record) {
      printResult(
        ctx.io,
        ctx.globals.output,
        { result: "nothing-to-clean", networkType: target },
        () => `Nothing to clean up: the cluster runs ${target} and no leftovers of the old plugin remain.\n`,
      );
      return ExitCode.Ok;
    }
    const result = await runSteps(steps, stepCtx, ui, {
      dryRun: opts.dryRun,
      resumeCommand: "oc ovn-migrate cleanup",
      confirmQuestion: `Clean up after the migration on ${kube.server} (deletes the old plugin's namespace)?`,
    });
    ui.stop();
    if (opts.dryRun) {
      if (record) {
        const call = { command: "oc delete configmap -n kube-system oc-ovn-migrate-progress" };
        ui.plan.push({ id: "remove-progress", title: "Remove the progress record", state: "pending", calls: [call] });
        if (ctx.globals.output === "human") {
          ctx.io.stdout(`ℹ Remove the progress record [remove-progress]\n    $ ${call.command}\n`);
        }
      }
      if (ctx.globals.output !== "human") {
        printResult(ctx.io, ctx.globals.output, { dryRun: true, steps: ui.plan }, () => "");
      } else ctx.io.stdout("\nDry run: nothing was written to the cluster.\n");
      return ExitCode.Ok;
    }
    await progress.remove();
    printResult(
      ctx.io,
      ctx.globals.output,
      { result: "cleaned", networkType: target, ...result },
      () => `\nCleanup complete: the cluster runs ${target} with no leftovers of the old plugin.\n`,
    );
    return ExitCode.Ok;
  } finally {
    ui.stop();
    interrupt.dispose();
  }
}
