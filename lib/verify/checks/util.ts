/** Small helpers shared by the checks. */
import { type Facts, valueOf } from "../facts.ts";
import type { CheckResult, InvolvedObject } from "./types.ts";

export const pass = (message: string, objects?: InvolvedObject[]): CheckResult => ({ level: "pass", message, objects });
export const warn = (message: string, fix?: string, objects?: InvolvedObject[]): CheckResult => ({
  level: "warn",
  message,
  fix,
  objects,
});
export const fail = (message: string, fix?: string, objects?: InvolvedObject[]): CheckResult => ({
  level: "fail",
  message,
  fix,
  objects,
});
export const skip = (message: string): CheckResult => ({ level: "skip", message });

/** The verb agreeing with a count: verb(1, "allows", "allow"). */
export const verb = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** "3 pods" / "1 pod". */
export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** A readable list that stays short on big clusters: "a, b, c and 7 more". */
export function listNames(names: string[], max = 5): string {
  if (names.length <= max) {
    return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  }
  return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}

/** At most `max` involved objects per result so a report on 2,000 nodes stays readable. */
export const capObjects = (objects: InvolvedObject[], max = 50) => objects.slice(0, max);

export const nsName = (o: { namespace?: string; name: string }) => (o.namespace ? `${o.namespace}/${o.name}` : o.name);

/** Single-quoted JSON for a shell command line. */
export const shellJson = (value: unknown) => `'${JSON.stringify(value)}'`;

export const ovnConfig = (facts: Facts) => valueOf(facts.networkOperator)?.defaultNetwork.ovnKubernetesConfig;

export const sdnConfig = (facts: Facts) => valueOf(facts.networkOperator)?.defaultNetwork.openshiftSDNConfig;

/** Managed OpenShift (ROSA/OSD): the infrastructure tag ROSA sets, or the namespaces only managed clusters have. */
export function isManaged(facts: Facts): boolean {
  const infra = valueOf(facts.infrastructure);
  if (infra?.resourceTags.some((t) => t.key === "red-hat-managed" && t.value === "true")) return true;
  const namespaces = valueOf(facts.namespaces) ?? [];
  return namespaces.some((n) => MANAGED_NAMESPACES.has(n));
}

const MANAGED_NAMESPACES = new Set([
  "openshift-ocm-agent-operator",
  "openshift-osd-metrics",
  "openshift-addon-operator",
  "openshift-backplane",
  "openshift-managed-upgrade-operator",
]);

export const isHyperShift = (facts: Facts) => valueOf(facts.infrastructure)?.controlPlaneTopology === "External";
