/**
 * The scenario file format: one YAML document describes a simulated cluster (its version, platform,
 * pools, networks, objects, users, operator timings and faults). Every field has a default so a
 * scenario states only what makes it different from a healthy 4.16 SDN cluster on AWS.
 */
import { z } from "zod";

const cidr = z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, "must be a CIDR such as 10.128.0.0/14");

export const PoolSpec = z.object({
  name: z.string(),
  /** Nodes in the pool; node names are `<pool>-<i>` unless `nodeNames` is given. */
  nodes: z.number().int().min(0),
  nodeNames: z.array(z.string()).optional(),
  maxUnavailable: z.union([z.number().int().min(0), z.string().regex(/^\d+%$/)]).default(1),
  paused: z.boolean().default(false),
  /** The pool starts degraded: its first node is in state Degraded with this reason. */
  degradedReason: z.string().optional(),
  /** Node role label (`node-role.kubernetes.io/<role>`); defaults to the pool name. */
  role: z.string().optional(),
});
export type PoolSpec = z.infer<typeof PoolSpec>;

export const RuleSpec = z.object({
  apiGroups: z.array(z.string()).default(["*"]),
  resources: z.array(z.string()).default(["*"]),
  verbs: z.array(z.string()).default(["*"]),
  resourceNames: z.array(z.string()).optional(),
  /** Namespaces the rule applies to; absent = cluster-wide. */
  namespaces: z.array(z.string()).optional(),
});
export type RuleSpec = z.infer<typeof RuleSpec>;

export const UserSpec = z.object({
  name: z.string(),
  groups: z.array(z.string()).default([]),
  /** Bearer token; generated when absent (and the user gets a kubeconfig context). */
  token: z.string().optional(),
  /** Authenticate with a client certificate instead of a token (one such user at most). */
  clientCertificate: z.boolean().default(false),
  clusterAdmin: z.boolean().default(false),
  rules: z.array(RuleSpec).default([]),
});
export type UserSpec = z.infer<typeof UserSpec>;

/** Simulated durations, in cluster seconds (the clock's `--time-scale` speeds them up). */
export const TimingSpec = z.object({
  /** How long CNO takes to react to a change (its reconcile loop). */
  cnoReconcileSeconds: z.number().default(5),
  /** How long the MCO takes to render a new config after the network status changes. */
  mcoRenderSeconds: z.number().default(10),
  /** Grace before the first node of a pool is targeted after a new rendered config. */
  mcoStartSeconds: z.number().default(5),
  drainSeconds: z.number().default(20),
  /** Time from `shutdown -r` (or MCD reboot) to the node going NotReady. */
  shutdownSeconds: z.number().default(5),
  /** Time a node stays NotReady while rebooting. */
  rebootSeconds: z.number().default(60),
  /** Time for a DaemonSet pod to become ready on one node during a rollout. */
  daemonSetPodSeconds: z.number().default(3),
  deploymentSeconds: z.number().default(10),
  /** Delay of `shutdown -r +N`: one simulated minute per unit, as on a real host. */
  shutdownMinuteSeconds: z.number().default(60),
}).prefault({});
export type TimingSpec = z.infer<typeof TimingSpec>;

export const FaultSpec = z.object({
  /** Fraction (0–1) of API requests answered with an error. */
  apiErrorRate: z.number().min(0).max(1).default(0),
  /** Status codes used for injected errors (429 gets Retry-After). */
  apiErrorCodes: z.array(z.number().int()).default([500, 503, 429]),
  retryAfterSeconds: z.number().int().default(1),
  /** Injected errors hit only these verbs (default: all). */
  apiErrorVerbs: z.array(z.string()).optional(),
  /** Extra latency per API request, in real milliseconds. */
  slowResponseMs: z.number().default(0),
  /** Close every open watch after this many real seconds. */
  dropWatchesAfterSeconds: z.number().optional(),
  /** Nodes that go down on reboot and never become Ready again. */
  nodesNeverReturn: z.array(z.string()).default([]),
  /** Pods (`namespace/name`) whose containers crash-loop every time they start. */
  crashLoopPods: z.array(z.string()).default([]),
  /** The machine-config-daemon exec fails this many times per node before working. */
  mcdExecFailures: z.number().int().default(0),
  /** CNO goes Degraded at this step: offline-prepare, offline-flip, live-step-1 … live-step-4. */
  cnoDegradeAtStep: z.string().optional(),
  /** This pool degrades (its first updating node fails) during the next rollout. */
  degradePoolOnRollout: z.string().optional(),
  /** The prometheus-k8s pods do not exist. */
  prometheusMissing: z.boolean().default(false),
}).prefault({});
export type FaultSpec = z.infer<typeof FaultSpec>;

/** Faults of the simulated OpenStack (scenario `openstack.faults`; changeable at run time). */
export const OpenStackFaultSpec = z.object({
  /** Simulated seconds a Keystone token lives; every service answers 401 after it (short in tests). */
  tokenTtlSeconds: z.number().positive().default(3600),
  /** Simulated seconds a deleted load balancer stays PENDING_DELETE before it (and its VIP port) is gone. */
  loadBalancerDeleteSeconds: z.number().min(0).default(20),
  /** Simulated seconds a new load balancer stays PENDING_CREATE. */
  loadBalancerCreateSeconds: z.number().min(0).default(10),
  /** Octavia's 409 on any change while a load balancer is PENDING_* (the real behaviour). */
  pendingConflict: z.boolean().default(true),
  /** Fraction (0–1) of service requests answered with an injected error (version documents excepted). */
  errorRate: z.number().min(0).max(1).default(0),
  /** Status codes of injected errors; 429 carries Retry-After. */
  errorCodes: z.array(z.number().int()).default([500, 503, 429]),
  retryAfterSeconds: z.number().int().min(0).default(1),
  /** Injected errors hit only these services (identity, network, load-balancer, compute, image). */
  errorServices: z.array(z.string()).optional(),
  /** Injected errors hit only these HTTP methods. */
  errorMethods: z.array(z.string()).optional(),
  /** Octavia older than 2.5: no tags (Kuryr wrote the cluster tag into descriptions), tag filters refused. */
  octaviaLegacy: z.boolean().default(false),
  /** Servers (or their nodes' names) whose guest never comes back from a reboot. */
  serversNeverReturn: z.array(z.string()).default([]),
  /** Nodes that have no Nova server (their providerID names a server that does not exist). */
  nodesWithoutServer: z.array(z.string()).default([]),
}).prefault({});
export type OpenStackFaultSpec = z.infer<typeof OpenStackFaultSpec>;

