/**
 * Evaluates the selected checks against a facts snapshot for one or both methods. Pure: the facts
 * come in, results come out. A check whose needed fact failed to read is skipped with the read error.
 */
import type { MigrationMethod, PreflightOptions } from "./options.ts";
import { UsageError } from "../errors.ts";
import { CHECK_IDS, CHECKS } from "./checks/index.ts";
import type { Check, CheckContext, CheckResult, InvolvedObject, Level } from "./checks/types.ts";
import { errorOf, type FactKey, type Facts, valueOf } from "./facts.ts";
import { isSourcePlugin, parseVersion, type SourcePlugin } from "./version.ts";

/** One line of the report: a check's finding for one method, or for both when they agree. */
export interface EvaluatedResult {
  id: string;
  title: string;
  section: Check["section"];
  level: Level;
  method: MigrationMethod | "both";
  message: string;
  fix?: string;
  objects: InvolvedObject[];
}

/** The checks `--only` / `--skip-check` leave, in registry order; unknown ids are a usage error. */
export function selectChecks(only: string[], skipIds: string[], registry: readonly Check[] = CHECKS): Check[] {
  const known = new Set(registry.map((c) => c.id));
  const unknown = [...only, ...skipIds].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown check id${unknown.length > 1 ? "s" : ""}: ${[...new Set(unknown)].join(", ")}`,
      `valid ids: ${(registry === CHECKS ? CHECK_IDS : registry.map((c) => c.id)).join(", ")}`,
    );
  }
  return registry.filter((c) => (only.length === 0 || only.includes(c.id)) && !skipIds.includes(c.id));
}

/** The plugin the cluster runs now, when it is one we migrate from. */
export function sourceOf(facts: Facts): SourcePlugin | undefined {
  const cfg = valueOf(facts.networkConfig);
  const t = cfg?.status.networkType ?? cfg?.spec.networkType;
  return isSourcePlugin(t) ? t : undefined;
}

export function contextFor(facts: Facts, method: MigrationMethod, options: PreflightOptions): CheckContext {
  return {
    method,
    options,
    source: sourceOf(facts),
    version: parseVersion(valueOf(facts.clusterVersion)?.desired),
  };
}

function evaluateOne(check: Check, facts: Facts, ctx: CheckContext): CheckResult[] {
  const failed = check.needs.filter((k) => errorOf(facts[k]) !== undefined);
  if (failed.length > 0) {
    const why = (k: FactKey) => {
      const r = facts[k] as { error?: string; status?: number };
      return r.status === 403 ? "forbidden" : r.error;
    };
    return [{
      level: "skip",
      message: `cannot evaluate: could not read ${failed.map((k) => `${k} (${why(k)})`).join(", ")}`,
    }];
  }
  try {
    const r = check.evaluate(facts, ctx);
    return Array.isArray(r) ? r : [r];
  } catch (e) {
    // A bug in one check must not hide the others; it counts as a failure (troubleshoot's rule).
    return [{ level: "fail", message: `check failed to evaluate: ${e instanceof Error ? e.message : String(e)}` }];
  }
}

const same = (a: CheckResult[], b: CheckResult[]) => JSON.stringify(a) === JSON.stringify(b);

/** Evaluates `checks` for each method; results identical for both methods are reported once as "both". */
export function evaluateChecks(
  facts: Facts,
  checks: readonly Check[],
  methods: MigrationMethod[],
  options: PreflightOptions,
): EvaluatedResult[] {
  const out: EvaluatedResult[] = [];
  const source = sourceOf(facts);
  for (const check of checks) {
    if (check.sources && (!source || !check.sources.includes(source))) {
      // Asked for by name: say why there is nothing, instead of printing nothing.
      if (options.onlyChecks.includes(check.id)) {
        out.push({
          id: check.id,
          title: check.title,
          section: check.section,
          level: "skip",
          method: methods.length === 2 ? "both" : methods[0],
          message: `applies only to ${check.sources.join(" and ")} clusters (this one runs ${
            source ?? "another plugin"
          })`,
          objects: [],
        });
      }
      continue;
    }
    const applicable = methods.filter((m) => check.methods.includes(m));
    const per = applicable.map((m) => [m, evaluateOne(check, facts, contextFor(facts, m, options))] as const);
    const merged = per.length === 2 && same(per[0][1], per[1][1]) ? [["both", per[0][1]] as const] : per;
    for (const [method, results] of merged) {
      for (const r of results) {
        out.push({
          id: check.id,
          title: check.title,
          section: check.section,
          level: r.level,
          method,
          message: r.message,
          ...(r.fix ? { fix: r.fix } : {}),
          objects: r.objects ?? [],
        });
      }
    }
  }
  return out;
}

/** The results that count for `method` (its own and those shared by both methods). */
export const resultsFor = (results: EvaluatedResult[], method: MigrationMethod) =>
  results.filter((r) => r.method === method || r.method === "both");

/** Worst level per check id, then counted: one check that fails twice counts as one failure. */
export function countLevels(results: EvaluatedResult[]): Record<Level, number> {
  const rank: Record<Level, number> = { skip: 0, pass: 1, warn: 2, fail: 3 };
  const worst = new Map<string, Level>();
  for (const r of results) {
    const prev = worst.get(r.id);
    if (!prev || rank[r.level] > rank[prev]) worst.set(r.id, r.level);
  }
  const counts: Record<Level, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const l of worst.values()) counts[l]++;
  return counts;
}
