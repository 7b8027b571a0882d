/**
 * Runs a list of steps: each is skipped when recorded, recorded without applying when the cluster
 * already shows its effect, otherwise applied and verified, then recorded. Any stop names the step
 * and says that running the same command again resumes.
 */
import { CliError } from "../errors.ts";
import { ExitCode } from "../exit_codes.ts";
import type { PlannedCall, Step, StepContext } from "./step.ts";

export type StepOutcome = "applied" | "already-in-effect" | "recorded-earlier" | "skipped";

export interface EngineUi {
  /** Asks before the first disruptive step; false stops the run. */
  confirm(question: string): Promise<boolean>;
  stepDone(step: Step<unknown>, outcome: StepOutcome, detail?: string): void;
  stepStarting(step: Step<unknown>, index: number, total: number): void;
  /** `--dry-run`: the calls a step would make (empty when it would make none). */
  planned(step: Step<unknown>, state: "pending" | StepOutcome, calls: PlannedCall[], detail?: string): void;
}

export interface EngineOptions {
  dryRun: boolean;
  /** The command that resumes this run, for the message printed on a stop. */
  resumeCommand: string;
  /** The question asked before the first disruptive step. */
  confirmQuestion: string;
}

export interface EngineResult {
  outcomes: { id: string; outcome: StepOutcome; detail?: string }[];
}

export async function runSteps<O>(
  steps: Step<O>[],
  ctx: StepContext<O>,
  ui: EngineUi,
  opts: EngineOptions,
): Promise<EngineResult> {
  const outcomes: EngineResult["outcomes"] = [];
  let confirmed = false;
  for (const [i, step] of steps.entries()) {
    const s = step as Step<unknown>;
    if (ctx.progress.isDone(step.id)) {
      if (opts.dryRun) ui.planned(s, "recorded-earlier", []);
      else ui.stepDone(s, "recorded-earlier");
      outcomes.push({ id: step.id, outcome: "recorded-earlier" });
      continue;
    }
    try {
      const reason = await step.skip?.(ctx);
      if (reason) {
        if (opts.dryRun) ui.planned(s, "skipped", [], reason);
        else {
          await ctx.progress.markDone(step.id, reason);
          ui.stepDone(s, "skipped", reason);
        }
        outcomes.push({ id: step.id, outcome: "skipped", detail: reason });
        continue;
      }
      const inEffect = await step.done(ctx);
      if (opts.dryRun) {
        ui.planned(s, inEffect ? "already-in-effect" : "pending", inEffect ? [] : await step.plan(ctx));
        outcomes.push({ id: step.id, outcome: inEffect ? "already-in-effect" : "applied" });
        continue;
      }
      ui.stepStarting(s, i + 1, steps.length);
      if (!inEffect) {
        if (step.disruptive && !confirmed) {
          if (!await ui.confirm(opts.confirmQuestion)) {
            throw new CliError(
              `Stopped before "${step.title}": you declined. Nothing disruptive was done.`,
              ExitCode.RuntimeError,
              `Run \`${opts.resumeCommand}\` again when you are ready; it continues from here.`,
            );
          }
          confirmed = true;
        }
        await step.apply(ctx);
      }
      await step.verify(ctx);
      await ctx.progress.markDone(step.id);
      ui.stepDone(s, inEffect ? "already-in-effect" : "applied");
      outcomes.push({ id: step.id, outcome: inEffect ? "already-in-effect" : "applied" });
    } catch (e) {
      throw stoppedAt(step, e, opts.resumeCommand);
    }
  }
  return { outcomes };
}

function stoppedAt(step: Step<unknown>, e: unknown, resume: string): CliError {
  const again = `Running \`${resume}\` again resumes from this step (pass the same flags).`;
  if (e instanceof CliError) {
    if (e.message.startsWith("Stopped before")) return e;
    const hint = [e.hint, again].filter(Boolean).join("\n");
    return new CliError(`Step "${step.title}" stopped: ${e.message}`, e.exitCode, hint, { cause: e });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new CliError(`Step "${step.title}" failed: ${msg}`, ExitCode.RuntimeError, again, { cause: e });
}
