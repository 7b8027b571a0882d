/**
 * What `execute`, `rollback` and `cleanup` do around their procedure: refuse without a way to ask, connect,
 * show the steps (lib/cli/step_ui.ts), turn Ctrl-C into an abort, and print the result or the `--dry-run` plan.
 */
import type { CommandContext } from "./context.ts";
import { ExitCode } from "../exit_codes.ts";
import { tuning } from "../migrate/tuning.ts";
import type { OpenStackOptions } from "../migrate/options.ts";
import type { MigrationEnv } from "../migrate/ui.ts";
import { openstackAccess } from "./openstack_access.ts";
import { onInterrupt, requireConsent } from "./interrupt.ts";
import { printResult } from "./output.ts";
import { createStepUi, type StepUi } from "./step_ui.ts";

export interface MigrationCommand<R> {
  /** What the command does to the cluster, for the refusal when there is no terminal and no --yes. */
  consent: string;
  run(env: MigrationEnv): Promise<R>;
  /** Prints the result (the step marks and the plan were shown as the run went). */
  print(result: R, ui: StepUi): void;
}

export async function runMigrationCommand<R>(
  ctx: CommandContext,
  opts: { dryRun: boolean; yes: boolean } & OpenStackOptions,
  command: MigrationCommand<R>,
): Promise<ExitCode> {
  requireConsent(ctx.io, opts, command.consent);
  const kube = await ctx.connect();
  const ui = createStepUi(ctx, { yes: opts.yes });
  const interrupt = onInterrupt();
  try {
    const t = tuning(ctx.io.env);
    const openstack = openstackAccess(ctx, opts, kube, t.timeScale, interrupt.signal);
    const result = await command.run({ kube, ui, tuning: t, signal: interrupt.signal, openstack });
    ui.stop();
    command.print(result, ui);
    return ExitCode.Ok;
  } finally {
    ui.stop();
    interrupt.dispose();
  }
}

/** The end of a `--dry-run`: the plan as data with `-o json|yaml` (`head` first), else one closing line. */
export function printDryRun(ctx: CommandContext, ui: StepUi, head: Record<string, unknown> = {}): void {
  if (ctx.globals.output !== "human") {
    printResult(ctx.io, ctx.globals.output, { ...head, dryRun: true, steps: ui.plan }, () => "");
  } else ctx.io.stdout("\nDry run: nothing was written to the cluster.\n");
}

export interface Finished {
  method: string;
  /** "migrated" or "rolled-back". */
  result: string;
  networkType: string;
  clusterNetworkMTU?: number;
  outcomes: unknown[];
  /** The first line people read, e.g. "The cluster runs OVN-Kubernetes (offline migration complete)." */
  headline: string;
  backupDir: string;
}

/** The end of a migration or rollback: the result as data, or the headline, the MTU, the backup and what is next. */
export function printFinished(ctx: CommandContext, f: Finished): void {
  const mtu = f.clusterNetworkMTU;
  printResult(
    ctx.io,
    ctx.globals.output,
    {
      method: f.method,
      result: f.result,
      networkType: f.networkType,
      ...(mtu !== undefined ? { clusterNetworkMTU: mtu } : {}),
      outcomes: f.outcomes,
    },
    () =>
      `\n${f.headline}\n` + (mtu !== undefined ? `Cluster network MTU: ${mtu}.\n` : "") +
      `Backup: ${f.backupDir}\nNext: check your workloads, then run \`oc ovn-migrate cleanup\`.\n`,
  );
}
