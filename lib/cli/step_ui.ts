/**
 * How `execute`, `cleanup` and `rollback` show their steps: one progress line on stderr while a step
 * waits, a mark per finished step, the `--dry-run` plan on stdout, and the confirmation question
 * (asked only on a terminal; `--yes` answers it; without either the command refuses before writing).
 */
import type { CommandContext } from "./context.ts";
import { colors, createProgress, symbols } from "./output.ts";
import { confirmConfig } from "./prompt_theme.ts";
import type { StepOutcome } from "../migrate/engine.ts";
import type { PlannedCall, Step } from "../migrate/step.ts";
import type { MigrationUi } from "../migrate/ui.ts";

export interface StepUi extends MigrationUi {
  /** The plan collected by `planned` (for `-o json|yaml`). */
  plan: { id: string; title: string; state: string; detail?: string; calls: PlannedCall[] }[];
  stop(): void;
}

const OUTCOME_TEXT: Record<StepOutcome, string> = {
  "applied": "",
  "already-in-effect": " (already in effect)",
  "recorded-earlier": " (done earlier)",
  "skipped": " (skipped)",
};

export function createStepUi(ctx: CommandContext, opts: { yes: boolean }): StepUi {
  const { io } = ctx;
  const c = colors(io);
  const sym = symbols(io);
  const progress = createProgress(io);
  const human = ctx.globals.output === "human";
  const plan: StepUi["plan"] = [];
  return {
    plan,
    report: (line) => progress.update(line),
    note: (line) => {
      progress.stop();
      io.stderr(`  ${c.dim(sym.info)} ${line}\n`);
    },
    message: (line) => {
      progress.stop();
      io.stderr(`${line}\n`);
    },
    stop: () => progress.stop(),
    stepStarting(step, index, total) {
      progress.update(`[${index}/${total}] ${step.title}`);
    },
    stepDone(step: Step<unknown>, outcome: StepOutcome, detail?: string) {
      const mark = outcome === "skipped" ? c.dim(sym.skip) : c.green(sym.ok);
      progress.stop();
      io.stderr(`${mark} ${step.title}${c.dim(OUTCOME_TEXT[outcome])}${detail ? c.dim(`: ${detail}`) : ""}\n`);
    },
    planned(step, state, calls, detail) {
      plan.push({ id: step.id, title: step.title, state, ...(detail ? { detail } : {}), calls });
      if (!human) return;
      const head = state === "pending"
        ? `${c.bold(sym.info)} ${step.title} ${c.dim(`[${step.id}]`)}${
          step.disruptive ? c.yellow(" (disruptive)") : ""
        }`
        : `${c.dim(sym.ok)} ${step.title} ${
          c.dim(`[${step.id}] — ${state.replaceAll("-", " ")}${detail ? `: ${detail}` : ""}`)
        }`;
      io.stdout(head + "\n");
      for (const call of calls) {
        io.stdout(`    $ ${call.command}\n`);
        if (call.request) io.stdout(c.dim(`      ${call.request}\n`));
      }
    },
    async confirm(question) {
      if (opts.yes) return true;
      if (!io.stdinIsTTY) return false;
      progress.stop();
      const { default: confirm } = await import("@inquirer/confirm");
      return await confirm(confirmConfig(question, io.color));
    },
  };
}
