/**
 * The two CNO live-migration metrics (cluster-behaviour.md §3) as typed facts:
 * `openshift_network_operator_live_migration_blocked{reason}` (constant 1 while blocked) and
 * `openshift_network_operator_live_migration_condition{type}` (1 True, 0 False, −1 Unknown).
 * Both are published only after the live-migration annotation is set; "no series" is a normal answer.
 */
import type { Kube } from "../kube/types.ts";
import { type PromResult, queryPrometheus } from "./prometheus.ts";

export const BLOCKED_METRIC = "openshift_network_operator_live_migration_blocked";
export const CONDITION_METRIC = "openshift_network_operator_live_migration_condition";

export type ConditionValue = "True" | "False" | "Unknown";

export interface LiveMigrationMetrics {
  available: true;
  /** The pod that answered (prometheus-k8s-0 unless it could not). */
  source: string;
  /** Blocked reasons, sorted (`UnsupportedMACVLANInterface`, `NetworkOverlap`, `overlapping_networks_A_B` …). */
  blocked: string[];
  /** Condition type → status, for the series present. */
  conditions: Record<string, ConditionValue>;
  /** Prometheus' evaluation time (epoch ms) — the cluster's clock. */
  evaluatedAt?: number;
  warnings: string[];
}

export interface MetricsAbsent {
  available: false;
  /** Why there are no metrics, in words ("metrics unavailable: …" is prefixed by the caller). */
  why: string;
}

export type MetricsReading = LiveMigrationMetrics | MetricsAbsent;

export function conditionValue(v: number): ConditionValue | undefined {
  if (v === 1) return "True";
  if (v === 0) return "False";
  if (v === -1) return "Unknown";
  return undefined;
}

function samples(r: PromResult) {
  return r.resultType === "vector" ? r.samples : [];
}

/** One query for both metrics, so a reading costs a single exec. */
export const LIVE_MIGRATION_QUERY = `{__name__=~"${BLOCKED_METRIC}|${CONDITION_METRIC}"}`;

/** Builds the typed facts from the query result (exported for tests on literal responses). */
export function toLiveMigrationMetrics(result: PromResult, source: string): LiveMigrationMetrics {
  const reasons = new Set<string>();
  const conds: Record<string, ConditionValue> = {};
  let evaluatedAt: number | undefined;
  for (const s of samples(result)) {
    evaluatedAt = Math.max(evaluatedAt ?? 0, s.timestamp * 1000);
    if (s.labels.__name__ === BLOCKED_METRIC) {
      if (s.value === 1 && s.labels.reason) reasons.add(s.labels.reason);
    } else if (s.labels.__name__ === CONDITION_METRIC) {
      const v = conditionValue(s.value);
      if (s.labels.type && v) conds[s.labels.type] = v;
    }
  }
  return {
    available: true,
    source,
    blocked: [...reasons].sort(),
    conditions: conds,
    ...(evaluatedAt ? { evaluatedAt } : {}),
    warnings: result.warnings,
  };
}

/** Reads both metrics; never throws for an unavailable Prometheus (it says why instead). */
export async function readLiveMigrationMetrics(
  kube: Pick<Kube, "exec">,
  opts: { timeoutMs?: number } = {},
): Promise<MetricsReading> {
  try {
    const a = await queryPrometheus(kube, LIVE_MIGRATION_QUERY, opts);
    return toLiveMigrationMetrics(a.result, a.pod);
  } catch (e) {
    return { available: false, why: e instanceof Error ? e.message : String(e) };
  }
}
