/** `rollback`: OVN-Kubernetes back to OpenShift SDN (lib/migrate/rollback.ts), offline or live. */
import type { CommandContext } from "../context.ts";
import type { ExitCode } from "../../exit_codes.ts";
import type { RollbackOptions } from "../../migrate/options.ts";
import { MIGRATION_METHODS } from "../choices.ts";
import { type CommandRunner, examples } from "../command.ts";
import type { RootCommand } from "../global_flags.ts";
import { printDryRun, printFinished, runMigrationCommand } from "../migration_run.ts";
import {
  featureOptionsOf,
  methodOption,
  networkValueOption as value,
  rebootOptionsOf,
  runOptionsOf,
  withFeatureFlags,
  withRebootFlags,
  withRunFlags,
} from "../shared_flags.ts";
import { parsePort } from "../flag_values.ts";

export function register(root: RootCommand, runner: CommandRunner): void {
  const cmd = root.command("rollback")
    .summary("return a migrated cluster to OpenShift SDN")
    .description(
      "Return a migrated cluster from OVN-Kubernetes to OpenShift SDN (offline or live), only after a " +
        "successful migration and only where SDN still exists (4.16 and older).",
    )
    .addOption(methodOption(MIGRATION_METHODS, "rollback method").makeOptionMandatory());
  const withValues = withRunFlags(cmd, {
    dryRun: "print the plan; change nothing",
    yes: "do not ask before the first disruptive step (needed without a terminal)",
    timeoutMs: 3_600_000,
    timeoutText: "1h",
  })
    .addOption(value.mtu("SDN cluster MTU (default: hardware MTU minus 50)"))
    .option("--vxlan-port <port>", "SDN VXLAN UDP port (default: 4789)", parsePort);
  withRebootFlags(withFeatureFlags(withValues, true))
    .option("--backup-dir <dir>", "where backups of every changed object go", ".ovn-migrate/backup-rollback")
    .addHelpText(
      "after",
      examples(["oc ovn-migrate rollback --method offline --dry-run", "oc ovn-migrate rollback --method live --yes"]),
    )
    .action(async (o) => {
      const opts: RollbackOptions = {
        method: o.method as RollbackOptions["method"],
        ...runOptionsOf(o),
        mtu: o.mtu,
        vxlanPort: o.vxlanPort,
        ...featureOptionsOf(o),
        ...rebootOptionsOf(o),
        backupDir: o.backupDir,
      };
      await runner("rollback", opts, run);
    });
}

export function run(ctx: CommandContext, opts: RollbackOptions): Promise<ExitCode> {
  return runMigrationCommand(ctx, opts, {
    consent: "rollback changes the cluster network and reboots every node",
    async run(env) {
      const { rollbackMigration } = await import("../../migrate/rollback.ts");
      return await rollbackMigration(env, opts);
    },
    print(result, ui) {
      if (result.dryRun) return printDryRun(ctx, ui, { method: result.method });
      printFinished(ctx, {
        method: result.method,
        result: "rolled-back",
        networkType: "OpenShiftSDN",
        clusterNetworkMTU: result.clusterNetworkMTU,
        outcomes: result.outcomes,
        headline: `The cluster runs OpenShift SDN again (${result.method} rollback complete).`,
        backupDir: result.backupDir,
      });
    },
  });
}
