/**
 * How other cluster operators react to nodes that are down (a reboot, a node that never returns): `dns` is
 * Progressing while a DNS pod is missing, and the control-plane operators are Degraded while a master is not
 * Ready, as their NodeController reports it. Everything else stays healthy.
 */
import type { Obj } from "../../store.ts";
import type { Condition } from "../cno/util.ts";

const CONTROL_PLANE = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"];

const readyCondition = (n: Obj) => (n.status?.conditions ?? []).find((c: Obj) => c.type === "Ready");
const isReady = (n: Obj) => readyCondition(n)?.status === "True";

/** Conditions that replace the healthy defaults for this operator, or an empty list. */
export function nodeHealthConditions(operator: string, nodes: Obj[]): Condition[] {
  const down = nodes.filter((n) => !isReady(n)).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  if (!down.length) return [];
  if (operator === "dns") {
    return [{
      type: "Progressing",
      status: "True",
      reason: "Reconciling",
      message: `DNS "default" is progressing: Have ${
        nodes.length - down.length
      } available DNS pods, want ${nodes.length}.`,
    }];
  }
  if (CONTROL_PLANE.includes(operator)) {
    const masters = down.filter((n) => n.metadata.labels?.["node-role.kubernetes.io/master"] !== undefined);
    if (!masters.length) return [];
    const lines = masters.map((n) => {
      const c = readyCondition(n);
      const why = c?.status === "Unknown"
        ? "NodeStatusUnknown (Kubelet stopped posting node status.)"
        : `${c?.reason ?? "KubeletNotReady"} (${c?.message ?? "container runtime is down"})`;
      return `node "${n.metadata.name}" not ready since ${c?.lastTransitionTime ?? "unknown"} because ${why}`;
    });
    return [{
      type: "Degraded",
      status: "True",
      reason: "NodeController_MasterNodesReady",
      message: `NodeControllerDegraded: The master nodes not ready: ${lines.join(", ")}`,
    }];
  }
  return [];
}
