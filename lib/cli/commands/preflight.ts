/**
 * `preflight`: read the cluster once (or a saved snapshot), evaluate every selected check for the chosen
 * method(s), recommend a method, print the report. Never writes to the cluster.
 */
import { Option } from "commander";
import type { CommandContext } from "../context.ts";
import { CliError, ConfigError, UsageError } from "../../errors.ts";
import { ExitCode } from "../../exit_codes.ts";
import type { Facts } from "../../verify/facts.ts";
import type { PreflightOptions } from "../../verify/options.ts";
import { METHODS } from "../choices.ts";
import { type CommandRunner, examples } from "../command.ts";
import { collect } from "../flag_values.ts";
import type { RootCommand } from "../global_flags.ts";
import { toYaml } from "../output.ts";
import {
  methodOption,
  networkValueOption as value,
  openstackOptionsOf,
  skipCheckOption,
  withOpenStackFlags,
} from "../shared_flags.ts";

export function register(root: RootCommand, runner: CommandRunner): void {
  const cmd = root.command("preflight")
    .summary("check whether the cluster is ready, and by which method")
    .description(
      "Read the cluster (never write), evaluate every readiness check for the chosen method(s) and recommend one.",
    )
    .addOption(
      methodOption(METHODS, "which method to check: auto evaluates both and recommends one").default("auto" as const),
    )
    .addOption(skipCheckOption("leave out a check by id (repeatable)"))
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
    .addOption(value.v4InternalSubnet("planned OVN v4 internal subnet (default: 100.64.0.0/16)"))
    .addOption(value.v6InternalSubnet("planned OVN v6 internal subnet (default: fd98::/64)"))
    .addOption(value.joinSubnet("planned OVN join subnet (default: 100.64.0.0/16)"))
    .addOption(value.transitSubnet("planned OVN transit subnet (default: 100.88.0.0/16)"))
    .addOption(value.clusterNetwork("planned new cluster network (default: unchanged)"))
    .addOption(value.hostPrefix("planned host prefix for --cluster-network (default: unchanged)"))
    .addOption(value.mtu("planned cluster MTU (default: hardware MTU minus 100)"))
    .addOption(value.genevePort("planned Geneve UDP port (default: 6081)"));
  withOpenStackFlags(cmd)
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
        ...openstackOptionsOf(o),
      };
      await runner("preflight", opts, run);
    });
}

export async function run(ctx: CommandContext, opts: PreflightOptions): Promise<ExitCode> {
  const [{ selectChecks }, preflight, { collectFacts }, { renderReport }] = await Promise.all([
    import("../../verify/run.ts"),
    import("../../verify/preflight.ts"),
    import("../../verify/collect.ts"),
    import("../render/preflight_report.ts"),
  ]);
  // Unknown check ids are a usage error before anything is read.
  selectChecks(opts.onlyChecks, opts.skipChecks);

  let facts: Facts;
  if (opts.facts) {
    facts = await preflight.loadFactsFile(opts.facts);
  } else {
    const kube = await ctx.connect();
    // One discovery read first: a 401, TLS or connection failure surfaces as the client's own error
    // (its hint and exit code) instead of a recorded fact.
    const apiGroups = await kube.apiGroups();
    const progress = ctx.io.stdoutIsTTY && ctx.globals.output === "human";
    facts = await collectFacts(kube, {
      apiGroups,
      onProgress: progress ? (done, total) => ctx.io.stderr(`\rReading the cluster… ${done}/${total}`) : undefined,
    });
    if (progress) ctx.io.stderr("\r\x1b[K");
    ctx.log.debug(1, `facts collected from ${facts.server}`);
  }
  if (opts.dumpFacts) {
    try {
      await Deno.writeTextFile(opts.dumpFacts, JSON.stringify(facts, null, 2) + "\n");
    } catch (e) {
      throw new UsageError(
        `cannot write --dump-facts ${opts.dumpFacts}: ${(e as Error).message}`,
        "pass a path in a writable directory",
      );
    }
  }

  if ("error" in facts.apiGroups) {
    throw new CliError(
      `cannot read the API groups of ${facts.server}: ${facts.apiGroups.error}`,
      ExitCode.RuntimeError,
    );
  }
  if (!facts.apiGroups.value.includes("config.openshift.io")) {
    throw new ConfigError(
      `not an OpenShift cluster: the API group config.openshift.io is not served by ${facts.server}`,
      "point --kubeconfig/--context at an OpenShift 4 cluster",
    );
  }

  if (opts.networkPolicies) {
    const file = opts.networkPolicies;
    const plan = preflight.networkPoliciesFor(facts);
    if ("skipped" in plan) ctx.io.stderr(`--network-policies: ${file} not written: ${plan.skipped}\n`);
    else await writeNetworkPolicies(ctx, facts, file, plan.policies);
  }

  const report = preflight.preflightReport(facts, opts);
  ctx.io.stdout(renderReport(report, ctx.globals.output, ctx.io.color));
  return report.summary.exitCode as ExitCode;
}

async function writeNetworkPolicies(
  ctx: CommandContext,
  facts: Facts,
  file: string,
  policies: { metadata: { namespace: string } }[],
): Promise<void> {
  const { networkPoliciesHeader } = await import("../../verify/network_policies.ts");
  // One YAML document per policy (not a `kind: List`): what `oc apply -f` and GitOps repositories take as is.
  const text = networkPoliciesHeader(file, facts.server) + policies.map((p) => `---\n${toYaml(p)}`).join("");
  try {
    await Deno.writeTextFile(file, text);
  } catch (e) {
    throw new UsageError(
      `cannot write --network-policies ${file}: ${(e as Error).message}`,
      "pass a path in a writable directory",
    );
  }
  const projects = new Set(policies.map((p) => p.metadata.namespace)).size;
  ctx.io.stderr(`--network-policies: wrote ${policies.length} NetworkPolicies for ${projects} projects to ${file}\n`);
}
