/**
 * What blocks or breaks the migration, translated into what to do. Sources: CNO's refusal message on the
 * network operator (cluster-behaviour.md §2.2), the blocked metric's reasons (§3), the §2.5 stall causes
 * (paused or degraded pools, unmanaged DaemonSets in openshift-sdn) and CNO's failure messages.
 */
import { poolDegraded } from "../openshift/pools.ts";
import { candidateBlocks, effectiveInternalSubnets, findFree, type InternalKind, parseCidr } from "../verify/cidr.ts";
import type { KubeObject } from "../kube/types.ts";
import { cnoError, isLive, networkDegraded, unmanagedSdnDaemonSets } from "./phase.ts";
import { findCondition } from "../openshift/conditions.ts";
import { SDN } from "../openshift/names.ts";
import type { ClusterView, Phase, Problem } from "./types.ts";

const STATE_ANN = "machineconfiguration.openshift.io/state";
const REASON_ANN = "machineconfiguration.openshift.io/reason";

/** Undo the live trigger (the cluster stays on its current plugin). */
function revertTrigger(current: string | undefined): string {
  return `oc patch network.config.openshift.io cluster --type=merge -p '{"metadata":{"annotations":{` +
    `"network.openshift.io/network-type-migration":null}},"spec":{"networkType":"${current ?? SDN}"}}'`;
}

const patchOvn = (ovn: unknown) =>
  `oc patch network.operator.openshift.io cluster --type=merge -p '${
    JSON.stringify({ spec: { defaultNetwork: { ovnKubernetesConfig: ovn } } })
  }'`;

/** Which network.operator field moves an OVN internal range (the names CNO uses in its message). */
const INTERNAL: Record<string, { kind: InternalKind; family: 4 | 6; patch: (cidr: string) => unknown }> = {
  v4InternalSubnet: { kind: "join", family: 4, patch: (c) => ({ ipv4: { internalJoinSubnet: c } }) },
  internalJoinSubnet: { kind: "join", family: 4, patch: (c) => ({ ipv4: { internalJoinSubnet: c } }) },
  v6InternalSubnet: { kind: "join", family: 6, patch: (c) => ({ ipv6: { internalJoinSubnet: c } }) },
  v4InternalTransitSwitchSubnet: {
    kind: "transit",
    family: 4,
    patch: (c) => ({ ipv4: { internalTransitSwitchSubnet: c } }),
  },
  v6InternalTransitSwitchSubnet: {
    kind: "transit",
    family: 6,
    patch: (c) => ({ ipv6: { internalTransitSwitchSubnet: c } }),
  },
  v4InternalMasqueradeSubnet: {
    kind: "masquerade",
    family: 4,
    patch: (c) => ({ gatewayConfig: { ipv4: { internalMasqueradeSubnet: c } } }),
  },
  v6InternalMasqueradeSubnet: {
    kind: "masquerade",
    family: 6,
    patch: (c) => ({ gatewayConfig: { ipv6: { internalMasqueradeSubnet: c } } }),
  },
};

/** The networks a replacement must avoid: cluster, service, machine networks and the other internal ranges. */
function usedRanges(view: ClusterView) {
  const nc = view.networkConfig;
  const texts: string[] = [
    ...(nc?.spec?.clusterNetwork ?? []).map((c: { cidr: string }) => c.cidr),
    ...(nc?.spec?.serviceNetwork ?? []),
    ...(view.infrastructure?.status?.machineNetwork ?? []),
  ];
  const used = texts.map((t) => parseCidr(t)).filter((c) => c !== undefined);
  const internal = effectiveInternalSubnets(view.networkOperator?.spec?.defaultNetwork?.ovnKubernetesConfig, undefined);
  return { used, internal };
}

