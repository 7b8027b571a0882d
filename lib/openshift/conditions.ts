/** Status conditions as Kubernetes and OpenShift objects carry them, and the one way the product looks them up. */
import type { KubeObject } from "../kube/types.ts";

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** An object with `status.conditions`, or a list of conditions already taken out of one (facts). */
export type ConditionSource = KubeObject | readonly Condition[] | undefined;

/** The condition of this type, or undefined. */
export function findCondition(source: ConditionSource, type: string): Condition | undefined {
  const list: readonly Condition[] = Array.isArray(source) ? source : (source as KubeObject)?.status?.conditions ?? [];
  return list.find((c) => c.type === type);
}

/** The condition of this type has this status ("True", "False", "Unknown"). */
export function conditionIs(source: ConditionSource, type: string, status: string): boolean {
  return findCondition(source, type)?.status === status;
}
