/**
 * Bulk object generators for simulated clusters: nodes, namespaces, NetNamespaces, HostSubnets and pods,
 * in the shapes the real components give them (cluster-behaviour.md §4.6 for the SDN objects). Every
 * generator returns fresh objects, so the Store may freeze them without sharing anything mutable.
 */
import type { Obj } from "../store.ts";

// ---------------------------------------------------------------------------------------------------------
// IPv4 arithmetic

export interface Cidr4 {
  base: number;
  prefix: number;
}

export function parseCidr4(cidr: string): Cidr4 | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return undefined;
  const prefix = Number(m[5]);
  const base = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (base & mask) >>> 0, prefix };
}

export const ipv4 = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

/** The `index`-th host subnet of size /hostPrefix carved from a cluster network, as SDN allocates them. */
export function hostSubnet(clusterCidr: string, hostPrefix: number, index: number): string {
  const c = parseCidr4(clusterCidr);
  if (!c) throw new Error(`cluster network ${clusterCidr} is not an IPv4 CIDR`);
  const count = 2 ** (hostPrefix - c.prefix);
  if (index >= count) {
    throw new Error(
      `cluster network ${clusterCidr} with hostPrefix ${hostPrefix} has room for ${count} nodes, not ${index + 1}`,
    );
  }
  return `${ipv4(c.base + index * 2 ** (32 - hostPrefix))}/${hostPrefix}`;
}

/** The `index`-th usable address of a CIDR (index 0 = network address + 1). */
export function addressIn(cidr: string, index: number): string {
  const c = parseCidr4(cidr);
  if (!c) throw new Error(`${cidr} is not an IPv4 CIDR`);
  const size = 2 ** (32 - c.prefix);
  if (index + 2 >= size) throw new Error(`${cidr} has no room for address #${index + 1}`);
  return ipv4(c.base + 1 + index);
}

// ---------------------------------------------------------------------------------------------------------
// Deterministic identifiers (reproducible scenarios; bootIDs change on reboot, done by the node controller)

