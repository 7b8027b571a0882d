/** Pod status objects as the kubelet reports them: running, not ready, sandbox failure, crash loop. */
import type { Obj } from "../../store.ts";

function hex(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += Math.floor(Math.random() * 16).toString(16);
  return s;
}

function cond(type: string, status: boolean, now: string, extra: Obj = {}): Obj {
  return { type, status: status ? "True" : "False", lastProbeTime: null, lastTransitionTime: now, ...extra };
}

function nodeIP(node: Obj | undefined): string {
  return (node?.status?.addresses ?? []).find((a: Obj) => a.type === "InternalIP")?.address ?? "10.0.0.1";
}

function podIP(pod: Obj, node: Obj | undefined): string {
  if (pod.spec?.hostNetwork) return nodeIP(node);
  const ip = pod.status?.podIP;
  if (ip && ip !== nodeIP(node)) return ip;
  return `10.${128 + Math.floor(Math.random() * 4)}.${Math.floor(Math.random() * 256)}.${
    2 + Math.floor(Math.random() * 250)
  }`;
}

const containers = (pod: Obj): Obj[] => pod.spec?.containers ?? [];

/** Running and Ready (a fresh start increments restartCount when the pod had run before). */
export function runningStatus(pod: Obj, node: Obj | undefined, now: string, restarted = false): Obj {
  const old = pod.status ?? {};
  const ip = podIP(pod, node);
  const hostIP = nodeIP(node);
  return {
    phase: "Running",
    conditions: [
      cond("PodReadyToStartContainers", true, now),
      cond("Initialized", true, old.startTime ?? now),
      cond("Ready", true, now),
      cond("ContainersReady", true, now),
      cond("PodScheduled", true, old.startTime ?? now),
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP: ip,
    podIPs: [{ ip }],
    startTime: old.startTime ?? now,
    qosClass: old.qosClass ?? "Burstable",
    containerStatuses: containers(pod).map((c) => {
      const prev = (old.containerStatuses ?? []).find((s: Obj) => s.name === c.name);
      return {
        name: c.name,
        image: c.image ?? "",
        imageID: c.image ?? "",
        containerID: `cri-o://${hex(64)}`,
        ready: true,
        started: true,
        restartCount: (prev?.restartCount ?? 0) + (restarted && prev ? 1 : 0),
        state: { running: { startedAt: now } },
        ...(restarted && prev?.state?.running
          ? {
            lastState: {
              terminated: {
                exitCode: 0,
                reason: "Completed",
                startedAt: prev.state.running.startedAt,
                finishedAt: now,
              },
            },
          }
          : {}),
      };
    }),
  };
}

/** Just created and bound: containers are being created. */
export function pendingStatus(pod: Obj, node: Obj | undefined, now: string): Obj {
  return {
    phase: "Pending",
    conditions: [
      cond("PodReadyToStartContainers", false, now),
      cond("Initialized", true, now),
      notReadyCond(pod, now),
      cond("ContainersReady", false, now, { reason: "ContainersNotReady" }),
      cond("PodScheduled", true, now),
    ],
    hostIP: nodeIP(node),
    hostIPs: [{ ip: nodeIP(node) }],
    startTime: now,
    qosClass: "Burstable",
    containerStatuses: containers(pod).map((c) => ({
      name: c.name,
      image: c.image ?? "",
      imageID: "",
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: "ContainerCreating" } },
    })),
  };
}

function notReadyCond(pod: Obj, now: string): Obj {
  return cond("Ready", false, now, {
    reason: "ContainersNotReady",
    message: `containers with unready status: [${containers(pod).map((c) => c.name).join(" ")}]`,
  });
}

/** The node went away: the node lifecycle controller marks the pod not ready; containers keep their state. */
export function notReadyStatus(pod: Obj, now: string): Obj {
  const s = { ...(pod.status ?? {}) };
  s.conditions = (s.conditions ?? []).map((c: Obj) =>
    c.type === "Ready" || c.type === "ContainersReady"
      ? { ...c, status: "False", lastTransitionTime: c.status === "False" ? c.lastTransitionTime : now }
      : c
  );
  s.containerStatuses = (s.containerStatuses ?? []).map((c: Obj) => ({ ...c, ready: false }));
  return s;
}

