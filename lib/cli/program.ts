/**
 * The command tree: every command, every flag (kubectl's global flags plus each command's own), the help
 * texts and the exit-code table. Commands are loaded lazily when they run, so `--help`, `version` and
 * completion never import the Kubernetes client. Nothing here exits: `runCli` returns the exit code.
 */
import { Argument, Command, CommanderError, Option } from "commander";
import { CliError, UsageError } from "../errors.ts";
import { EXIT_CODE_TABLE, ExitCode } from "../exit_codes.ts";
import { registerSecret } from "../redact.ts";
import type { ColorMode, CommandContext, GlobalOptions, Io, OutputFormat } from "./context.ts";
import type { CleanupOptions } from "./cleanup_options.ts";
import { reportError } from "./errors_output.ts";
import type { ExecuteOptions } from "./execute_options.ts";
import {
  checkedTimeoutString,
  collect,
  parseBatch,
  parseCidr,
  parseDurationFlag,
  parseHostPrefix,
  parseMtu,
  parsePort,
  parseVerbosity,
} from "./flag_values.ts";
import { type Connector, makeContext } from "./make_context.ts";
import type { PreflightOptions } from "./preflight_options.ts";
import type { RollbackOptions } from "./rollback_options.ts";
import type { StatusOptions } from "./status_options.ts";

export const PROGRAM_NAME = "oc ovn-migrate";

export interface ProgramDeps {
  /** Builds the terminal once the colour mode is known (tests pass a memory Io). */
  makeIo(color: ColorMode): Io;
  /** Replaces the real cluster connection (tests). */
  connector?: Connector;
  /** Replaces a command's module (tests): return undefined to load the real one. */
  loadCommand?: (name: string) => Promise<CommandModule<unknown>> | undefined;
}

/** What every lib/cli/commands/<name>.ts exports. */
export interface CommandModule<O> {
  run(ctx: CommandContext, opts: O): Promise<ExitCode>;
}

/** What an action reports back to runCli (also what buildProgram needs, e.g. for completion tests). */
export interface RunState {
  io: Io;
  connector?: Connector;
  loadCommand?: ProgramDeps["loadCommand"];
  code: ExitCode;
  verbose: number;
}

const METHODS = ["auto", "offline", "live"] as const;
const MIGRATION_METHODS = ["offline", "live"] as const;
const OUTPUTS = ["human", "json", "yaml"] as const;
const COLORS = ["auto", "always", "never"] as const;
const REBOOTS = ["exec", "ssh", "none"] as const;
const SHELLS = ["bash", "zsh", "fish"] as const;

/** Descriptions of enum values, for completion. Keyed by long flag name. */
export const VALUE_DESCRIPTIONS: Record<string, Record<string, string>> = {
  method: {
    auto: "evaluate both methods and use the recommended one",
    offline: "documented offline migration (cluster-wide disruption, two reboots)",
    live: "limited live migration (4.16+, no network outage)",
  },
  output: { human: "text for people", json: "JSON", yaml: "YAML" },
  color: { auto: "colour on a terminal", always: "always colour", never: "never colour" },
  reboot: {
    exec: "through the machine-config-daemon pod on each node",
    ssh: "ssh to each node's InternalIP",
    none: "print what to reboot and wait for you",
  },
};

export function exitCodeTable(): string {
  return EXIT_CODE_TABLE.map(([code, text]) => `  ${code}  ${text}`).join("\n");
}

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
}

function homeDefaultBinDir(io: Io): string {
  if (Deno.build.os === "windows") return `${io.env("USERPROFILE") ?? "."}\\bin`;
  return `${io.env("HOME") ?? "."}/.local/bin`;
}

/** The first `--color` value on the command line (before `--`), so even parse errors use the right colour. */
export function prescanColor(argv: string[]): ColorMode {
  let mode: ColorMode = "auto";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") break;
    let value: string | undefined;
    if (a === "--color") value = argv[i + 1];
    else if (a.startsWith("--color=")) value = a.slice("--color=".length);
    if (value === "always" || value === "never" || value === "auto") mode = value;
  }
  return mode;
}

