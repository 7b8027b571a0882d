/**
 * Prometheus instant queries the way the documentation reads them (procedures.md §7): exec into
 * `openshift-monitoring/prometheus-k8s-0` (container `prometheus`) and curl the query API on localhost,
 * falling back to `prometheus-k8s-1`. Unlike the documented command this needs no token, no route and no
 * jq (the image has none): Prometheus listens on plain HTTP on localhost:9090 inside its own pod, and the
 * query goes in the URL, already encoded, so no shell is involved.
 */
import type { Kube } from "../kube/types.ts";
import { KubeError } from "../errors.ts";
import { isNotFound } from "../kube/errors.ts";

export const MONITORING_NAMESPACE = "openshift-monitoring";
export const PROMETHEUS_PODS = ["prometheus-k8s-0", "prometheus-k8s-1"] as const;
export const PROMETHEUS_CONTAINER = "prometheus";
const QUERY_URL = "http://localhost:9090/api/v1/query";

export interface PromSample {
  labels: Record<string, string>;
  /** Seconds since the epoch, as Prometheus reports it. */
  timestamp: number;
  /** The value parsed from its string form ("NaN", "+Inf" included). */
  value: number;
}

export type PromResult =
  | { resultType: "vector"; samples: PromSample[]; warnings: string[] }
  | { resultType: "scalar"; timestamp: number; value: number; warnings: string[] };

/** Prometheus could not be asked, or answered with an error; `message` says why in words. */
export class MetricsUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MetricsUnavailableError";
  }
}

/** `"1"`, `"-1"`, `"NaN"`, `"+Inf"`, `"-Inf"` → number. */
export function parseSampleValue(v: unknown): number {
  if (typeof v !== "string") throw new MetricsUnavailableError(`unexpected sample value ${JSON.stringify(v)}`);
  if (v === "+Inf" || v === "Inf") return Infinity;
  if (v === "-Inf") return -Infinity;
  if (v === "NaN") return NaN;
  const n = Number(v);
  if (v.trim() === "" || Number.isNaN(n)) throw new MetricsUnavailableError(`unexpected sample value "${v}"`);
  return n;
}

function parsePair(pair: unknown): { timestamp: number; value: number } {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "number") {
    throw new MetricsUnavailableError(`unexpected sample ${JSON.stringify(pair)}`);
  }
  return { timestamp: pair[0], value: parseSampleValue(pair[1]) };
}

/**
 * Parses the body of `/api/v1/query`: `{status:"success", data:{resultType, result}, warnings?}` or
 * `{status:"error", errorType, error}`. Matrix and string results are not expected from the queries we send.
 */
export function parsePromResponse(body: string): PromResult {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(body);
  } catch {
    const first = body.trim().split("\n", 1)[0].slice(0, 120);
    throw new MetricsUnavailableError(`Prometheus did not answer with JSON${first ? ` ("${first}")` : ""}`);
  }
  if (!doc || typeof doc !== "object") throw new MetricsUnavailableError("Prometheus answered with no object");
  if (doc.status === "error") {
    throw new MetricsUnavailableError(
      `Prometheus rejected the query (${doc.errorType ?? "error"}: ${doc.error ?? "?"})`,
    );
  }
  if (doc.status !== "success") {
    throw new MetricsUnavailableError(`Prometheus answered with status ${JSON.stringify(doc.status)}`);
  }
  const warnings = Array.isArray(doc.warnings) ? doc.warnings.map(String) : [];
  const data = doc.data as { resultType?: string; result?: unknown } | undefined;
  if (data?.resultType === "vector" && Array.isArray(data.result)) {
    const samples = data.result.map((r: { metric?: Record<string, string>; value?: unknown }) => ({
      labels: { ...(r?.metric ?? {}) },
      ...parsePair(r?.value),
    }));
    return { resultType: "vector", samples, warnings };
  }
  if (data?.resultType === "scalar") return { resultType: "scalar", ...parsePair(data.result), warnings };
  throw new MetricsUnavailableError(`unexpected result type ${JSON.stringify(data?.resultType)}`);
}

/** The argv run in the prometheus container: curl with the query already URL-encoded. */
export function curlCommand(query: string): string[] {
  return ["curl", "-sS", "--max-time", "20", `${QUERY_URL}?query=${encodeURIComponent(query)}`];
}

export interface QueryOptions {
  /** Give up on one pod after this long (default 30 s). */
  timeoutMs?: number;
}

export interface PromAnswer {
  /** The pod that answered. */
  pod: string;
  result: PromResult;
}

/** Why one pod could not answer, in words (no stack, no credentials). */
function describeFailure(pod: string, e: unknown): string {
  if (e instanceof KubeError) {
    if (isNotFound(e)) return `pod ${MONITORING_NAMESPACE}/${pod} not found`;
    if (e.status === 403) {
      return `not allowed to exec into ${MONITORING_NAMESPACE}/${pod} (create pods/exec is forbidden)`;
    }
    return `exec into ${MONITORING_NAMESPACE}/${pod} failed: ${e.message}`;
  }
  if (e instanceof MetricsUnavailableError) return `${pod}: ${e.message}`;
  return `exec into ${MONITORING_NAMESPACE}/${pod} failed: ${e instanceof Error ? e.message : String(e)}`;
}

/**
 * Runs one instant query through prometheus-k8s-0, then -1. Throws MetricsUnavailableError naming why
 * neither answered; a query Prometheus itself rejects is not retried on the other pod.
 */
export async function queryPrometheus(
  kube: Pick<Kube, "exec">,
  query: string,
  opts: QueryOptions = {},
): Promise<PromAnswer> {
  const reasons: string[] = [];
  for (const pod of PROMETHEUS_PODS) {
    try {
      const r = await kube.exec(MONITORING_NAMESPACE, pod, PROMETHEUS_CONTAINER, curlCommand(query), {
        timeoutMs: opts.timeoutMs ?? 30_000,
      });
      if (r.exitCode !== 0) {
        const why = r.stderr.trim().split("\n", 1)[0] || `exit code ${r.exitCode}`;
        reasons.push(`curl in ${pod} failed: ${why}`);
        continue;
      }
      try {
        return { pod, result: parsePromResponse(r.stdout) };
      } catch (e) {
        // Prometheus answered: the other replica would say the same.
        throw new MetricsUnavailableError(`${pod}: ${(e as Error).message}`);
      }
    } catch (e) {
      if (e instanceof MetricsUnavailableError) throw e;
      reasons.push(describeFailure(pod, e));
      // Forbidden for one pod is forbidden for both.
      if (e instanceof KubeError && e.status === 403) break;
    }
  }
  throw new MetricsUnavailableError(reasons.join("; "));
}
