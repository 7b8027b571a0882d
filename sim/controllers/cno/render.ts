/**
 * What the operconfig controller renders for an applied spec (cluster-behaviour.md §1.3, §1.4, §2.4):
 * the CNI namespaces, DaemonSets, Deployments and ConfigMaps, plus Multus. The objects are simplified
 * but carry what tools look at (names, labels, selectors, node placement, a pod template that changes
 * when the rendered configuration does).
 */
import type { Obj } from "../../store.ts";
import { isLiveMigration } from "./defaults.ts";
import { K, KURYR, NS, OVN, SDN } from "./names.ts";

export interface Rendered {
  key: string;
  namespace?: string;
  name: string;
  obj: Obj;
}

export interface RenderInput {
  applied: Obj;
  annotated: boolean;
  /** Replicas for control-plane Deployments (1 on single-node clusters). */
  controlPlaneReplicas: number;
  /** network.operator `cluster`: every rendered object but namespaces is owned by it. */
  owner?: Obj;
  /** Cluster version, for the `release.openshift.io/version` annotation. */
  version?: string;
}

const MASTER_SELECTOR = { "node-role.kubernetes.io/master": "" };
const TOLERATE_ALL = [{ operator: "Exists" }];

/** Every CNI object the CNO may render; anything here that is not rendered now gets deleted (§1.4, §2.7). */
export const RENDERABLE: { key: string; namespace: string; name: string }[] = [
  { key: K.daemonSet, namespace: NS.sdn, name: "sdn" },
  { key: K.daemonSet, namespace: NS.sdn, name: "sdn-controller" },
  { key: K.configMap, namespace: NS.sdn, name: "sdn-config" },
  { key: K.daemonSet, namespace: NS.ovn, name: "ovnkube-node" },
  { key: K.deployment, namespace: NS.ovn, name: "ovnkube-control-plane" },
  { key: K.configMap, namespace: NS.ovn, name: "ovnkube-config" },
  { key: K.configMap, namespace: NS.ovn, name: "ovnkube-script-lib" },
  { key: K.daemonSet, namespace: NS.ovn, name: "ovn-ipsec-host" },
  { key: K.daemonSet, namespace: NS.kuryr, name: "kuryr-cni" },
  { key: K.deployment, namespace: NS.kuryr, name: "kuryr-controller" },
];