/** A UUID-shaped string derived from a seed (FNV-1a based, not cryptographic). */
export function seededUuid(seed: string): string {
  let h1 = 0x811c9dc5, h2 = 0x01000193, h3 = 0x9e3779b9, h4 = 0x85ebca6b;
  for (let i = 0; i < seed.length; i++) {
    const c = seed.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h3 = Math.imul(h3 ^ c, 0x27d4eb2f);
    h4 = Math.imul(h4 ^ c, 0x165667b1);
  }
  const hex = [h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Lower-case alphanumeric suffix like the ones ReplicaSets and generateName produce. */
export function seededSuffix(seed: string, len: number): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  let out = "";
  while (out.length < len) {
    // xorshift32 over the seed's hash: every character depends on the whole seed.
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    out += alphabet[(h >>> 0) % alphabet.length];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Versions as the nodes report them

/** Kubernetes minor version that ships with an OpenShift minor (4.16 → 1.29). */
export const kubeMinorFor = (ocpMinor: number) => ocpMinor + 13;

export function ocpMinor(version: string): number {
  const m = /^4\.(\d+)/.exec(version);
  return m ? Number(m[1]) : 16;
}

export interface NodeVersions {
  kubeletVersion: string;
  osImage: string;
  kernelVersion: string;
  containerRuntimeVersion: string;
}

export function nodeVersions(version: string, openshift: boolean): NodeVersions {
  const minor = ocpMinor(version);
  const kube = `v1.${kubeMinorFor(minor)}.9`;
  if (!openshift) {
    return {
      kubeletVersion: kube,
      osImage: "Ubuntu 22.04.4 LTS",
      kernelVersion: "5.15.0-116-generic",
      containerRuntimeVersion: "containerd://1.7.19",
    };
  }
  const rhel = minor >= 16 ? "94" : minor >= 13 ? "92" : "86";
  const el = minor >= 16 ? "el9_4" : minor >= 13 ? "el9_2" : "el8_6";
  return {
    kubeletVersion: `${kube}+5cfe7bd`,
    osImage: `Red Hat Enterprise Linux CoreOS 4${minor}.${rhel}.202410211619-0 (Plow)`,
    kernelVersion: `5.14.0-427.40.1.${el}.x86_64`,
    containerRuntimeVersion: `cri-o://1.${kubeMinorFor(minor)}.9-5.rhaos4.${minor}.git7ad2e0a.${el}`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Nodes

export interface NodeInput {
  name: string;
  role: string;
  /** Position among all nodes of the cluster (address and host subnet allocation). */
  index: number;
  /** Position within its pool (zone spreading). */
  poolIndex: number;
  address: string;
  platform: string;
  versions: NodeVersions;
  openshift: boolean;
  creationTimestamp: string;
  /** The cluster's infrastructure name (OpenStack: the node's server id derives from it). */
  infraName?: string;
}

const AWS_ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];

export function zoneFor(platform: string, poolIndex: number): { region: string; zone: string } {
  const i = poolIndex % 3;
  switch (platform) {
    case "AWS":
      return { region: "us-east-1", zone: AWS_ZONES[i] };
    case "GCP":
      return { region: "us-central1", zone: `us-central1-${"abc"[i]}` };
    case "Azure":
      return { region: "eastus", zone: `eastus-${i + 1}` };
    case "OpenStack":
      return { region: "regionOne", zone: "nova" };
    default:
      return { region: "region-1", zone: `zone-${"abc"[i]}` };
  }
}

export function makeNode(n: NodeInput): Obj {
  const { region, zone } = zoneFor(n.platform, n.poolIndex);
  const labels: Record<string, string> = {
    "beta.kubernetes.io/arch": "amd64",
    "beta.kubernetes.io/os": "linux",
    "kubernetes.io/arch": "amd64",
    "kubernetes.io/hostname": n.name,
    "kubernetes.io/os": "linux",
    [`node-role.kubernetes.io/${n.role}`]: "",
    "topology.kubernetes.io/region": region,
    "topology.kubernetes.io/zone": zone,
  };
  if (n.role === "master") labels["node-role.kubernetes.io/control-plane"] = "";
  if (n.openshift) labels["node.openshift.io/os_id"] = "rhcos";
  if (n.platform === "AWS") {
    labels["node.kubernetes.io/instance-type"] = n.role === "master" ? "m6i.xlarge" : "m6i.2xlarge";
  }
  const big = n.role !== "master";
  const capacity = {
    cpu: big ? "8" : "4",
    "ephemeral-storage": "125293548Ki",
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "0",
    memory: big ? "32499180Ki" : "16093628Ki",
    pods: "250",
  };
  const allocatable = {
    cpu: big ? "7500m" : "3500m",
    "ephemeral-storage": "114396791822",
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "0",
    memory: big ? "31348204Ki" : "14942652Ki",
    pods: "250",
  };
  const t = n.creationTimestamp;
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: t,
    lastTransitionTime: t,
    reason,
    message,
  });
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: n.name,
      labels,
      annotations: { "volumes.kubernetes.io/controller-managed-attach-detach": "true" },
      creationTimestamp: t,
    },
    spec: {
      ...(n.role === "master" && n.openshift
        ? { taints: [{ key: "node-role.kubernetes.io/master", effect: "NoSchedule" }] }
        : {}),
      // The OpenStack cloud provider names the node's Nova server: openstack:///<server uuid>.
      ...(n.platform === "OpenStack" && n.infraName
        ? { providerID: `openstack:///${openstackId(n.infraName, `server/${n.name}`)}` }
        : {}),
    },
    status: {
      addresses: [{ type: "InternalIP", address: n.address }, { type: "Hostname", address: n.name }],
      allocatable,
      capacity,
      conditions: [
        cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: "amd64",
        bootID: seededUuid(`boot/${n.name}`),
        containerRuntimeVersion: n.versions.containerRuntimeVersion,
        kernelVersion: n.versions.kernelVersion,
        kubeProxyVersion: n.versions.kubeletVersion,
        kubeletVersion: n.versions.kubeletVersion,
        machineID: seededUuid(`machine/${n.name}`).replaceAll("-", ""),
        operatingSystem: "linux",
        osImage: n.versions.osImage,
        systemUUID: seededUuid(`system/${n.name}`),
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Namespaces and SDN objects

export function makeNamespace(name: string, opts: { openshift: boolean; labels?: Record<string, string> }): Obj {
  const labels: Record<string, string> = { ...(opts.labels ?? {}) };
  const annotations: Record<string, string> = {};
  if (opts.openshift) {
    // Projects get SCC ranges from the cluster-policy-controller; realistic but fixed values suffice.
    annotations["openshift.io/sa.scc.mcs"] = "s0:c26,c15";
    annotations["openshift.io/sa.scc.supplemental-groups"] = "1000680000/10000";
    annotations["openshift.io/sa.scc.uid-range"] = "1000680000/10000";
    if (name.startsWith("openshift")) labels["openshift.io/cluster-monitoring"] = "true";
  }
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels, annotations } };
}

/** NetNamespace of a namespace (cluster-behaviour.md §4.6): `netname` = name, `netid` the VNID. */
export function makeNetNamespace(name: string, netid: number, multicast: boolean): Obj {
  const metadata: Obj = { name };
  if (multicast) metadata.annotations = { "netnamespace.network.openshift.io/multicast-enabled": "true" };
  return { apiVersion: "network.openshift.io/v1", kind: "NetNamespace", metadata, netname: name, netid };
}

/** HostSubnet of a node (cluster-behaviour.md §4.6): fields at top level, name = node. */
export function makeHostSubnet(node: string, hostIP: string, subnet: string): Obj {
  return {
    apiVersion: "network.openshift.io/v1",
    kind: "HostSubnet",
    metadata: { name: node, annotations: { "pod.network.openshift.io/node-uid": seededUuid(`node-uid/${node}`) } },
    host: node,
    hostIP,
    subnet,
  };
}

export function makeEgressNetworkPolicy(namespace: string, name = "default"): Obj {
  return {
    apiVersion: "network.openshift.io/v1",
    kind: "EgressNetworkPolicy",
    metadata: { name, namespace },
    spec: {
      egress: [
        { type: "Allow", to: { dnsName: "registry.example.com" } },
        { type: "Allow", to: { cidrSelector: "192.168.10.0/24" } },
        { type: "Deny", to: { cidrSelector: "0.0.0.0/0" } },
      ],
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Pods

export interface PodInput {
  name: string;
  namespace: string;
  node: string;
  hostIP: string;
  podIP: string;
  /** When the pod started (its status timestamps). */
  started: string;
  app: string;
  image?: string;
  containers?: string[];
  labels?: Record<string, string>;
  ownerReferences?: Obj[];
  hostNetwork?: boolean;
}

/** A Running, Ready pod as the kubelet reports it. Kept small: sdn-large creates 100,000 of them. */
export function makePod(p: PodInput): Obj {
  const containers = p.containers ?? [p.app];
  const image = p.image ?? `registry.example.com/apps/${p.app}:1.0`;
  const t = p.started;
  const metadata: Obj = {
    name: p.name,
    namespace: p.namespace,
    labels: p.labels ?? { app: p.app },
    creationTimestamp: t,
  };
  if (p.ownerReferences) metadata.ownerReferences = p.ownerReferences;
  const spec: Obj = {
    containers: containers.map((name) => ({ name, image })),
    nodeName: p.node,
    restartPolicy: "Always",
    schedulerName: "default-scheduler",
    serviceAccountName: "default",
    terminationGracePeriodSeconds: 30,
  };
  if (p.hostNetwork) spec.hostNetwork = true;
  const podIP = p.hostNetwork ? p.hostIP : p.podIP;
  const repo = image.includes("@") ? image.slice(0, image.indexOf("@")) : image.replace(/:[^/:]*$/, "");
  const imageID = `${repo}@sha256:${seededUuid(image).replaceAll("-", "")}${seededUuid(repo).replaceAll("-", "")}`;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata,
    spec,
    status: {
      phase: "Running",
      conditions: [
        { type: "Initialized", status: "True", lastTransitionTime: t },
        { type: "Ready", status: "True", lastTransitionTime: t },
        { type: "ContainersReady", status: "True", lastTransitionTime: t },
        { type: "PodScheduled", status: "True", lastTransitionTime: t },
      ],
      hostIP: p.hostIP,
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: t,
      qosClass: "BestEffort",
      containerStatuses: containers.map((name) => ({
        name,
        image,
        imageID,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: t } },
      })),
    },
  };
}

/** A node as pods see it: its name, InternalIP and the pod subnet carved for it from the cluster network. */
export interface PlacedNode {
  name: string;
  address: string;
  subnet: string;
}

/** Spreads pods round-robin over nodes and hands out pod IPs from each node's subnet (.1 is the gateway). */
export class PodPlacer {
  readonly #used = new Map<string, number>();
  #rr = 0;

  constructor(readonly nodes: readonly PlacedNode[]) {
    if (nodes.length === 0) throw new Error("there are no nodes to place pods on");
  }

  nextNode(): PlacedNode {
    return this.nodes[this.#rr++ % this.nodes.length];
  }

  podIP(node: PlacedNode): string {
    const used = this.#used.get(node.name) ?? 0;
    this.#used.set(node.name, used + 1);
    return addressIn(node.subnet, used + 1);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Kuryr on OpenStack: the OpenStack ids both sides of the simulation use (the Kubernetes objects record them,
// the simulated cloud holds the resources), derived from the cluster's infrastructure name.

/** The UUID of one OpenStack resource of a cluster, e.g. `openstackId(infra, "net/demo")`. */
export function openstackId(infraName: string, what: string): string {
  return seededUuid(`openstack/${infraName}/${what}`);
}

/** A Keystone project id (32 hex digits, no dashes) for a project name. */
export function keystoneProjectId(projectName: string): string {
  return seededUuid(`keystone/project/${projectName}`).replaceAll("-", "");
}

/** The tag CNO and Kuryr put on everything they create (kuryr_bootstrap.go: `"openshiftClusterID=" + clusterID`). */
export const clusterTag = (infraName: string) => `openshiftClusterID=${infraName}`;

/** A Neutron-style MAC address for a port id. */
export function macFor(portId: string): string {
  const hex = portId.replaceAll("-", "");
  return `fa:16:3e:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
}

/** The id of a region's external network (`public`), shared by every cluster in the cloud. */
export const publicNetworkId = (region: string) => openstackId(`region/${region}`, "net/public");
