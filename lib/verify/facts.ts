/**
 * The facts snapshot: everything preflight reads from the cluster, collected once and then evaluated
 * by pure checks. JSON-serialisable and versioned so `--dump-facts` output can be evaluated later
 * with `--facts` (support cases, rehearsals). A read that failed is recorded as `{error}`, never thrown.
 */
import { z } from "zod";

export const FACTS_API_VERSION = "ovn-migrate.openshift.io/facts/v1";

/** A read that succeeded (`value`) or failed (`error`, with the HTTP status when there was one). */
export const readOf = <T extends z.ZodType>(t: T) =>
  z.union([z.object({ value: t }), z.object({ error: z.string(), status: z.number().optional() })]);
export type Read<T> = { value: T } | { error: string; status?: number };

/** A list that may not be served at all (CRD not installed: `served: false`). */
export const listOf = <T extends z.ZodType>(t: T) => z.object({ served: z.boolean(), items: z.array(t) });
export type ListFact<T> = { served: boolean; items: T[] };

export const Condition = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().optional(),
});
export type Condition = z.infer<typeof Condition>;

export const ObjectRefFact = z.object({ namespace: z.string().optional(), name: z.string() });

export const ClusterVersionFact = z.object({
  /** status.desired.version (what the cluster runs or is updating to). */
  desired: z.string(),
  /** The newest Completed entry of status.history, if any. */
  completed: z.string().optional(),
  /** An update whose history entry is still Partial. */
  updatingTo: z.string().optional(),
  conditions: z.array(Condition),
});

export const InfrastructureFact = z.object({
  platform: z.string(),
  controlPlaneTopology: z.string().optional(),
  infrastructureTopology: z.string().optional(),
  infrastructureName: z.string().optional(),
  apiServerURL: z.string().optional(),
  /** status.platformStatus.<platform>.resourceTags (ROSA marks itself `red-hat-managed`). */
  resourceTags: z.array(z.object({ key: z.string(), value: z.string() })),
  /** status.platformStatus.<platform>.machineNetworks (bare metal and others, 4.16+): the fallback machine network. */
  machineNetworks: z.array(z.string()).optional(),
});

export const ClusterNetworkEntry = z.object({ cidr: z.string(), hostPrefix: z.number().optional() });

export const NetworkConfigFact = z.object({
  annotations: z.record(z.string(), z.string()),
  spec: z.object({
    networkType: z.string().optional(),
    clusterNetwork: z.array(ClusterNetworkEntry),
    serviceNetwork: z.array(z.string()),
  }),
  status: z.object({
    networkType: z.string().optional(),
    clusterNetwork: z.array(ClusterNetworkEntry),
    serviceNetwork: z.array(z.string()),
    clusterNetworkMTU: z.number().optional(),
    migration: z.object({ networkType: z.string().optional(), mtu: z.unknown().optional() }).optional(),
    conditions: z.array(Condition),
  }),
});

const SubnetPair = z.object({
  internalJoinSubnet: z.string().optional(),
  internalTransitSwitchSubnet: z.string().optional(),
});

export const OvnKubernetesConfigFact = z.object({
  mtu: z.number().optional(),
  genevePort: z.number().optional(),
  v4InternalSubnet: z.string().optional(),
  v6InternalSubnet: z.string().optional(),
  ipv4: SubnetPair.optional(),
  ipv6: SubnetPair.optional(),
  gatewayConfig: z.object({
    ipv4: z.object({ internalMasqueradeSubnet: z.string().optional() }).optional(),
    ipv6: z.object({ internalMasqueradeSubnet: z.string().optional() }).optional(),
  }).optional(),
});