/** What the CNI answers on a node that still runs the old plugin's OVS setup (not rebooted since the flip). */
export function sandboxError(pod: Obj, clusterType: string): string {
  const ns = pod.metadata.namespace;
  const name = pod.metadata.name;
  const uid = pod.metadata.uid ?? "";
  const sandbox = hex(64);
  const inner = clusterType === "OVNKubernetes"
    ? `[${ns}/${name}/${uid}:ovn-kubernetes]: error adding container to network "ovn-kubernetes": CNI request failed with status 400: '[${ns}/${name} ${sandbox}] failed to configure pod interface: failure in plugging pod interface: failed to run 'ovs-vsctl --timeout=30 --may-exist add-port br-int ${
      sandbox.slice(0, 15)
    }': exit status 1\n  "ovs-vsctl: no bridge named br-int"\n'`
    : `[${ns}/${name}/${uid}:openshift-sdn]: error adding container to network "openshift-sdn": failed to send CNI request: Post "http://dummy/": dial unix /var/run/openshift-sdn/cniserver/socket: connect: no such file or directory`;
  return `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create pod network sandbox k8s_${name}_${ns}_${uid}_0(${sandbox}): error adding pod ${ns}_${name} to CNI network "multus-cni-network": plugin type="multus-shim" name="multus-cni-network" failed (add): CmdAdd (shim): CNI request failed with status 400: '&{ContainerID:${sandbox} Netns:/var/run/netns/${crypto.randomUUID()} IfName:eth0 Args:IgnoreUnknown=1;K8S_POD_NAMESPACE=${ns};K8S_POD_NAME=${name} Path: StdinData:[]} ContainerID:"${sandbox}" Netns:"" IfName:"eth0": ${inner}'`;
}

/** Created on a node that has not rebooted since the plugin changed: the sandbox never comes up. */
export function sandboxFailedStatus(pod: Obj, node: Obj | undefined, now: string, clusterType: string): Obj {
  const s = pendingStatus(pod, node, now);
  s.conditions = s.conditions.map((c: Obj) =>
    c.type === "PodReadyToStartContainers"
      ? { ...c, reason: "FailedCreatePodSandBox", message: sandboxError(pod, clusterType) }
      : c
  );
  return s;
}

/** An existing pod whose network broke under it: liveness failures, restarts, then crash loop. */
export function brokenStatus(pod: Obj, now: string, clusterType: string): Obj {
  return crashLoopStatus(
    pod,
    now,
    cond("PodReadyToStartContainers", false, now, {
      reason: "FailedCreatePodSandBox",
      message: sandboxError(pod, clusterType),
    }),
  );
}

/** The container exits as soon as it starts and the kubelet backs off (the sandbox itself is fine). */
export function crashLoopStatus(
  pod: Obj,
  now: string,
  sandbox: Obj = cond("PodReadyToStartContainers", true, now),
): Obj {
  const s = { ...(pod.status ?? {}) };
  s.phase = "Running";
  s.conditions = [
    ...(s.conditions ?? []).filter((c: Obj) =>
      !["Ready", "ContainersReady", "PodReadyToStartContainers"].includes(c.type)
    ),
    sandbox,
    notReadyCond(pod, now),
    cond("ContainersReady", false, now, { reason: "ContainersNotReady" }),
  ];
  s.containerStatuses = (s.containerStatuses ?? []).map((c: Obj) => ({
    ...c,
    ready: false,
    started: false,
    restartCount: (c.restartCount ?? 0) + 1,
    state: { waiting: { reason: "CrashLoopBackOff", message: `back-off 5m0s restarting failed container=${c.name}` } },
    lastState: {
      terminated: { exitCode: 137, reason: "Error", finishedAt: now, startedAt: c.state?.running?.startedAt },
    },
  }));
  return s;
}
