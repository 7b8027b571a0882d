/**
 * `oc ovn-migrate preflight`: read the cluster once (or a saved snapshot), evaluate every selected
 * check for the chosen method(s), recommend a method, print the report. Never writes to the cluster.
 */
import { load } from "js-yaml";
import type { CommandContext, CommandResult } from "../context.ts";
import type { MigrationMethod, PreflightOptions } from "../preflight_options.ts";
import { CliError, ConfigError, UsageError } from "../../errors.ts";
import { ExitCode } from "../../exit_codes.ts";
import { collectFacts } from "../../verify/collect.ts";
import { errorOf, type Facts, parseFacts, valueOf } from "../../verify/facts.ts";
import { sdnConfig } from "../../verify/checks/util.ts";
import { multitenantNetworkPolicies, networkPoliciesHeader } from "../../verify/network_policies.ts";
import { toYaml } from "../output.ts";
import { parseCidr } from "../../verify/cidr.ts";
import { evaluateChecks, selectChecks, sourceOf } from "../../verify/run.ts";
import { recommend } from "../../verify/recommend.ts";
import { buildReport, renderReport } from "../../verify/report.ts";

/** Rejects malformed planned values before anything is read. */
export function validatePlannedValues(opts: PreflightOptions): void {
  const cidrs: [string, string | undefined, 4 | 6 | undefined][] = [
    ["--v4-internal-subnet", opts.v4InternalSubnet, 4],
    ["--v6-internal-subnet", opts.v6InternalSubnet, 6],
    ["--join-subnet", opts.joinSubnet, 4],
    ["--transit-subnet", opts.transitSubnet, 4],
    ["--cluster-network", opts.clusterNetwork, undefined],
  ];
  for (const [flag, value, family] of cidrs) {
    if (value === undefined) continue;
    const c = parseCidr(value);
    if (!c || !value.includes("/")) throw new UsageError(`${flag} ${value}: not a CIDR`, `e.g. ${flag} 100.65.0.0/16`);
    if (family && c.family !== family) throw new UsageError(`${flag} ${value}: must be an IPv${family} CIDR`);
  }
  if (opts.mtu !== undefined && (!Number.isInteger(opts.mtu) || opts.mtu < 576 || opts.mtu > 65536)) {
    throw new UsageError(`--mtu ${opts.mtu}: must be an integer between 576 and 65536`);
  }
  if (
    opts.genevePort !== undefined &&
    (!Number.isInteger(opts.genevePort) || opts.genevePort < 1 || opts.genevePort > 65535)
  ) {
    throw new UsageError(`--geneve-port ${opts.genevePort}: must be a UDP port (1–65535)`);
  }
  if (
    opts.hostPrefix !== undefined &&
    (!Number.isInteger(opts.hostPrefix) || opts.hostPrefix < 1 || opts.hostPrefix > 128)
  ) {
    throw new UsageError(`--host-prefix ${opts.hostPrefix}: must be a prefix length`);
  }
}

/** Reads a snapshot written by --dump-facts (JSON; YAML also accepted). */
export async function loadFactsFile(path: string): Promise<Facts> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new UsageError(`cannot read facts file ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return parseFacts(load(text));
  } catch (e) {
    const issue = (e as { issues?: { path: PropertyKey[]; message: string }[] }).issues?.[0];
    const detail = issue ? `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}` : (e as Error).message;
    throw new UsageError(
      `facts file ${path} is not a preflight snapshot: ${detail}`,
      "write one with --dump-facts FILE",
    );
  }
}

/**
 * `--network-policies FILE`: in Multitenant mode, the NetworkPolicies that keep the project isolation
 * once OVN-Kubernetes enforces them. Any other mode has nothing to keep: a note, not an error.
 */
async function writeNetworkPolicies(ctx: CommandContext, facts: Facts, file: string): Promise<void> {
  if (sourceOf(facts) !== "OpenShiftSDN") {
    const cfg = valueOf(facts.networkConfig);
    const type = cfg?.status.networkType ?? cfg?.spec.networkType ?? "unknown";
    ctx.io.stderr(`--network-policies: ${file} not written: the cluster network is ${type}, not OpenShift SDN\n`);
    return;
  }
  if (!valueOf(facts.networkOperator)) {
    throw new CliError(
      `cannot tell the SDN isolation mode for --network-policies: reading network.operator/cluster failed: ` +
        errorOf(facts.networkOperator),
      ExitCode.RuntimeError,
    );
  }
  const mode = sdnConfig(facts)?.mode ?? "NetworkPolicy";
  if (mode !== "Multitenant") {
    ctx.io.stderr(
      `--network-policies: ${file} not written: OpenShift SDN runs in ${mode} mode, not Multitenant: ` +
        "there is no project isolation to keep\n",
    );
    return;
  }
  const netNamespaces = facts.netNamespaces;
  if ("error" in netNamespaces || !netNamespaces.value.served) {
    throw new CliError(
      `cannot generate --network-policies: reading the NetNamespaces failed: ` +
        ("error" in netNamespaces ? netNamespaces.error : "network.openshift.io/v1 netnamespaces is not served"),
      ExitCode.RuntimeError,
      "nothing was written; run preflight again once NetNamespaces can be listed (oc get netnamespaces)",
    );
  }
  const policies = multitenantNetworkPolicies(netNamespaces.value.items);
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

export async function run(ctx: CommandContext, opts: PreflightOptions): CommandResult {
  const checks = selectChecks(opts.onlyChecks, opts.skipChecks);
  validatePlannedValues(opts);

  let facts: Facts;
  if (opts.facts) {
    facts = await loadFactsFile(opts.facts);
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

  if (opts.networkPolicies) await writeNetworkPolicies(ctx, facts, opts.networkPolicies);

  const methods: MigrationMethod[] = opts.method === "auto" ? ["offline", "live"] : [opts.method];
  const results = evaluateChecks(facts, checks, methods, opts);
  const recommendation = recommend(facts, results, methods);
  const report = buildReport({
    facts,
    factsFile: opts.facts,
    requested: opts.method,
    evaluated: methods,
    results,
    recommendation,
  });
  ctx.io.stdout(renderReport(report, ctx.globals.output, ctx.io.color));
  return report.summary.exitCode as ExitCode;
}
