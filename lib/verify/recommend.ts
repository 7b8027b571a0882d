/**
 * Method recommendation (`--method auto`): live when the version allows it and no live check fails,
 * else offline when no offline check fails, else none — each with the reasons.
 */
import type { MigrationMethod } from "./options.ts";
import { type Facts, valueOf } from "./facts.ts";
import { countLevels, type EvaluatedResult, resultsFor, sourceOf } from "./run.ts";
import { parseVersion, versionBlocker } from "./version.ts";

export interface Recommendation {
  recommended: MigrationMethod | "none";
  reasons: string[];
}

function failing(results: EvaluatedResult[], method: MigrationMethod): string[] {
  return [...new Set(resultsFor(results, method).filter((r) => r.level === "fail").map((r) => r.id))];
}

export function recommend(facts: Facts, results: EvaluatedResult[], methods: MigrationMethod[]): Recommendation {
  const reasons: string[] = [];
  const source = sourceOf(facts) ?? "OpenShiftSDN";
  const version = parseVersion(valueOf(facts.clusterVersion)?.desired);
  const usable = (m: MigrationMethod): boolean => {
    if (!methods.includes(m)) return false;
    const gate = version ? versionBlocker(version, source, m) : undefined;
    if (gate) {
      reasons.push(`${m}: ${gate}`);
      return false;
    }
    const fails = failing(results, m);
    if (fails.length > 0) {
      reasons.push(`${m}: blocked by ${fails.join(", ")}`);
      return false;
    }
    return true;
  };
  for (const m of ["live", "offline"] as const) {
    if (!usable(m)) continue;
    const warns = countLevels(resultsFor(results, m)).warn;
    reasons.push(
      m === "live"
        ? `live: no blocking check${
          warns ? ` (${warns} with warnings)` : ""
        }; the documented preferred method, no downtime`
        : `offline: no blocking check${
          warns ? ` (${warns} with warnings)` : ""
        }; the cluster is unavailable while every node reboots`,
    );
    return { recommended: m, reasons };
  }
  return { recommended: "none", reasons };
}
