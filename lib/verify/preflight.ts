/**
 * Preflight as the domain runs it: a snapshot from a file (`--facts`), the policies that keep SDN Multitenant
 * isolation (`--network-policies`), and the report for the chosen method(s). The CLI reads the cluster, writes
 * the files and prints (lib/cli/commands/preflight.ts); `execute` and `rehearse` use the same pieces.
 */
import { load } from "js-yaml";
import { CliError, UsageError } from "../errors.ts";
import { ExitCode } from "../exit_codes.ts";
import { sdnConfig } from "./checks/util.ts";
import { errorOf, type Facts, parseFacts, valueOf } from "./facts.ts";
import { multitenantNetworkPolicies, type NetworkPolicy } from "./network_policies.ts";
import type { MigrationMethod, PreflightOptions } from "./options.ts";
import { recommend } from "./recommend.ts";
import { buildReport } from "./report.ts";
import type { PreflightReport } from "./report_schema.ts";
import { evaluateChecks, selectChecks, sourceOf } from "./run.ts";

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
 * `--network-policies`: in Multitenant mode, the NetworkPolicies that keep the project isolation once
 * OVN-Kubernetes enforces them. Any other mode has nothing to keep: a reason, not an error.
 */
export function networkPoliciesFor(facts: Facts): { policies: NetworkPolicy[] } | { skipped: string } {
  if (sourceOf(facts) !== "OpenShiftSDN") {
    const cfg = valueOf(facts.networkConfig);
    const type = cfg?.status.networkType ?? cfg?.spec.networkType ?? "unknown";
    return { skipped: `the cluster network is ${type}, not OpenShift SDN` };
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
    return { skipped: `OpenShift SDN runs in ${mode} mode, not Multitenant: there is no project isolation to keep` };
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
  return { policies: multitenantNetworkPolicies(netNamespaces.value.items) };
}

/** Every selected check for the chosen method(s), the recommendation, and the report of both. */
export function preflightReport(facts: Facts, opts: PreflightOptions): PreflightReport {
  const checks = selectChecks(opts.onlyChecks, opts.skipChecks);
  const methods: MigrationMethod[] = opts.method === "auto" ? ["offline", "live"] : [opts.method];
  const results = evaluateChecks(facts, checks, methods, opts);
  return buildReport({
    facts,
    factsFile: opts.facts,
    requested: opts.method,
    evaluated: methods,
    results,
    recommendation: recommend(facts, results, methods),
  });
}