/** Builds the command tree. Actions store their exit code in `state`. */
export function buildProgram(state: RunState) {
  const io = state.io;
  const program = new Command(PROGRAM_NAME)
    .description(
      "Migrate an OpenShift cluster from OpenShift SDN (or Kuryr) to OVN-Kubernetes: check readiness, " +
        "run the documented offline or live procedure step by step (resumable), follow its progress, " +
        "clean up and roll back.",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      getOutHelpWidth: () => (io.columns > 0 ? io.columns : 100),
      getErrHelpWidth: () => (io.columns > 0 ? io.columns : 100),
      getOutHasColors: () => io.color,
      getErrHasColors: () => io.color,
    })
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError(true)
    .helpCommand("help [command]", "show help for a command")
    .helpOption("-h, --help", "show help for the command")
    .addOption(new Option("--kubeconfig <file>", "path to the kubeconfig file (default: $KUBECONFIG, ~/.kube/config)"))
    .addOption(new Option("--context <name>", "the name of the kubeconfig context to use"))
    .addOption(new Option("--cluster <name>", "the name of the kubeconfig cluster to use"))
    .addOption(new Option("--user <name>", "the name of the kubeconfig user to use"))
    .addOption(new Option("-s, --server <url>", "the address and port of the Kubernetes API server"))
    .addOption(new Option("--token <token>", "bearer token for authentication to the API server"))
    .addOption(new Option("--certificate-authority <file>", "path to a cert file for the certificate authority"))
    .addOption(
      new Option("--insecure-skip-tls-verify", "do not check the server's certificate (insecure)").default(false),
    )
    .addOption(new Option("--as <user>", "username to impersonate for the operation"))
    .addOption(
      new Option("--as-group <group>", "group to impersonate for the operation (repeatable)")
        .argParser(collect).default([] as string[], "none"),
    )
    .addOption(
      new Option("--request-timeout <duration>", "how long to wait for one API request (0 = no limit)")
        .argParser(checkedTimeoutString).default("0"),
    )
    .addOption(
      new Option("-v, --v <level>", "log level verbosity, 0-10 (kubectl style: -v=6, -v 6)")
        .argParser(parseVerbosity).default(0),
    )
    .addOption(new Option("-o, --output <format>", "output format").choices(OUTPUTS).default("human" as const))
    .addOption(
      new Option("--color <when>", "colour output (NO_COLOR in the environment turns it off in auto)")
        .choices(COLORS).default("auto" as const),
    )
    .addHelpText(
      "after",
      examples([
        "oc ovn-migrate preflight                      # is the cluster ready, and by which method?",
        "oc ovn-migrate execute --method live --yes",
        "oc ovn-migrate status --watch",
        "oc ovn-migrate cleanup",
        "oc ovn-migrate rollback --method offline",
      ]) +
        `\nExit codes:\n${exitCodeTable()}\n` +
        `\nGlobal flags may come before or after the command. Run '${PROGRAM_NAME} <command> --help' for details.\n`,
    );

  // Known before any action runs, so errors thrown by option checks also honour -v.
  program.hook("preAction", () => {
    state.verbose = program.opts().v;
  });

  const globals = (): GlobalOptions => {
    const o = program.opts();
    if (o.token) registerSecret(o.token);
    return {
      kubeconfig: o.kubeconfig,
      context: o.context,
      cluster: o.cluster,
      user: o.user,
      server: o.server,
      token: o.token,
      certificateAuthority: o.certificateAuthority,
      insecureSkipTlsVerify: o.insecureSkipTlsVerify,
      as: o.as,
      asGroup: o.asGroup,
      requestTimeout: o.requestTimeout,
      verbose: o.v,
      output: o.output as OutputFormat,
      color: o.color as ColorMode,
    };
  };

  /** Runs a lazily loaded command with a fresh context. */
  const run = async <O>(
    name: string,
    load: () => Promise<CommandModule<O>>,
    opts: O,
  ) => {
    const g = globals();
    state.verbose = g.verbose;
    const override = state.loadCommand?.(name) as Promise<CommandModule<O>> | undefined;
    const mod = await loadCommand(name, override ? () => override : load);
    state.code = await mod.run(makeContext(g, io, state.connector), opts);
  };

  const methodOption = (choices: readonly string[], help: string) =>
    new Option("--method <method>", help).choices(choices as typeof METHODS);

  program.command("preflight")
    .summary("check whether the cluster is ready, and by which method")
    .description(
      "Read the cluster (never write), evaluate every readiness check for the chosen method(s) and recommend one.",
    )
    .addOption(
      methodOption(METHODS, "which method to check: auto evaluates both and recommends one").default("auto" as const),
    )
    .addOption(
      new Option("--skip-check <id>", "leave out a check by id (repeatable)").argParser(collect).default(
        [] as string[],
        "none",
      ),
    )
    .addOption(
      new Option("--only <id>", "run only this check (repeatable)").argParser(collect).default([] as string[], "none"),
    )
    .option("--dump-facts <file>", "write the collected cluster snapshot to FILE")
    .option(
      "--network-policies <file>",
      "SDN Multitenant mode: write NetworkPolicies that keep the project isolation to FILE (review, then oc apply)",
    )
    .option("--facts <file>", "evaluate a saved snapshot instead of reading a cluster")
    .option("--etcd-backup-confirmed", "you have a recent etcd backup (turns that warning off)", false)
    .option("--v4-internal-subnet <cidr>", "planned OVN v4 internal subnet (default: 100.64.0.0/16)", parseCidr("v4"))
    .option("--v6-internal-subnet <cidr>", "planned OVN v6 internal subnet (default: fd98::/64)", parseCidr("v6"))
    .option("--join-subnet <cidr>", "planned OVN join subnet (default: 100.64.0.0/16)", parseCidr("v4"))
    .option("--transit-subnet <cidr>", "planned OVN transit subnet (default: 100.88.0.0/16)", parseCidr("v4"))
    .option("--cluster-network <cidr>", "planned new cluster network (default: unchanged)", parseCidr())
    .option("--host-prefix <n>", "planned host prefix for --cluster-network (default: unchanged)", parseHostPrefix)
    .option("--mtu <bytes>", "planned cluster MTU (default: hardware MTU minus 100)", parseMtu)
    .option("--geneve-port <port>", "planned Geneve UDP port (default: 6081)", parsePort)
    .addHelpText(
      "after",
      examples([
        "oc ovn-migrate preflight",
        "oc ovn-migrate preflight --method live -o json",
        "oc ovn-migrate preflight --skip-check etcd-backup --dump-facts facts.json",
        "oc ovn-migrate preflight --facts facts.json --method offline   # no cluster needed",
        "oc ovn-migrate preflight --method offline --network-policies policies.yaml",
      ]) + "\nExit codes: 0 all pass, 3 a check failed, 4 warnings only, 2 bad flags, 1 error.\n",
    )
    .action(async (o) => {
      const opts: PreflightOptions = {
        method: o.method,
        skipChecks: o.skipCheck,
        onlyChecks: o.only,
        dumpFacts: o.dumpFacts,
        networkPolicies: o.networkPolicies,
        facts: o.facts,
        etcdBackupConfirmed: o.etcdBackupConfirmed,
        v4InternalSubnet: o.v4InternalSubnet,
        v6InternalSubnet: o.v6InternalSubnet,
        joinSubnet: o.joinSubnet,
        transitSubnet: o.transitSubnet,
        clusterNetwork: o.clusterNetwork,
        hostPrefix: o.hostPrefix,
        mtu: o.mtu,
        genevePort: o.genevePort,
      };
      await run("preflight", () => import("./commands/preflight.ts"), opts);
    });

  program.command("execute")
    .summary("run the migration (offline or live), resumable")
    .description(
      "Run the migration by the documented procedure, step by step: preflight gate, backup, the patches, " +
        "the waits and the reboots. Killed at any point, running it again resumes from the cluster's state.",
    )
    .addOption(
      methodOption(METHODS, "migration method; auto uses the one preflight recommends").makeOptionMandatory(),
    )
    .option("--dry-run", "print the plan with every patch and call; change nothing", false)
    .option("--yes", "do not ask before the first disruptive step (needed without a terminal)", false)
    .addOption(
      new Option("--timeout <duration>", "longest wait for any one step (0 waits forever)")
        .argParser(parseDurationFlag).default(3_600_000, "1h"),
    )
    .addOption(
      new Option("--skip-check <id>", "ignore a failed preflight check by id (repeatable)").argParser(collect)
        .default([] as string[], "none"),
    )
    .option("--no-egress-ip", "do not migrate egress IPs (default: migrated)")
    .option("--no-egress-firewall", "do not migrate egress firewall rules (default: migrated)")
    .option("--no-multicast", "do not migrate multicast enablement (default: migrated)")
    .option("--mtu <bytes>", "cluster MTU after the migration (default: hardware MTU minus 100)", parseMtu)
    .option("--geneve-port <port>", "Geneve UDP port (default: 6081; must differ from the VXLAN port)", parsePort)
    .option("--v4-internal-subnet <cidr>", "OVN v4 internal subnet (default: 100.64.0.0/16)", parseCidr("v4"))
    .option("--v6-internal-subnet <cidr>", "OVN v6 internal subnet (default: fd98::/64)", parseCidr("v6"))
    .option("--join-subnet <cidr>", "live: OVN join subnet to set first (default: 100.64.0.0/16)", parseCidr("v4"))
    .option(
      "--transit-subnet <cidr>",
      "live: OVN transit subnet to set first (default: 100.88.0.0/16)",
      parseCidr("v4"),
    )
    .option("--fix-subnets", "live: pick free join/transit subnets when the defaults overlap", false)
    .option("--cluster-network <cidr>", "offline: new cluster network with the flip (default: unchanged)", parseCidr())
    .option("--host-prefix <n>", "offline: host prefix for --cluster-network (default: unchanged)", parseHostPrefix)
    .addOption(new Option("--reboot <how>", "how nodes are rebooted").choices(REBOOTS).default("exec" as const))
    .option("--ssh-user <user>", "--reboot ssh: the user (default: core)")
    .option("--ssh-key <file>", "--reboot ssh: the private key (default: your ssh configuration)")
    .addOption(
      new Option("--reboot-batch <n>", "nodes rebooted at once, a number or 'all' (default: as documented)")
        .argParser(parseBatch),
    )
    .option("--allow-all-masters", "allow every control-plane node to reboot in the same batch", false)
    .option("--delete-nncp", "remove NodeNetworkConfigurationPolicies on the primary NIC", false)
    .option("--delete-egress-router-pods", "live: save and delete egress router pods instead of refusing", false)
    .option("--managed-platform-ack", "live: you acknowledge the managed-platform (ROSA/OSD) annotation", false)
    .option("--backup-dir <dir>", "where backups of every changed object go", ".ovn-migrate/backup")
    .option("--etcd-backup-confirmed", "you have a recent etcd backup", false)
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
        dryRun: o.dryRun,
        yes: o.yes,
        timeoutMs: o.timeout,
        skipChecks: o.skipCheck,
        egressIp: o.egressIp,
        egressFirewall: o.egressFirewall,
        multicast: o.multicast,
        mtu: o.mtu,
        genevePort: o.genevePort,
        v4InternalSubnet: o.v4InternalSubnet,
        v6InternalSubnet: o.v6InternalSubnet,
        joinSubnet: o.joinSubnet,
        transitSubnet: o.transitSubnet,
        fixSubnets: o.fixSubnets,
        clusterNetwork: o.clusterNetwork,
        hostPrefix: o.hostPrefix,
        reboot: o.reboot,
        sshUser: o.sshUser,
        sshKey: o.sshKey,
        rebootBatch: o.rebootBatch,
        allowAllMasters: o.allowAllMasters,
        deleteNncp: o.deleteNncp,
        deleteEgressRouterPods: o.deleteEgressRouterPods,
        managedPlatformAck: o.managedPlatformAck,
        backupDir: o.backupDir,
        etcdBackupConfirmed: o.etcdBackupConfirmed,
      };
      if (opts.hostPrefix !== undefined && !opts.clusterNetwork) {
        throw new UsageError(
          "--host-prefix needs --cluster-network.",
          "Pass both, e.g. --cluster-network 10.132.0.0/14 --host-prefix 23.",
        );
      }
      await run("execute", () => import("./commands/execute.ts"), opts);
    });

  program.command("status")
    .summary("show where the migration is; --watch follows it")
    .description(
      "Show where the migration is, what blocks it and how long is left; --watch keeps it live until " +
        "the migration completes (exit 0) or is blocked or failed (exit 3).",
    )
    .option("--watch", "keep the view live (redrawn on a terminal, one JSON object per line otherwise)", false)
    .addOption(
      new Option("--interval <duration>", "how often Prometheus metrics are refreshed while watching")
        .argParser(parseDurationFlag).default(30_000, "30s"),
    )
    .addHelpText(
      "after",
      examples([
        "oc ovn-migrate status",
        "oc ovn-migrate status --watch",
        "oc ovn-migrate status --watch -o json | jq .phase",
      ]),
    )
    .action(async (o) => {
      const opts: StatusOptions = { watch: o.watch, intervalMs: o.interval };
      await run("status", () => import("./commands/status.ts"), opts);
    });

  program.command("cleanup")
    .summary("remove the old plugin's leftovers after a migration")
    .description(
      "After a verified migration, remove the old plugin's leftovers: spec.migration, the old plugin's " +
        "configuration and namespace, the live-migration annotation. Idempotent.",
    )
    .option("--dry-run", "list every change; change nothing", false)
    .option("--yes", "do not ask for confirmation (needed without a terminal)", false)
    .addOption(
      new Option("--timeout <duration>", "longest wait for any one step (0 waits forever)")
        .argParser(parseDurationFlag).default(600_000, "10m"),
    )
    .addHelpText("after", examples(["oc ovn-migrate cleanup --dry-run", "oc ovn-migrate cleanup --yes"]))
    .action(async (o) => {
      const opts: CleanupOptions = { dryRun: o.dryRun, yes: o.yes, timeoutMs: o.timeout };
      await run("cleanup", () => import("./commands/cleanup.ts"), opts);
    });

  program.command("rollback")
    .summary("return a migrated cluster to OpenShift SDN")
    .description(
      "Return a migrated cluster from OVN-Kubernetes to OpenShift SDN (offline or live), only after a " +
        "successful migration and only where SDN still exists (4.16 and older).",
    )
    .addOption(methodOption(MIGRATION_METHODS, "rollback method").makeOptionMandatory())
    .option("--dry-run", "print the plan; change nothing", false)
    .option("--yes", "do not ask before the first disruptive step (needed without a terminal)", false)
    .addOption(
      new Option("--timeout <duration>", "longest wait for any one step (0 waits forever)")
        .argParser(parseDurationFlag).default(3_600_000, "1h"),
    )
    .option("--mtu <bytes>", "SDN cluster MTU (default: hardware MTU minus 50)", parseMtu)
    .option("--vxlan-port <port>", "SDN VXLAN UDP port (default: 4789)", parsePort)
    .option("--no-egress-ip", "do not migrate egress IPs back (default: migrated)")
    .option("--no-egress-firewall", "do not migrate egress firewall rules back (default: migrated)")
    .option("--no-multicast", "do not migrate multicast enablement back (default: migrated)")
    .addOption(new Option("--reboot <how>", "how nodes are rebooted").choices(REBOOTS).default("exec" as const))
    .option("--ssh-user <user>", "--reboot ssh: the user (default: core)")
    .option("--ssh-key <file>", "--reboot ssh: the private key (default: your ssh configuration)")
    .addOption(
      new Option("--reboot-batch <n>", "nodes rebooted at once, a number or 'all' (default: as documented)")
        .argParser(parseBatch),
    )
    .option("--allow-all-masters", "allow every control-plane node to reboot in the same batch", false)
    .option("--backup-dir <dir>", "where backups of every changed object go", ".ovn-migrate/backup-rollback")
    .addHelpText(
      "after",
      examples(["oc ovn-migrate rollback --method offline --dry-run", "oc ovn-migrate rollback --method live --yes"]),
    )
    .action(async (o) => {
      const opts: RollbackOptions = {
        method: o.method as RollbackOptions["method"],
        dryRun: o.dryRun,
        yes: o.yes,
        timeoutMs: o.timeout,
        mtu: o.mtu,
        vxlanPort: o.vxlanPort,
        egressIp: o.egressIp,
        egressFirewall: o.egressFirewall,
        multicast: o.multicast,
        reboot: o.reboot,
        sshUser: o.sshUser,
        sshKey: o.sshKey,
        rebootBatch: o.rebootBatch,
        allowAllMasters: o.allowAllMasters,
        backupDir: o.backupDir,
      };
      await run("rollback", () => import("./commands/rollback.ts"), opts);
    });

  program.command("version")
    .summary("print the version")
    .description("Print the version of oc-ovn-migrate, the Deno runtime and the platform.")
    .addHelpText("after", examples(["oc ovn-migrate version", "oc ovn-migrate version -o json"]))
    .action(async () => {
      await run("version", () => import("./commands/version.ts"), {});
    });

  program.command("completion")
    .summary("print a shell completion script (bash, zsh, fish)")
    .description(
      "Print a shell completion script. For `oc ovn-migrate`/`kubectl ovn-migrate`, put the " +
        "kubectl_complete-ovn_migrate and oc_complete-ovn_migrate helpers on PATH instead (`install` does).",
    )
    .addArgument(new Argument("<shell>", "the shell").choices(SHELLS))
    .addHelpText(
      "after",
      examples([
        "source <(oc-ovn-migrate completion bash)",
        'oc-ovn-migrate completion zsh > "${fpath[1]}/_oc-ovn-migrate"',
        "oc-ovn-migrate completion fish > ~/.config/fish/completions/oc-ovn-migrate.fish",
      ]),
    )
    .action(async (shell) => {
      await run("completion", () => import("./commands/completion.ts"), { shell });
    });

  program.command("install")
    .summary("put the binary and the oc/kubectl plugin links on PATH")
    .description(
      "Put oc-ovn-migrate on PATH in DIR with the kubectl-ovn_migrate and oc-ovn_migrate links (so " +
        "`oc ovn-migrate` and `kubectl ovn-migrate` work) and the completion helpers. Safe to repeat.",
    )
    .option("--dir <dir>", "where to install", homeDefaultBinDir(io))
    .addHelpText("after", examples(["oc-ovn-migrate install", "sudo oc-ovn-migrate install --dir /usr/local/bin"]))
    .action(async (o) => {
      await run("install", () => import("./commands/install.ts"), { dir: o.dir });
    });

  return program;
}

