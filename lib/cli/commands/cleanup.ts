/** `cleanup`: removes what a verified migration leaves behind (lib/migrate/cleanup.ts). */
import type { CommandContext } from "../context.ts";
import type { ExitCode } from "../../exit_codes.ts";
import type { CleanupOptions } from "../../migrate/options.ts";
import { type CommandRunner, examples } from "../command.ts";
import type { RootCommand } from "../global_flags.ts";
import { printDryRun, runMigrationCommand } from "../migration_run.ts";
import { printResult } from "../output.ts";
import { openstackOptionsOf, runOptionsOf, withOpenStackFlags, withRunFlags } from "../shared_flags.ts";

export function register(root: RootCommand, runner: CommandRunner): void {
  const cmd = root.command("cleanup")
    .summary("remove the old plugin's leftovers after a migration")
    .description(
      "After a verified migration, remove the old plugin's leftovers: spec.migration, the old plugin's " +
        "configuration and namespace, the live-migration annotation. Idempotent.",
    );
  withOpenStackFlags(withRunFlags(cmd, {
    dryRun: "list every change; change nothing",
    yes: "do not ask for confirmation (needed without a terminal)",
    timeoutMs: 600_000,
    timeoutText: "10m",
  }))
    .addHelpText("after", examples(["oc ovn-migrate cleanup --dry-run", "oc ovn-migrate cleanup --yes"]))
    .action(async (o) => {
      await runner("cleanup", { ...runOptionsOf(o), ...openstackOptionsOf(o) }, run);
    });
}

export function run(ctx: CommandContext, opts: CleanupOptions): Promise<ExitCode> {
  return runMigrationCommand(ctx, opts, {
    consent: "cleanup deletes the old network plugin's namespace",
    async run(env) {
      const { cleanupMigration } = await import("../../migrate/cleanup.ts");
      return await cleanupMigration(env, opts);
    },
    print(result, ui) {
      if (result.result === "nothing-to-clean") {
        return printResult(
          ctx.io,
          ctx.globals.output,
          { result: "nothing-to-clean", networkType: result.networkType },
          () =>
            `Nothing to clean up: the cluster runs ${result.networkType} and no leftovers of the old plugin remain.\n`,
        );
      }
      if (result.result === "dry-run") {
        const call = result.removeProgress;
        if (call) {
          ui.plan.push({ id: "remove-progress", title: "Remove the progress record", state: "pending", calls: [call] });
          if (ctx.globals.output === "human") {
            ctx.io.stdout(`ℹ Remove the progress record [remove-progress]\n    $ ${call.command}\n`);
          }
        }
        return printDryRun(ctx, ui);
      }
      printResult(
        ctx.io,
        ctx.globals.output,
        { result: "cleaned", networkType: result.networkType, outcomes: result.outcomes },
        () => `\nCleanup complete: the cluster runs ${result.networkType} with no leftovers of the old plugin.\n`,
      );
    },
  });
}