/** The scenario's OpenStack side (Keystone, Neutron, Octavia, Nova); present = the simulator serves a cloud. */
export const OpenStackSpec = z.object({
  /** Regions in the catalog; the cluster lives in the first. */
  regions: z.array(z.string()).min(1).default(["RegionOne", "RegionTwo"]),
  /** The cluster's project and its admin user (the default clouds.yaml cloud). */
  projectName: z.string().default("shiftstack"),
  username: z.string().default("shiftstack"),
  /** Who made the nodes' router: the installer ("Created By OpenShift Installer") or CNO (`<infraID>-external-router`). */
  router: z.enum(["installer", "cno"]).default("installer"),
  /** The installer's UDP 6081 (Geneve) rules between the nodes on the master and worker security groups. */
  geneveRule: z.boolean().default(true),
  /**
   * Only these namespaces get a KuryrNetwork (and their pods Kuryr ports): a knob for small test clusters.
   * Real Kuryr gives every namespace one, the default (absent).
   */
  kuryrNamespaces: z.array(z.string()).optional(),
  /** Resources a correct clean-up must not touch: a second Kuryr cluster, look-alike user resources. */
  decoys: z.boolean().default(true),
  faults: OpenStackFaultSpec,
});
export type OpenStackSpec = z.infer<typeof OpenStackSpec>;

export const ScenarioSpec = z.object({
  name: z.string(),
  description: z.string().default(""),
  /** Cluster version, e.g. 4.16.20. */
  version: z.string().default("4.16.20"),
  /** A ClusterVersion update in progress to this version. */
  upgradingTo: z.string().optional(),
  platform: z.string().default("AWS"),
  controlPlaneTopology: z.enum(["HighlyAvailable", "SingleReplica", "External"]).default("HighlyAvailable"),
  infrastructureName: z.string().default("sim-x7k2p"),
  /** ROSA/OSD-style managed cluster. */
  managed: z.boolean().default(false),
  /** Serve no OpenShift API groups (a plain Kubernetes cluster). */
  openshift: z.boolean().default(true),
  network: z.object({
    type: z.enum(["OpenShiftSDN", "OVNKubernetes", "Kuryr"]).default("OpenShiftSDN"),
    clusterNetwork: z.array(z.object({ cidr, hostPrefix: z.number().int() })).default([
      { cidr: "10.128.0.0/14", hostPrefix: 23 },
    ]),
    serviceNetwork: z.array(cidr).default(["172.30.0.0/16"]),
    machineNetwork: z.array(cidr).default(["10.0.0.0/16"]),
    /** Host MTU recorded in ConfigMap openshift-network-operator/mtu; null = the ConfigMap is missing. */
    hardwareMTU: z.number().int().nullable().default(1500),
    sdnMode: z.enum(["NetworkPolicy", "Multitenant", "Subnet"]).default("NetworkPolicy"),
    vxlanPort: z.number().int().default(4789),
    /** Extra `ovnKubernetesConfig` on network.operator (e.g. internal subnets). */
    ovnKubernetesConfig: z.record(z.string(), z.any()).optional(),
  }).prefault({}),
  /** The cluster was migrated to OVN-Kubernetes (leftovers as the procedure leaves them). */
  migratedFrom: z.object({
    type: z.enum(["OpenShiftSDN", "Kuryr"]).default("OpenShiftSDN"),
    method: z.enum(["offline", "live"]),
  }).optional(),
  pools: z.array(PoolSpec).default([
    { name: "master", nodes: 3, maxUnavailable: 1, paused: false },
    { name: "worker", nodes: 3, maxUnavailable: 1, paused: false },
  ]),
  /** Extra objects created as they are (pods, NetNamespaces, EgressNetworkPolicies, NNCPs, PDBs, webhooks …). */
  objects: z.array(z.record(z.string(), z.any())).default([]),
  /** Bulk objects for size (sdn-large). */
  generate: z.object({
    namespaces: z.number().int().default(0),
    podsPerNamespace: z.number().int().default(0),
    /** Every Nth generated namespace gets an EgressNetworkPolicy; 0 = none. */
    egressNetworkPolicyEvery: z.number().int().default(0),
    /** Every Nth generated NetNamespace is multicast-enabled; 0 = none. */
    multicastEvery: z.number().int().default(0),
  }).prefault({}),
  users: z.array(UserSpec).default([
    { name: "kube:admin", groups: ["system:authenticated"], clusterAdmin: true, clientCertificate: false, rules: [] },
    { name: "system:admin", groups: ["system:masters"], clusterAdmin: true, clientCertificate: true, rules: [] },
  ]),
  timings: TimingSpec,
  faults: FaultSpec,
  /** The cloud under the cluster (Kuryr on OpenStack); absent = no OpenStack side. */
  openstack: OpenStackSpec.optional(),
});
export type ScenarioSpec = z.infer<typeof ScenarioSpec>;
export type ScenarioInput = z.input<typeof ScenarioSpec>;
