/** What a Node object says about the machine behind it: its boot, its readiness, its role, its address. */
import type { KubeObject } from "../kube/types.ts";
import { conditionIs } from "./conditions.ts";

/** `status.nodeInfo.bootID`: a new value means the machine rebooted ("" when the kubelet has not reported one). */
export const bootID = (n: KubeObject): string => n.status?.nodeInfo?.bootID ?? "";

export const nodeReady = (n: KubeObject): boolean => conditionIs(n, "Ready", "True");

export const isMaster = (n: KubeObject): boolean =>
  "node-role.kubernetes.io/master" in (n.metadata.labels ?? {}) ||
  "node-role.kubernetes.io/control-plane" in (n.metadata.labels ?? {});

export const internalIP = (n: KubeObject): string | undefined =>
  (n.status?.addresses ?? []).find((a: { type: string }) => a.type === "InternalIP")?.address;
