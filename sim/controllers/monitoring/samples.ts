/**
 * What the simulated Prometheus has scraped: every series of the simulated metric registry, with the target
 * labels the `network-operator` ServiceMonitor adds (cluster-behaviour.md §3), plus `up` for that target.
 */
import type { SimMetrics } from "../../metrics.ts";
import type { Store } from "../../store.ts";
import { K, NS } from "../cno/names.ts";
import type { Sample } from "./promql.ts";

const CNO_PREFIX = "openshift_network_operator_";

function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
    out[m[1]] = m[2].replace(/\\(.)/g, (_, c) => (c === "n" ? "\n" : c));
  }
  return out;
}

function parseValue(v: string): number {
  if (v === "+Inf") return Infinity;
  if (v === "-Inf") return -Infinity;
  return Number(v);
}

/** Series from the Prometheus text exposition of the registry. */
export function registrySamples(metrics: SimMetrics): Sample[] {
  const out: Sample[] = [];
  for (const line of metrics.text().split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = line.match(/^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/);
    if (!m) continue;
    out.push({ labels: { __name__: m[1], ...parseLabels(m[2] ?? "") }, value: parseValue(m[3]) });
  }
  return out;
}

/** The labels Prometheus attaches to series scraped from the CNO's metrics endpoint. */
function cnoTargetLabels(store: Store): Record<string, string> {
  const pod = store.hasDef(K.pod)
    ? store.all(K.pod, NS.operator).find((p) => p.metadata.name.startsWith("network-operator-"))
    : undefined;
  const ip = pod?.status?.podIP ?? pod?.status?.hostIP ?? "10.0.83.62";
  return {
    container: "network-operator",
    endpoint: "metrics",
    instance: `${ip}:9104`,
    job: "metrics",
    namespace: NS.operator,
    pod: pod?.metadata.name ?? "network-operator-6c87754bc6-c8qld",
    prometheus: "openshift-monitoring/k8s",
    service: "metrics",
  };
}

export function scrapedSamples(metrics: SimMetrics, store: Store): Sample[] {
  const target = cnoTargetLabels(store);
  const samples = registrySamples(metrics).map((s) =>
    s.labels.__name__.startsWith(CNO_PREFIX) ? { ...s, labels: { ...target, ...s.labels } } : s
  );
  samples.push({ labels: { __name__: "up", ...target }, value: 1 });
  return samples;
}
