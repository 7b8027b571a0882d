/** Node Ready condition and taints as the kubelet and the node lifecycle controller write them. */
import type { Obj } from "../../store.ts";

export type ReadyState = "ready" | "notReady" | "unknown";

const READY: Record<ReadyState, { status: string; reason: string; message: string }> = {
  ready: { status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" },
  notReady: {
    status: "False",
    reason: "KubeletNotReady",
    message:
      "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: No CNI configuration file in /etc/kubernetes/cni/net.d/. Has your network provider started?",
  },
  unknown: { status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." },
};

const PRESSURE = [
  ["MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"],
  ["DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
  ["PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"],
] as const;

/** Returns node status with its Ready condition set (transition time only changes on a status change). */
export function withReady(status: Obj | undefined, state: ReadyState, now: string): Obj {
  const s = { ...(status ?? {}) };
  const want = READY[state];
  const conds: Obj[] = [...(s.conditions ?? [])];
  for (const [type, reason, message] of PRESSURE) {
    if (!conds.some((c) => c.type === type)) {
      conds.push({
        type,
        status: "False",
        reason,
        message,
        lastHeartbeatTime: now,
        lastTransitionTime: now,
      });
    }
  }
  const i = conds.findIndex((c) => c.type === "Ready");
  const old = i >= 0 ? conds[i] : undefined;
  const ready = {
    type: "Ready",
    ...want,
    lastHeartbeatTime: state === "unknown" ? old?.lastHeartbeatTime ?? now : now,
    lastTransitionTime: old?.status === want.status ? old.lastTransitionTime : now,
  };
  if (i >= 0) conds[i] = ready;
  else conds.push(ready);
  s.conditions = conds;
  return s;
}

/** Taint the node lifecycle controller adds while a node is NotReady/Unknown. */
export function lifecycleTaint(state: ReadyState): Obj | undefined {
  if (state === "unknown") return { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" };
  if (state === "notReady") return { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" };
  return undefined;
}

const LIFECYCLE_KEYS = ["node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready"];

export function withLifecycleTaint(taints: Obj[] | undefined, state: ReadyState, now: string): Obj[] {
  const kept = (taints ?? []).filter((t) => !LIFECYCLE_KEYS.includes(t.key));
  const t = lifecycleTaint(state);
  return t ? [...kept, { ...t, timeAdded: now }] : kept;
}

export function newBootId(): string {
  return crypto.randomUUID();
}
