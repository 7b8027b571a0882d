/**
 * Flags more than one command takes, each defined once: the run flags of every command that changes the cluster
 * (`--dry-run`, `--yes`, `--timeout`), the SDN feature switches and the reboot flags `execute` and `rollback`
 * share, and the network values preflight checks and execute applies. Help texts that differ between commands
 * are parameters, so each command's help reads as it always has.
 */
import { type Command, Option, type OptionValues } from "commander";
import { METHODS, REBOOTS } from "./choices.ts";
import {
  collect,
  parseBatch,
  parseCidr,
  parseDurationFlag,
  parseHostPrefix,
  parseMtu,
  parsePort,
} from "./flag_values.ts";
import type { FeatureOptions, OpenStackOptions, RebootOptions, RunOptions } from "../migrate/options.ts";

// deno-lint-ignore no-explicit-any
type Args = any[];

export const methodOption = (choices: readonly string[], help: string) =>
  new Option("--method <method>", help).choices(choices as typeof METHODS);

export const skipCheckOption = (help: string) =>
  new Option("--skip-check <id>", help).argParser(collect).default([] as string[], "none");

export interface RunFlagTexts {
  dryRun: string;
  yes: string;
  timeoutMs: number;
  timeoutText: string;
}

/** `--dry-run`, `--yes`, `--timeout`: every command that changes the cluster. */
export function withRunFlags<A extends Args, O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
  t: RunFlagTexts,
) {
  return cmd
    .option("--dry-run", t.dryRun, false)
    .option("--yes", t.yes, false)
    .addOption(
      new Option("--timeout <duration>", "longest wait for any one step (0 waits forever)")
        .argParser(parseDurationFlag).default(t.timeoutMs, t.timeoutText),
    );
}

export const runOptionsOf = (o: { dryRun: boolean; yes: boolean; timeout: number }): RunOptions => ({
  dryRun: o.dryRun,
  yes: o.yes,
  timeoutMs: o.timeout,
});

/** `--no-egress-ip`, `--no-egress-firewall`, `--no-multicast`; `back` words them for the rollback. */
export function withFeatureFlags<A extends Args, O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
  back: boolean,
) {
  const b = back ? " back" : "";
  return cmd
    .option("--no-egress-ip", `do not migrate egress IPs${b} (default: migrated)`)
    .option("--no-egress-firewall", `do not migrate egress firewall rules${b} (default: migrated)`)
    .option("--no-multicast", `do not migrate multicast enablement${b} (default: migrated)`);
}

export const featureOptionsOf = (o: FeatureOptions): FeatureOptions => ({
  egressIp: o.egressIp,
  egressFirewall: o.egressFirewall,
  multicast: o.multicast,
});

/** `--reboot`, `--ssh-user`, `--ssh-key`, `--reboot-batch`, `--allow-all-masters`. */
export function withRebootFlags<A extends Args, O extends OptionValues, G extends OptionValues>(cmd: Command<A, O, G>) {
  return cmd
    .addOption(new Option("--reboot <how>", "how nodes are rebooted").choices(REBOOTS).default("exec" as const))
    .option("--ssh-user <user>", "--reboot ssh: the user (default: core)")
    .option("--ssh-key <file>", "--reboot ssh: the private key (default: your ssh configuration)")
    .addOption(
      new Option("--reboot-batch <n>", "nodes rebooted at once, a number or 'all' (default: as documented)")
        .argParser(parseBatch),
    )
    .option("--allow-all-masters", "allow every control-plane node to reboot in the same batch", false);
}

export const rebootOptionsOf = (o: RebootOptions): RebootOptions => ({
  reboot: o.reboot,
  sshUser: o.sshUser,
  sshKey: o.sshKey,
  rebootBatch: o.rebootBatch,
  allowAllMasters: o.allowAllMasters,
});

/** `--os-cloud`, `--os-cluster-credentials`: where the OpenStack credentials of a Kuryr cluster come from. */
export function withOpenStackFlags<A extends Args, O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .option("--os-cloud <name>", "Kuryr: the clouds.yaml cloud for OpenStack (default: $OS_CLOUD, or the only one)")
    .option(
      "--os-cluster-credentials",
      "Kuryr: use the cluster's own OpenStack credentials (installer-cloud-credentials) instead of yours",
      false,
    );
}

export const openstackOptionsOf = (o: { osCloud?: string; osClusterCredentials: boolean }): OpenStackOptions => ({
  ...(o.osCloud ? { osCloud: o.osCloud } : {}),
  ...(o.osClusterCredentials ? { osClusterCredentials: true } : {}),
});

/** The network values a user plans (preflight) or applies (execute): one option of each, with the command's help. */
export const networkValueOption = {
  mtu: (help: string) => new Option("--mtu <bytes>", help).argParser(parseMtu),
  genevePort: (help: string) => new Option("--geneve-port <port>", help).argParser(parsePort),
  v4InternalSubnet: (help: string) => new Option("--v4-internal-subnet <cidr>", help).argParser(parseCidr("v4")),
  v6InternalSubnet: (help: string) => new Option("--v6-internal-subnet <cidr>", help).argParser(parseCidr("v6")),
  joinSubnet: (help: string) => new Option("--join-subnet <cidr>", help).argParser(parseCidr("v4")),
  transitSubnet: (help: string) => new Option("--transit-subnet <cidr>", help).argParser(parseCidr("v4")),
  clusterNetwork: (help: string) => new Option("--cluster-network <cidr>", help).argParser(parseCidr()),
  hostPrefix: (help: string) => new Option("--host-prefix <n>", help).argParser(parseHostPrefix),
};