function image(component: string): string {
  let h = 0;
  for (const ch of component) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${h.toString(16).padStart(8, "0").repeat(8)}`;
}

function namespace(name: string, labels: Record<string, string> = {}): Rendered {
  return {
    key: K.namespace,
    name,
    obj: {
      metadata: {
        name,
        labels: { "openshift.io/run-level": "0", "openshift.io/cluster-monitoring": "true", ...labels },
        annotations: { "openshift.io/node-selector": "", "workload.openshift.io/allowed": "management" },
      },
    },
  };
}

function configMap(ns: string, name: string, data: Record<string, string>): Rendered {
  return { key: K.configMap, namespace: ns, name, obj: { metadata: { name, namespace: ns }, data } };
}

interface Workload {
  ns: string;
  name: string;
  app: string;
  containers: { name: string; args?: string[]; env?: Record<string, string> }[];
  masterOnly?: boolean;
  hostNetwork?: boolean;
  annotations?: Record<string, string>;
}

function podTemplate(w: Workload): Obj {
  return {
    metadata: {
      labels: { app: w.app, component: "network", type: "infra", "openshift.io/component": "network" },
      annotations: {
        "target.workload.openshift.io/management": '{"effect": "PreferredDuringScheduling"}',
        ...w.annotations,
      },
    },
    spec: {
      ...(w.masterOnly ? { nodeSelector: MASTER_SELECTOR } : {}),
      tolerations: TOLERATE_ALL,
      hostNetwork: w.hostNetwork ?? true,
      priorityClassName: "system-node-critical",
      serviceAccountName: w.app,
      containers: w.containers.map((c) => ({
        name: c.name,
        image: image(`${w.app}/${c.name}`),
        ...(c.args ? { args: c.args } : {}),
        ...(c.env ? { env: Object.entries(c.env).map(([name, value]) => ({ name, value })) } : {}),
        resources: { requests: { cpu: "10m", memory: "50Mi" } },
      })),
    },
  };
}

function daemonSet(w: Workload): Rendered {
  return {
    key: K.daemonSet,
    namespace: w.ns,
    name: w.name,
    obj: {
      metadata: { name: w.name, namespace: w.ns, labels: { "networkoperator.openshift.io/generated-by": "cno" } },
      spec: {
        selector: { matchLabels: { app: w.app } },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%", maxSurge: 0 } },
        template: podTemplate(w),
      },
    },
  };
}

function deployment(w: Workload, replicas: number): Rendered {
  return {
    key: K.deployment,
    namespace: w.ns,
    name: w.name,
    obj: {
      metadata: { name: w.name, namespace: w.ns, labels: { "networkoperator.openshift.io/generated-by": "cno" } },
      spec: {
        replicas,
        selector: { matchLabels: { app: w.app } },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        template: podTemplate({ ...w, masterOnly: true }),
      },
    },
  };
}

function sdnObjects(applied: Obj, live: boolean): Rendered[] {
  const c = applied.defaultNetwork?.openshiftSDNConfig ?? {};
  const mtu = applied.migration?.mtu;
  // SDN in live migration uses MTU=max(from,to) for the overlay and the routable MTU for pods (§2.6).
  const podMTU = mtu?.network?.to ?? c.mtu;
  const env: Record<string, string> = {
    OPENSHIFT_SDN_MTU: String(podMTU),
    OPENSHIFT_SDN_VXLAN_PORT: String(c.vxlanPort),
  };
  if (live) env.OPENSHIFT_SDN_LIVE_MIGRATION = "true";
  return [
    namespace(NS.sdn),
    configMap(NS.sdn, "sdn-config", {
      "kube-proxy-config.yaml": `kind: KubeProxyConfiguration\nmode: unidling+iptables\nclusterCIDR: ${
        (applied.clusterNetwork ?? []).map((n: Obj) => n.cidr).join(",")
      }\n`,
      mtu: String(podMTU),
      mode: String(c.mode),
    }),
    daemonSet({
      ns: NS.sdn,
      name: "sdn",
      app: "sdn",
      containers: [{ name: "sdn", args: ["--proxy-config=/config/kube-proxy-config.yaml"], env }, {
        name: "kube-rbac-proxy",
      }],
    }),
    daemonSet({
      ns: NS.sdn,
      name: "sdn-controller",
      app: "sdn-controller",
      masterOnly: true,
      containers: [{ name: "sdn-controller", args: [`--mode=${c.mode}`] }],
    }),
  ];
}

function ovnObjects(applied: Obj, live: boolean, replicas: number): Rendered[] {
  const c = applied.defaultNetwork?.ovnKubernetesConfig ?? {};
  const env: Record<string, string> = { OVN_KUBE_MTU: String(c.mtu), OVN_GENEVE_PORT: String(c.genevePort) };
  // Live migration runs ovnkube with hybrid overlay so pods on SDN nodes stay reachable (§2.4 step 1).
  if (live) env.OVN_KUBE_LIVE_MIGRATION = "true";
  const ipsec = c.ipsecConfig?.mode === "Full";
  const out = [
    namespace(NS.ovn, { "openshift.io/run-level": "0" }),
    configMap(NS.ovn, "ovnkube-config", {
      "ovnkube.conf": `[default]\nmtu="${c.mtu}"\nencap-port="${c.genevePort}"\n` +
        (live ? `[hybridoverlay]\nenabled=true\n` : ""),
    }),
    configMap(NS.ovn, "ovnkube-script-lib", { "ovnkube-lib.sh": "#!/bin/bash\n" }),
    daemonSet({
      ns: NS.ovn,
      name: "ovnkube-node",
      app: "ovnkube-node",
      containers: [
        { name: "ovn-controller" },
        { name: "ovn-acl-logging" },
        { name: "kube-rbac-proxy-node" },
        { name: "northd" },
        { name: "nbdb" },
        { name: "sbdb" },
        { name: "ovnkube-controller", env },
      ],
    }),
    deployment({
      ns: NS.ovn,
      name: "ovnkube-control-plane",
      app: "ovnkube-control-plane",
      containers: [{ name: "kube-rbac-proxy" }, { name: "ovnkube-cluster-manager", env }],
    }, replicas),
  ];
  if (ipsec) {
    out.push(daemonSet({ ns: NS.ovn, name: "ovn-ipsec-host", app: "ovn-ipsec", containers: [{ name: "ovn-ipsec" }] }));
  }
  return out;
}

function kuryrObjects(): Rendered[] {
  return [
    namespace(NS.kuryr),
    daemonSet({ ns: NS.kuryr, name: "kuryr-cni", app: "kuryr-cni", containers: [{ name: "kuryr-cni" }] }),
    deployment({
      ns: NS.kuryr,
      name: "kuryr-controller",
      app: "kuryr-controller",
      containers: [{ name: "controller" }],
    }, 1),
  ];
}

const READINESS: Record<string, string> = {
  [SDN]: "/host/run/multus/cni/net.d/80-openshift-network.conf",
  [OVN]: "/host/run/multus/cni/net.d/10-ovn-kubernetes.conf",
  [KURYR]: "/host/run/multus/cni/net.d/10-kuryr.conflist",
};

function daemonConfig(type: string): string {
  return JSON.stringify({
    chrootDir: "/hostroot",
    cniVersion: "0.3.1",
    logLevel: "verbose",
    logToStderr: true,
    cniConfigDir: "/host/etc/cni/net.d",
    multusAutoconfigDir: "/host/run/multus/cni/net.d",
    multusConfigFile: "auto",
    socketDir: "/host/run/multus/socket",
    readinessindicatorfile: READINESS[type] ?? "",
  });
}

/** Cheap stable hash of text, for the config-hash annotation that restarts Multus when its config changes. */
function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16).padStart(8, "0");
}

function multusObjects(type: string, live: boolean, migType: string | undefined): Rendered[] {
  // Live migration: one daemon config per CNI; a node picks by whether br-ex exists (§2.4 step 1).
  const data: Record<string, string> = live
    ? { "daemon-config-lm-ovn.json": daemonConfig(OVN), "daemon-config-lm-sdn.json": daemonConfig(SDN) }
    : { "daemon-config.json": daemonConfig(type) };
  const configHash = hash(JSON.stringify(data) + (live ? migType : ""));
  const ann = { "networkoperator.openshift.io/multus-daemon-config-hash": configHash };
  return [
    namespace(NS.multus),
    configMap(NS.multus, "multus-daemon-config", data),
    daemonSet({
      ns: NS.multus,
      name: "multus",
      app: "multus",
      annotations: ann,
      containers: [{
        name: "kube-multus",
        args: ["/entrypoint/cnibincopy.sh; exec /usr/src/multus-cni/bin/multus-daemon"],
      }],
    }),
    daemonSet({
      ns: NS.multus,
      name: "multus-additional-cni-plugins",
      app: "multus-additional-cni-plugins",
      containers: [{ name: "kube-multus-additional-cni-plugins" }],
    }),
    daemonSet({
      ns: NS.multus,
      name: "network-metrics-daemon",
      app: "network-metrics-daemon",
      hostNetwork: false,
      containers: [{ name: "network-metrics-daemon" }, { name: "kube-rbac-proxy" }],
    }),
  ];
}

/** Everything the CNO renders for this applied spec, in apply order (namespaces first). */
export function render(input: RenderInput): Rendered[] {
  const { applied, annotated, controlPlaneReplicas } = input;
  const live = isLiveMigration(applied, annotated);
  const type = applied.defaultNetwork?.type;
  // Live migration renders both CNIs until the purge (step 4), whatever the current type (§2.4).
  const types = new Set<string>(live ? [type, SDN, OVN] : [type]);
  const out: Rendered[] = [];
  if (types.has(SDN)) out.push(...sdnObjects(applied, live));
  if (types.has(OVN)) out.push(...ovnObjects(applied, live, controlPlaneReplicas));
  if (types.has(KURYR)) out.push(...kuryrObjects());
  out.push(...multusObjects(type, live, applied.migration?.networkType));
  for (const r of out) {
    if (r.key === K.namespace) continue;
    if (input.version) r.obj.metadata.annotations = { "release.openshift.io/version": input.version };
    if (input.owner) {
      r.obj.metadata.ownerReferences = [{
        apiVersion: "operator.openshift.io/v1",
        kind: "Network",
        name: input.owner.metadata.name,
        uid: input.owner.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      }];
    }
  }
  return out.sort((a, b) => (a.key === K.namespace ? 0 : 1) - (b.key === K.namespace ? 0 : 1));
}