/** A free replacement for an OVN internal range that overlaps, with the patch that applies it. */
function overlapFix(view: ClusterView, a: string, b: string): string[] {
  const movable = INTERNAL[a] ? a : INTERNAL[b] ? b : undefined;
  if (!movable) {
    return [
      `${a} and ${b} overlap and neither is an OVN-Kubernetes internal range that can be moved; ` +
      "use the offline method with a new cluster network (oc ovn-migrate execute --method offline --cluster-network …).",
    ];
  }
  const spec = INTERNAL[movable];
  const { used, internal } = usedRanges(view);
  const current = internal.find((s) => s.kind === spec.kind && s.family === spec.family);
  const avoid = [...used, ...internal.filter((s) => s !== current).map((s) => s.cidr)];
  const prefix = current?.cidr.prefix ?? (spec.family === 4 ? 16 : 64);
  const free = findFree(candidateBlocks(spec.kind, spec.family), prefix, avoid)[0];
  const cidr = free?.text ?? (spec.family === 4 ? "100.63.0.0/16" : "fd99::/64");
  return [
    `Move OVN-Kubernetes' ${movable} to a free range (${cidr} overlaps none of the cluster's networks):`,
    patchOvn(spec.patch(cidr)),
    "CNO validates again on its next reconcile (up to 3 minutes) and starts the migration.",
  ];
}

/** Turns one CNO refusal (message or metric reason) into a problem with its fix. */
export function explainBlock(view: ClusterView, reason: string, message: string | undefined): Problem {
  const current = view.networkConfig?.status?.networkType;
  const overlap = /network (\w+)\(([^)]*)\) overlaps with network (\w+)\(([^)]*)\)/.exec(message ?? "");
  const overlapLabel = /^overlapping_networks_([A-Za-z0-9]+)_([A-Za-z0-9]+)$/.exec(reason);
  if (reason === "UnsupportedMACVLANInterface" || /assign-macvlan/.test(message ?? "")) {
    const pods = view.egressRouterPods ?? [];
    return {
      reason: "UnsupportedMACVLANInterface",
      severity: "blocking",
      message: message ??
        "Pods with the pod.network.openshift.io/assign-macvlan annotation (SDN egress routers) block live migration.",
      fix: [
        pods.length
          ? `Remove the egress router pod(s) (${pods.length}): ${pods.join(", ")}`
          : "Remove every pod with the annotation pod.network.openshift.io/assign-macvlan (SDN egress routers):",
        ...(pods.length
          ? pods.map((p) => {
            const [ns, name] = p.split("/");
            return `oc delete pod ${name} -n ${ns}`;
          })
          : [
            `oc get pods -A -o jsonpath='{range .items[?(@.metadata.annotations.pod\\.network\\.openshift\\.io/assign-macvlan)]}{.metadata.namespace}{" "}{.metadata.name}{"\\n"}{end}'`,
          ]),
        "Delete their Deployments/ReplicaSets too, or they come back; recreate them as EgressRouter CRs after the migration.",
        "Or migrate offline instead: oc ovn-migrate execute --method offline",
      ],
    };
  }
  if (overlap || overlapLabel || reason === "NetworkOverlap") {
    const a = overlap?.[1] ?? overlapLabel?.[1];
    const b = overlap?.[3] ?? overlapLabel?.[2];
    return {
      reason: "NetworkOverlap",
      severity: "blocking",
      message: message ?? (a && b ? `network ${a} overlaps with network ${b}` : "two networks overlap"),
      fix: a && b ? overlapFix(view, a, b) : ["Check `oc get co network` for the overlapping networks."],
    };
  }
  if (reason === "UnsupportedSDNNetworkIsolationMode" || /Multitenant/.test(message ?? "")) {
    return {
      reason: "UnsupportedSDNNetworkIsolationMode",
      severity: "blocking",
      message: message ?? "OpenShift SDN runs in Multitenant mode, which live migration does not support.",
      fix: [
        "Live migration cannot run on a Multitenant SDN cluster. Undo the trigger:",
        revertTrigger(current),
        "then migrate offline (replace project isolation with NetworkPolicies first): " +
        "oc ovn-migrate preflight --method offline && oc ovn-migrate execute --method offline",
      ],
    };
  }
  if (reason === "UnsupportedHyperShiftCluster" || /HyperShift/i.test(message ?? "")) {
    return {
      reason: "UnsupportedHyperShiftCluster",
      severity: "blocking",
      message: message ?? "Live migration is not supported on HyperShift (hosted control plane) clusters.",
      fix: [
        "Live migration is not available on a hosted control plane. Undo the trigger:",
        revertTrigger(current),
        "and change the hosted cluster's network type through its HostedCluster on the management cluster.",
      ],
    };
  }
  if (reason === "UnsupportedCNI" || /only supported for OVNKubernetes and OpenShiftSDN/.test(message ?? "")) {
    return {
      reason: "UnsupportedCNI",
      severity: "blocking",
      message: message ?? "The target network type is not OVNKubernetes or OpenShiftSDN.",
      fix: [`Set a supported target or undo the trigger: ${revertTrigger(current)}`],
    };
  }
  return {
    reason: reason || "InvalidClusterConfig",
    severity: "blocking",
    message: message ?? reason,
    fix: ["Read `oc get co network -o yaml`; fix what CNO names, or undo the trigger: " + revertTrigger(current)],
  };
}

