/**
 * `execute`: runs the migration (lib/migrate/execute.ts) by the documented procedure, step by step, and prints
 * what it did; `--dry-run` prints the plan instead.
 */
import type { CommandContext } from "../context.ts";
import { UsageError } from "../../errors.ts";
import { ExitCode } from "../../exit_codes.ts";
import type { ExecuteOptions } from "../../migrate/options.ts";
import { METHODS } from "../choices.ts";
import { type CommandRunner, examples } from "../command.ts";
import type { RootCommand } from "../global_flags.ts";
import {
  featureOptionsOf,
  methodOption,
  networkValueOption as value,
  openstackOptionsOf,
  rebootOptionsOf,
  runOptionsOf,
  skipCheckOption,
  withFeatureFlags,
  withOpenStackFlags,
  withRebootFlags,
  withRunFlags,
} from "../shared_flags.ts";
import { printDryRun, printFinished, runMigrationCommand } from "../migration_run.ts";

export function register(root: RootCommand, runner: CommandRunner): void {
  const cmd = root.command("execute")
    .summary("run the migration (offline or live), resumable")
    .description(
      "Run the migration by the documented procedure, step by step: preflight gate, backup, the patches, " +
        "the waits and the reboots. Killed at any point, running it again resumes from the cluster's state.",
    )
    .addOption(
      methodOption(METHODS, "migration method; auto uses the one preflight recommends").makeOptionMandatory(),
    );
  const withRun = withRunFlags(cmd, {
    dryRun: "print the plan with every patch and call; change nothing",
    yes: "do not ask before the first disruptive step (needed without a terminal)",
    timeoutMs: 3_600_000,
    timeoutText: "1h",
  }).addOption(skipCheckOption("ignore a failed preflight check by id (repeatable)"));
  const withValues = withFeatureFlags(withRun, false)
    .addOption(value.mtu("cluster MTU after the migration (default: hardware MTU minus 100)"))
    .addOption(value.genevePort("Geneve UDP port (default: 6081; must differ from the VXLAN port)"))
    .addOption(value.v4InternalSubnet("OVN v4 internal subnet (default: 100.64.0.0/16)"))
    .addOption(value.v6InternalSubnet("OVN v6 internal subnet (default: fd98::/64)"))
    .addOption(value.joinSubnet("live: OVN join subnet to set first (default: 100.64.0.0/16)"))
    .addOption(value.transitSubnet("live: OVN transit subnet to set first (default: 100.88.0.0/16)"))
    .option("--fix-subnets", "live: pick free join/transit subnets when the defaults overlap", false)
    .addOption(value.clusterNetwork("offline: new cluster network with the flip (default: unchanged)"))
    .addOption(value.hostPrefix("offline: host prefix for --cluster-network (default: unchanged)"));
  const withReboot = withRebootFlags(withValues)
    .option("--delete-nncp", "remove NodeNetworkConfigurationPolicies on the primary NIC", false)
    .option("--delete-egress-router-pods", "live: save and delete egress router pods instead of refusing", false)
    .option("--managed-platform-ack", "live: you acknowledge the managed-platform (ROSA/OSD) annotation", false)
    .option("--backup-dir <dir>", "where backups of every changed object go", ".ovn-migrate/backup")
    .option("--etcd-backup-confirmed", "you have a recent etcd backup", false);
  withOpenStackFlags(withReboot)
    .addHelpText(
      "after",
      examples([
        "oc ovn-migrate execute --method offline --dry-run",
        "oc ovn-migrate execute --method offline --yes --reboot ssh --ssh-user core --ssh-key ~/.ssh/id_ed25519",
        "oc ovn-migrate execute --method live --fix-subnets --yes",
        "oc ovn-migrate execute --method auto --no-multicast --mtu 1400",
      ]) + "\nExit codes: 0 migrated, 3 blocked or failed (with a diagnosis), 2 bad flags, 1 error.\n",
    )
    .action(async (o) => {
      const opts: ExecuteOptions = {
        method: o.method,
        ...runOptionsOf(o),
        skipChecks: o.skipCheck,
        ...featureOptionsOf(o),
        mtu: o.mtu,
        genevePort: o.genevePort,
        v4InternalSubnet: o.v4InternalSubnet,
        v6InternalSubnet: o.v6InternalSubnet,
        joinSubnet: o.joinSubnet,
        transitSubnet: o.transitSubnet,
        fixSubnets: o.fixSubnets,
        clusterNetwork: o.clusterNetwork,
        hostPrefix: o.hostPrefix,
        ...rebootOptionsOf(o),
        deleteNncp: o.deleteNncp,
        deleteEgressRouterPods: o.deleteEgressRouterPods,
        managedPlatformAck: o.managedPlatformAck,
        backupDir: o.backupDir,
        etcdBackupConfirmed: o.etcdBackupConfirmed,
        ...openstackOptionsOf(o),
      };
      if (opts.hostPrefix !== undefined && !opts.clusterNetwork) {
        throw new UsageError(
          "--host-prefix needs --cluster-network.",
          "Pass both, e.g. --cluster-network 10.132.0.0/14 --host-prefix 23.",
        );
      }
      await runner("execute", opts, run);
    });
}

export function run(ctx: CommandContext, opts: ExecuteOptions): Promise<ExitCode> {
  return runMigrationCommand(ctx, opts, {
    consent: "execute changes the cluster network and reboots every node",
    async run(env) {
      const { executeMigration } = await import("../../migrate/execute.ts");
      return await executeMigration(env, opts);
    },
    print(result, ui) {
      if (result.dryRun) return printDryRun(ctx, ui, { method: result.method });
      printFinished(ctx, {
        method: result.method,
        result: "migrated",
        networkType: "OVNKubernetes",
        clusterNetworkMTU: result.clusterNetworkMTU,
        outcomes: result.outcomes,
        headline: `The cluster runs OVN-Kubernetes (${result.method} migration complete).`,
        backupDir: opts.backupDir,
      });
    },
  });
}