export type Program = ReturnType<typeof buildProgram>;

async function loadCommand<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    // Only the command's own module being absent means "not built"; anything deeper is a real error.
    const message = err instanceof Error ? err.message : String(err);
    if (/module not found/i.test(message) && message.includes(`/commands/${name}.ts`)) {
      throw new UsageError(`\`${name}\` is not built yet (coming in a later release).`);
    }
    throw err;
  }
}

/** Long flags that are switches, so `--flag=true|false` (kubectl's form) can be rewritten for commander. */
function booleanFlags(program: Program): Set<string> {
  const flags = new Set<string>();
  const visit = (cmd: { options: readonly Option[]; commands: readonly unknown[] }) => {
    for (const opt of cmd.options) {
      if (opt.long && !opt.required && !opt.optional && !opt.negate) flags.add(opt.long);
    }
    for (const sub of cmd.commands) visit(sub as typeof cmd);
  };
  visit(program as unknown as { options: readonly Option[]; commands: readonly unknown[] });
  return flags;
}

/** kubectl accepts `--insecure-skip-tls-verify=true`; commander wants a bare switch. */
export function normalizeArgs(argv: string[], switches: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      out.push(...argv.slice(i));
      break;
    }
    const eq = a.indexOf("=");
    if (a.startsWith("--") && eq > 0 && switches.has(a.slice(0, eq))) {
      const value = a.slice(eq + 1).toLowerCase();
      if (value === "true" || value === "1") out.push(a.slice(0, eq));
      else if (value === "false" || value === "0") continue;
      else out.push(a); // commander reports it
    } else {
      out.push(a);
    }
  }
  return out;
}

/**
 * Parses argv and runs the chosen command. Every outcome becomes an exit code: help → 0, parse errors
 * → 2 (commander has already printed the message and suggestion), thrown errors → via errors_output.
 */
export async function runCli(argv: string[], deps: ProgramDeps): Promise<ExitCode> {
  const io = deps.makeIo(prescanColor(argv));
  const state: RunState = {
    io,
    connector: deps.connector,
    loadCommand: deps.loadCommand,
    code: ExitCode.Ok,
    verbose: 0,
  };
  try {
    if (argv[0] === "__complete" || argv[0] === "__completeNoDesc") {
      const { runCompletionRequest } = await import("./completion.ts");
      const program = buildProgram(state);
      return await runCompletionRequest(program, argv.slice(1), argv[0] === "__complete", io);
    }
    const program = buildProgram(state);
    await program.parseAsync(normalizeArgs(argv, booleanFlags(program)), { from: "user" });
    return state.code;
  } catch (err) {
    if (err instanceof CommanderError && !(err instanceof CliError)) {
      return err.exitCode === 0 ? ExitCode.Ok : ExitCode.UsageError;
    }
    return reportError(err, io, state.verbose);
  }
}
