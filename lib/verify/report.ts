/** Builds the preflight report object (lib/verify/REPORT_SCHEMA.md); lib/cli/render/preflight_report.ts shows it. */
import type { MigrationMethod } from "./options.ts";
import { ExitCode } from "../exit_codes.ts";
import { type Facts, valueOf } from "./facts.ts";
import type { Recommendation } from "./recommend.ts";
import { countLevels, type EvaluatedResult, resultsFor } from "./run.ts";
import { type PreflightReport, REPORT_API_VERSION } from "./report_schema.ts";

export interface ReportInput {
  facts: Facts;
  factsFile?: string;
  requested: "auto" | MigrationMethod;
  evaluated: MigrationMethod[];
  results: EvaluatedResult[];
  recommendation: Recommendation;
  now?: Date;
}

const counts = (r: EvaluatedResult[]) => {
  const c = countLevels(r);
  return { passed: c.pass, warnings: c.warn, failed: c.fail, skipped: c.skip };
};

export function exitCodeFor(c: { failed: number; warnings: number }, verdict: string): ExitCode {
  if (verdict === "none" || c.failed > 0) return ExitCode.Failed;
  return c.warnings > 0 ? ExitCode.Warnings : ExitCode.Ok;
}

export function buildReport(input: ReportInput): PreflightReport {
  const { facts, results, recommendation } = input;
  const verdict = input.requested === "auto" ? recommendation.recommended : input.requested;
  const verdictResults = verdict === "none" ? results : resultsFor(results, verdict);
  const summaryCounts = counts(verdictResults);
  const byMethod: PreflightReport["summary"]["byMethod"] = {};
  for (const m of input.evaluated) byMethod[m] = counts(resultsFor(results, m));
  const cfg = valueOf(facts.networkConfig);
  return {
    apiVersion: REPORT_API_VERSION,
    kind: "PreflightReport",
    generatedAt: (input.now ?? new Date()).toISOString(),
    cluster: {
      server: facts.server,
      version: valueOf(facts.clusterVersion)?.desired ?? null,
      platform: valueOf(facts.infrastructure)?.platform ?? null,
      networkType: cfg?.status.networkType ?? cfg?.spec.networkType ?? null,
      nodes: valueOf(facts.nodes)?.length ?? null,
      factsCollectedAt: facts.collectedAt,
      factsFile: input.factsFile ?? null,
    },
    method: {
      requested: input.requested,
      evaluated: input.evaluated,
      recommended: recommendation.recommended,
      reasons: recommendation.reasons,
    },
    checks: results.map((r) => ({
      id: r.id,
      title: r.title,
      section: r.section,
      level: r.level,
      method: r.method,
      message: r.message,
      fix: r.fix ?? null,
      objects: r.objects,
    })),
    summary: {
      ...summaryCounts,
      verdictMethod: verdict,
      exitCode: exitCodeFor(summaryCounts, verdict),
      byMethod,
    },
  };
}