export const NetworkOperatorFact = z.object({
  managementState: z.string().optional(),
  /** spec.migration as stored (null/absent = no migration). */
  migration: z.object({
    networkType: z.string().optional(),
    mode: z.string().optional(),
    mtu: z.unknown().optional(),
    features: z.record(z.string(), z.boolean()).optional(),
  }).nullable(),
  defaultNetwork: z.object({
    type: z.string().optional(),
    openshiftSDNConfig: z.object({
      mode: z.string().optional(),
      vxlanPort: z.number().optional(),
      mtu: z.number().optional(),
    }).optional(),
    ovnKubernetesConfig: OvnKubernetesConfigFact.optional(),
  }),
  additionalNetworks: z.array(z.object({
    name: z.string(),
    namespace: z.string().optional(),
    type: z.string().optional(),
    /** simpleMacvlanConfig.master; absent means the default-route interface. */
    macvlanMaster: z.string().optional(),
  })),
  conditions: z.array(Condition),
});

export const ClusterOperatorFact = z.object({ name: z.string(), conditions: z.array(Condition) });

export const NodeFact = z.object({
  name: z.string(),
  roles: z.array(z.string()),
  ready: z.boolean(),
  readyMessage: z.string().optional(),
  unschedulable: z.boolean(),
  internalIPs: z.array(z.string()),
  /** machineconfiguration.openshift.io/state */
  mcState: z.string().optional(),
});

export const PoolFact = z.object({
  name: z.string(),
  paused: z.boolean(),
  maxUnavailable: z.union([z.number(), z.string()]).optional(),
  machineCount: z.number(),
  updatedMachineCount: z.number(),
  readyMachineCount: z.number(),
  degradedMachineCount: z.number(),
  unavailableMachineCount: z.number(),
  conditions: z.array(Condition),
});

export const MtuConfigMapFact = z.object({
  present: z.boolean(),
  mtu: z.number().optional(),
  raw: z.string().optional(),
});

export const InstallConfigFact = z.object({
  present: z.boolean(),
  machineNetwork: z.array(z.string()),
  clusterNetwork: z.array(z.string()),
  serviceNetwork: z.array(z.string()),
  platform: z.string().optional(),
  parseError: z.string().optional(),
});

export const HostSubnetFact = z.object({
  name: z.string(),
  host: z.string().optional(),
  hostIP: z.string().optional(),
  subnet: z.string().optional(),
  egressIPs: z.array(z.string()),
  egressCIDRs: z.array(z.string()),
});

export const NetNamespaceFact = z.object({
  name: z.string(),
  netid: z.number().optional(),
  egressIPs: z.array(z.string()),
  multicast: z.boolean(),
});

export const EgressRouterPodFact = z.object({
  namespace: z.string(),
  name: z.string(),
  node: z.string().optional(),
  mode: z.enum(["redirect", "http-proxy", "dns-proxy", "unknown"]),
  /** EGRESS_DESTINATION (redirect rules) when present. */
  destination: z.string().optional(),
  /** Set when the pod could be listed but its spec could not be read. */
  error: z.string().optional(),
});

export const DaemonSetFact = z.object({
  name: z.string(),
  /** Controlled by network.operator (owner reference) or one of the names CNO renders. */
  managedByCNO: z.boolean(),
});

export const NncpFact = z.object({
  name: z.string(),
  interfaces: z.array(z.object({
    name: z.string(),
    type: z.string().optional(),
    ipv4Enabled: z.boolean(),
    dhcp: z.boolean(),
    addresses: z.array(z.string()),
    ports: z.array(z.string()),
  })),
  /** Available/Degraded condition summary. */
  status: z.string().optional(),
});

export const NadFact = z.object({
  namespace: z.string(),
  name: z.string(),
  /** CNI plugin types in the config (a plugin list has several). */
  types: z.array(z.string()),
  master: z.string().optional(),
  bridge: z.string().optional(),
  parseError: z.string().optional(),
});

export const PdbFact = z.object({
  namespace: z.string(),
  name: z.string(),
  minAvailable: z.union([z.number(), z.string()]).optional(),
  maxUnavailable: z.union([z.number(), z.string()]).optional(),
  disruptionsAllowed: z.number().optional(),
  expectedPods: z.number().optional(),
  currentHealthy: z.number().optional(),
});