function degradedPoolProblem(view: ClusterView, pool: KubeObject): Problem {
  const bad = view.nodes.filter((n) =>
    ["Degraded", "Unreconcilable"].includes(n.metadata.annotations?.[STATE_ANN] ?? "")
  );
  const msg = findCondition(pool, "NodeDegraded")?.message ?? findCondition(pool, "Degraded")?.message ?? "";
  return {
    reason: "MachineConfigPoolDegraded",
    severity: "failed",
    message: `Machine config pool ${pool.metadata.name} is degraded${msg ? `: ${msg}` : ""}`,
    fix: [
      ...bad.slice(0, 5).map((n) =>
        `node ${n.metadata.name}: ${n.metadata.annotations?.[REASON_ANN] || "(no reason given)"} — read ` +
        `oc logs -n openshift-machine-config-operator -l k8s-app=machine-config-daemon --field-selector ` +
        `spec.nodeName=${n.metadata.name} -c machine-config-daemon`
      ),
      "Fix the node; the MCO (and the migration) then continue by themselves.",
    ],
  };
}

/** Every problem worth showing, blocking ones first. */
export function problems(view: ClusterView, ph: Phase): Problem[] {
  const out: Problem[] = [];
  const degraded = networkDegraded(view);
  const live = isLive(view);
  if (live && ph.state === "blocked" && ph.step === null) {
    const reasons = view.metrics?.available ? view.metrics.blocked : [];
    const message = degraded?.reason === "InvalidClusterConfig" ? cnoError(degraded.message) : undefined;
    // CNO reports one refusal; the metric may carry two labels for it (overlapping_networks_A_B + NetworkOverlap).
    const primary = reasons.find((r) => !r.startsWith("overlapping_networks_") && r !== "NetworkOverlap") ??
      reasons.find((r) => r.startsWith("overlapping_networks_")) ?? reasons[0] ?? "";
    out.push(explainBlock(view, primary, message));
  }
  for (const p of view.pools.filter(poolDegraded)) out.push(degradedPoolProblem(view, p));
  if (live && ph.state !== "complete") {
    for (const p of view.pools.filter((p) => p.spec?.paused)) {
      out.push({
        reason: "MachineConfigPoolPaused",
        severity: "blocking",
        message: `Machine config pool ${p.metadata.name} is paused: its nodes never get the new configuration ` +
          "and the live migration waits forever.",
        fix: [`oc patch mcp/${p.metadata.name} --type merge -p '{"spec":{"paused":false}}'`],
      });
    }
    const extra = unmanagedSdnDaemonSets(view);
    if (extra.length && ph.to !== SDN) {
      out.push({
        reason: "UnmanagedDaemonSet",
        severity: ph.step === 4 ? "blocking" : "warning",
        message: `DaemonSet(s) in openshift-sdn that CNO does not manage (${extra.join(", ")}): ` +
          "OriginalCNIPurged stays False and the migration never completes.",
        fix: extra.map((n) => `oc delete daemonset ${n} -n openshift-sdn`),
      });
    }
  }
  if (degraded && degraded.reason !== "InvalidClusterConfig") {
    out.push({
      reason: degraded.reason ?? "NetworkOperatorDegraded",
      severity: ph.state === "failed" ? "failed" : "warning",
      message: `network operator Degraded: ${degraded.message ?? degraded.reason ?? ""}`,
      fix: degraded.reason === "NetworkTypeMigrationFailed"
        ? ["Fix what the message names (`oc edit network.config.openshift.io cluster`); CNO retries by itself."]
        : degraded.reason === "InvalidOperatorConfig"
        ? ["Undo the change CNO rejects: oc edit network.operator.openshift.io cluster"]
        : ["Read `oc get co network -o yaml` and the network operator's log."],
    });
  }
  const rank = { blocking: 0, failed: 1, warning: 2 } as const;
  return out.sort((a, b) => rank[a.severity] - rank[b.severity]);
}