export const WebhookFact = z.object({
  kind: z.enum(["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"]),
  configuration: z.string(),
  index: z.number(),
  name: z.string(),
  /** As stored; the API default is 10 s. */
  timeoutSeconds: z.number().optional(),
  failurePolicy: z.string().optional(),
  /** Resources the rules match (`pods`, `nodes`, `*` …). */
  resources: z.array(z.string()),
});

export const CountFact = z.object({ served: z.boolean(), count: z.number(), sample: z.array(ObjectRefFact) });

export const AccessFact = z.object({
  verb: z.string(),
  group: z.string(),
  resource: z.string(),
  subresource: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  allowed: z.boolean(),
  reason: z.string().optional(),
});
export type AccessFact = z.infer<typeof AccessFact>;

export const Facts = z.object({
  apiVersion: z.literal(FACTS_API_VERSION),
  collectedAt: z.string(),
  server: z.string(),
  apiGroups: readOf(z.array(z.string())),
  clusterVersion: readOf(ClusterVersionFact.nullable()),
  infrastructure: readOf(InfrastructureFact.nullable()),
  networkConfig: readOf(NetworkConfigFact.nullable()),
  networkOperator: readOf(NetworkOperatorFact.nullable()),
  clusterOperators: readOf(z.array(ClusterOperatorFact)),
  nodes: readOf(z.array(NodeFact)),
  machineConfigPools: readOf(listOf(PoolFact)),
  mtuConfigMap: readOf(MtuConfigMapFact),
  installConfig: readOf(InstallConfigFact),
  hostSubnets: readOf(listOf(HostSubnetFact)),
  netNamespaces: readOf(listOf(NetNamespaceFact)),
  egressNetworkPolicies: readOf(listOf(ObjectRefFact)),
  egressRouterPods: readOf(z.array(EgressRouterPodFact)),
  namespaces: readOf(z.array(z.string())),
  sdnDaemonSets: readOf(z.array(DaemonSetFact)),
  nncps: readOf(listOf(NncpFact)),
  networkAttachmentDefinitions: readOf(listOf(NadFact)),
  podDisruptionBudgets: readOf(z.array(PdbFact)),
  webhooks: readOf(z.array(WebhookFact)),
  kuryr: readOf(z.object({
    kuryrNetworks: CountFact,
    kuryrPorts: CountFact,
    kuryrLoadBalancers: CountFact,
    kuryrNetworkPolicies: CountFact,
  })),
  access: readOf(z.array(AccessFact)),
});
export type Facts = z.infer<typeof Facts>;
export type FactKey = Exclude<keyof Facts, "apiVersion" | "collectedAt" | "server">;

export type ClusterVersionFact = z.infer<typeof ClusterVersionFact>;
export type InfrastructureFact = z.infer<typeof InfrastructureFact>;
export type NetworkConfigFact = z.infer<typeof NetworkConfigFact>;
export type NetworkOperatorFact = z.infer<typeof NetworkOperatorFact>;
export type NodeFact = z.infer<typeof NodeFact>;
export type PoolFact = z.infer<typeof PoolFact>;
export type HostSubnetFact = z.infer<typeof HostSubnetFact>;
export type NetNamespaceFact = z.infer<typeof NetNamespaceFact>;
export type EgressRouterPodFact = z.infer<typeof EgressRouterPodFact>;
export type NncpFact = z.infer<typeof NncpFact>;
export type NadFact = z.infer<typeof NadFact>;
export type PdbFact = z.infer<typeof PdbFact>;
export type WebhookFact = z.infer<typeof WebhookFact>;

/** The value of a read, or undefined when it failed. */
export function valueOf<T>(r: Read<T>): T | undefined {
  return "value" in r ? r.value : undefined;
}

export function errorOf(r: object): string | undefined {
  return "error" in r && typeof r.error === "string" ? r.error : undefined;
}

export function conditionStatus(conditions: Condition[], type: string): string | undefined {
  return conditions.find((c) => c.type === type)?.status;
}

/** Parses a saved snapshot; throws a zod error with the path of the first bad field. */
export function parseFacts(data: unknown): Facts {
  return Facts.parse(data);
}
