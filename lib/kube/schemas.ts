/**
 * Zod schemas for every field the product reads from the cluster (product.md §3.1, cluster-behaviour.md
 * §4). All are loose: unknown fields pass through untouched and nearly every field is optional, because a
 * real API server omits empty ones; a field of the wrong type fails with the object and path named.
 */
import { z } from "zod";
import { KubeError } from "../errors.ts";

const str = z.string().optional();
const num = z.number().optional();
const bool = z.boolean().optional();
const strList = z.array(z.string()).optional();
const strMap = z.record(z.string(), z.string()).optional();
const intOrString = z.union([z.number(), z.string()]).optional();

export const ObjectMetaSchema = z.looseObject({
  name: z.string(),
  namespace: str,
  uid: str,
  resourceVersion: str,
  generation: num,
  creationTimestamp: str,
  deletionTimestamp: str,
  labels: strMap,
  annotations: strMap,
  finalizers: strList,
  ownerReferences: z.array(z.looseObject({
    apiVersion: z.string(),
    kind: z.string(),
    name: z.string(),
    uid: z.string(),
    controller: bool,
  })).optional(),
});

export const ConditionSchema = z.looseObject({
  type: z.string(),
  status: z.string(),
  reason: str,
  message: str,
  lastTransitionTime: str,
});
const conditions = z.array(ConditionSchema).optional();

const object = <T extends z.ZodRawShape>(shape: T) =>
  z.looseObject({ apiVersion: str, kind: str, metadata: ObjectMetaSchema, ...shape });

const labelSelector = z.looseObject({
  matchLabels: strMap,
  matchExpressions: z.array(z.looseObject({ key: z.string(), operator: z.string(), values: strList })).optional(),
}).optional();

// ---- config.openshift.io / operator.openshift.io networks --------------------------------------------

const clusterNetworkEntry = z.looseObject({ cidr: z.string(), hostPrefix: num });
const mtuMigration = z.looseObject({
  network: z.looseObject({ from: num, to: num }).optional(),
  machine: z.looseObject({ from: num, to: num }).optional(),
}).optional();

export const NetworkConfigSchema = object({
  spec: z.looseObject({
    clusterNetwork: z.array(clusterNetworkEntry).optional(),
    serviceNetwork: strList,
    networkType: str,
    externalIP: z.looseObject({}).optional(),
  }).optional(),
  status: z.looseObject({
    clusterNetwork: z.array(clusterNetworkEntry).optional(),
    serviceNetwork: strList,
    networkType: str,
    clusterNetworkMTU: num,
    migration: z.looseObject({ networkType: str, mtu: mtuMigration }).optional(),
    conditions,
  }).optional(),
});

const ipFamilySubnets = z.looseObject({ internalTransitSwitchSubnet: str, internalJoinSubnet: str }).optional();

export const NetworkOperatorSchema = object({
  spec: z.looseObject({
    managementState: str,
    clusterNetwork: z.array(clusterNetworkEntry).optional(),
    serviceNetwork: strList,
    defaultNetwork: z.looseObject({
      type: str,
      openshiftSDNConfig: z.looseObject({
        mode: str,
        vxlanPort: num,
        mtu: num,
        useExternalOpenvswitch: bool,
        enableUnidling: bool,
      }).optional(),
      ovnKubernetesConfig: z.looseObject({
        mtu: num,
        genevePort: num,
        v4InternalSubnet: str,
        v6InternalSubnet: str,
        ipv4: ipFamilySubnets,
        ipv6: ipFamilySubnets,
        gatewayConfig: z.looseObject({
          routingViaHost: bool,
          ipForwarding: str,
          ipv4: z.looseObject({ internalMasqueradeSubnet: str }).optional(),
          ipv6: z.looseObject({ internalMasqueradeSubnet: str }).optional(),
        }).optional(),
        hybridOverlayConfig: z.looseObject({
          hybridClusterNetwork: z.array(clusterNetworkEntry).optional(),
          hybridOverlayVXLANPort: num,
        }).optional(),
        ipsecConfig: z.looseObject({ mode: str }).optional(),
        egressIPConfig: z.looseObject({ reachabilityTotalTimeoutSeconds: num }).optional(),
        policyAuditConfig: z.looseObject({}).optional(),
      }).optional(),
      kuryrConfig: z.looseObject({}).optional(),
    }).optional(),
    additionalNetworks: z.array(z.looseObject({
      name: z.string(),
      namespace: str,
      type: str,
      rawCNIConfig: str,
      simpleMacvlanConfig: z.looseObject({ master: str, mode: str, mtu: num }).optional(),
    })).optional(),
    disableMultiNetwork: bool,
    useMultiNetworkPolicy: bool,
    deployKubeProxy: bool,
    migration: z.looseObject({
      networkType: str,
      mode: str,
      mtu: mtuMigration,
      features: z.looseObject({ egressIP: bool, egressFirewall: bool, multicast: bool }).optional(),
    }).nullable().optional(),
  }).optional(),
  status: z.looseObject({ observedGeneration: num, conditions, version: str, readyReplicas: num }).optional(),
});

export const InfrastructureSchema = object({
  status: z.looseObject({
    platform: str,
    platformStatus: z.looseObject({ type: str }).optional(),
    controlPlaneTopology: str,
    infrastructureTopology: str,
    infrastructureName: str,
    apiServerURL: str,
    apiServerInternalURI: str,
  }).optional(),
});

export const ClusterVersionSchema = object({
  spec: z.looseObject({
    clusterID: str,
    channel: str,
    desiredUpdate: z.looseObject({ version: str, image: str }).nullable().optional(),
  }).optional(),
  status: z.looseObject({
    desired: z.looseObject({ version: str, image: str }).optional(),
    history: z.array(z.looseObject({
      state: z.string(),
      version: str,
      startedTime: str,
      completionTime: z.string().nullable().optional(),
    })).optional(),
    conditions,
  }).optional(),
});

export const ClusterOperatorSchema = object({
  status: z.looseObject({
    conditions,
    versions: z.array(z.looseObject({ name: z.string(), version: z.string() })).optional(),
    relatedObjects: z.array(
      z.looseObject({ group: z.string(), resource: z.string(), namespace: str, name: z.string() }),
    )
      .optional(),
  }).optional(),
});

// ---- machineconfiguration.openshift.io ---------------------------------------------------------------

const configurationRef = z.looseObject({
  name: str,
  source: z.array(z.looseObject({ apiVersion: str, kind: str, name: str })).optional(),
}).optional();

export const MachineConfigPoolSchema = object({
  spec: z.looseObject({
    paused: bool,
    maxUnavailable: intOrString,
    machineConfigSelector: labelSelector,
    nodeSelector: labelSelector,
    configuration: configurationRef,
  }).optional(),
  status: z.looseObject({
    observedGeneration: num,
    configuration: configurationRef,
    machineCount: num,
    updatedMachineCount: num,
    readyMachineCount: num,
    unavailableMachineCount: num,
    degradedMachineCount: num,
    conditions,
  }).optional(),
});

export const MachineConfigSchema = object({
  spec: z.looseObject({
    config: z.looseObject({
      ignition: z.looseObject({ version: str }).optional(),
      systemd: z.looseObject({
        units: z.array(z.looseObject({ name: z.string(), enabled: bool, contents: str })).optional(),
      }).optional(),
      storage: z.looseObject({
        files: z.array(z.looseObject({ path: z.string(), contents: z.looseObject({ source: str }).optional() }))
          .optional(),
      }).optional(),
    }).optional(),
    osImageURL: str,
    kernelArguments: strList,
    extensions: strList,
    fips: bool,
    kernelType: str,
  }).optional(),
});

// ---- core, apps, policy ------------------------------------------------------------------------------

export const NodeSchema = object({
  spec: z.looseObject({
    unschedulable: bool,
    taints: z.array(z.looseObject({ key: z.string(), value: str, effect: z.string() })).optional(),
    podCIDR: str,
    podCIDRs: strList,
    providerID: str,
  }).optional(),
  status: z.looseObject({
    conditions,
    addresses: z.array(z.looseObject({ type: z.string(), address: z.string() })).optional(),
    nodeInfo: z.looseObject({
      bootID: str,
      machineID: str,
      systemUUID: str,
      kubeletVersion: str,
      osImage: str,
      kernelVersion: str,
    }).optional(),
  }).optional(),
});

const containerState = z.looseObject({
  waiting: z.looseObject({ reason: str, message: str }).optional(),
  running: z.looseObject({ startedAt: str }).optional(),
  terminated: z.looseObject({ exitCode: num, reason: str, message: str }).optional(),
}).optional();

export const PodSchema = object({
  spec: z.looseObject({
    nodeName: str,
    hostNetwork: bool,
    containers: z.array(z.looseObject({ name: z.string(), image: str })).optional(),
  }).optional(),
  status: z.looseObject({
    phase: str,
    reason: str,
    message: str,
    podIP: str,
    podIPs: z.array(z.looseObject({ ip: z.string() })).optional(),
    hostIP: str,
    conditions,
    containerStatuses: z.array(z.looseObject({
      name: z.string(),
      ready: bool,
      restartCount: num,
      state: containerState,
    })).optional(),
  }).optional(),
});

const podTemplate = z.looseObject({
  metadata: z.looseObject({ labels: strMap, annotations: strMap }).optional(),
  spec: z.looseObject({ nodeSelector: strMap }).optional(),
}).optional();

export const DaemonSetSchema = object({
  spec: z.looseObject({ selector: labelSelector, template: podTemplate }).optional(),
  status: z.looseObject({
    observedGeneration: num,
    desiredNumberScheduled: num,
    currentNumberScheduled: num,
    updatedNumberScheduled: num,
    numberReady: num,
    numberAvailable: num,
    numberUnavailable: num,
    numberMisscheduled: num,
  }).optional(),
});

export const DeploymentSchema = object({
  spec: z.looseObject({ replicas: num, selector: labelSelector, template: podTemplate }).optional(),
  status: z.looseObject({
    observedGeneration: num,
    replicas: num,
    readyReplicas: num,
    availableReplicas: num,
    updatedReplicas: num,
    unavailableReplicas: num,
    conditions,
  }).optional(),
});

export const NamespaceSchema = object({ status: z.looseObject({ phase: str }).optional() });

export const ConfigMapSchema = object({ data: strMap, binaryData: strMap });

export const PodDisruptionBudgetSchema = object({
  spec: z.looseObject({ minAvailable: intOrString, maxUnavailable: intOrString, selector: labelSelector }).optional(),
  status: z.looseObject({
    currentHealthy: num,
    desiredHealthy: num,
    disruptionsAllowed: num,
    expectedPods: num,
    conditions,
  }).optional(),
});

// ---- network.openshift.io (fields at the top level) and friends --------------------------------------

export const HostSubnetSchema = object({
  host: str,
  hostIP: str,
  subnet: str,
  egressIPs: strList,
  egressCIDRs: strList,
});

export const NetNamespaceSchema = object({ netname: str, netid: num, egressIPs: strList });

export const EgressNetworkPolicySchema = object({
  spec: z.looseObject({
    egress: z.array(z.looseObject({
      type: z.string(),
      to: z.looseObject({ cidrSelector: str, dnsName: str }),
    })).optional(),
  }).optional(),
});

export const EgressRouterSchema = object({
  spec: z.looseObject({
    mode: str,
    redirect: z.looseObject({
      redirectRules: z.array(z.looseObject({
        destinationIP: z.string(),
        port: num,
        protocol: str,
        targetPort: num,
      })).optional(),
      fallbackIP: str,
    }).optional(),
    networkInterface: z.looseObject({
      macvlan: z.looseObject({ mode: str, master: str }).optional(),
    }).optional(),
    addresses: z.array(z.looseObject({ ip: z.string(), gateway: str })).optional(),
  }).optional(),
  status: z.looseObject({ conditions }).optional(),
});

export const NodeNetworkConfigurationPolicySchema = object({
  spec: z.looseObject({
    nodeSelector: strMap,
    maxUnavailable: intOrString,
    desiredState: z.looseObject({
      interfaces: z.array(z.looseObject({
        name: z.string(),
        type: str,
        state: str,
        bridge: z.looseObject({
          port: z.array(z.looseObject({ name: z.string() })).optional(),
        }).optional(),
      })).optional(),
    }).optional(),
  }).optional(),
  status: z.looseObject({ conditions }).optional(),
});

export const NetworkAttachmentDefinitionSchema = object({
  spec: z.looseObject({ config: str }).optional(),
});

const webhook = z.looseObject({
  name: z.string(),
  timeoutSeconds: num,
  failurePolicy: str,
  sideEffects: str,
  clientConfig: z.looseObject({
    url: str,
    service: z.looseObject({ namespace: z.string(), name: z.string(), path: str, port: num }).optional(),
  }).optional(),
  rules: z.array(z.looseObject({
    operations: strList,
    apiGroups: strList,
    apiVersions: strList,
    resources: strList,
    scope: str,
  })).optional(),
  namespaceSelector: labelSelector,
  objectSelector: labelSelector,
});

export const ValidatingWebhookConfigurationSchema = object({ webhooks: z.array(webhook).optional() });
export const MutatingWebhookConfigurationSchema = object({ webhooks: z.array(webhook).optional() });

export const SelfSubjectAccessReviewSchema = z.looseObject({
  apiVersion: str,
  kind: str,
  spec: z.looseObject({
    resourceAttributes: z.looseObject({
      verb: str,
      group: str,
      resource: str,
      subresource: str,
      namespace: str,
      name: str,
    }).optional(),
  }),
  status: z.looseObject({ allowed: z.boolean(), denied: bool, reason: str, evaluationError: str }).optional(),
});

export type NetworkConfig = z.infer<typeof NetworkConfigSchema>;
export type NetworkOperator = z.infer<typeof NetworkOperatorSchema>;
export type Infrastructure = z.infer<typeof InfrastructureSchema>;
export type ClusterVersion = z.infer<typeof ClusterVersionSchema>;
export type ClusterOperator = z.infer<typeof ClusterOperatorSchema>;
export type MachineConfigPool = z.infer<typeof MachineConfigPoolSchema>;
export type MachineConfig = z.infer<typeof MachineConfigSchema>;
export type Node = z.infer<typeof NodeSchema>;
export type Pod = z.infer<typeof PodSchema>;
export type DaemonSet = z.infer<typeof DaemonSetSchema>;
export type Deployment = z.infer<typeof DeploymentSchema>;
export type Namespace = z.infer<typeof NamespaceSchema>;
export type ConfigMap = z.infer<typeof ConfigMapSchema>;
export type PodDisruptionBudget = z.infer<typeof PodDisruptionBudgetSchema>;
export type HostSubnet = z.infer<typeof HostSubnetSchema>;
export type NetNamespace = z.infer<typeof NetNamespaceSchema>;
export type EgressNetworkPolicy = z.infer<typeof EgressNetworkPolicySchema>;
export type EgressRouter = z.infer<typeof EgressRouterSchema>;
export type NodeNetworkConfigurationPolicy = z.infer<typeof NodeNetworkConfigurationPolicySchema>;
export type NetworkAttachmentDefinition = z.infer<typeof NetworkAttachmentDefinitionSchema>;
export type ValidatingWebhookConfiguration = z.infer<typeof ValidatingWebhookConfigurationSchema>;
export type MutatingWebhookConfiguration = z.infer<typeof MutatingWebhookConfigurationSchema>;
export type SelfSubjectAccessReview = z.infer<typeof SelfSubjectAccessReviewSchema>;
export type Condition = z.infer<typeof ConditionSchema>;

/**
 * Validates an object read from the cluster. A mismatch is a KubeError naming the object and the field,
 * so a surprising API answer reads as a diagnosis rather than a crash later on.
 */
export function parseObject<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const name = (value as { metadata?: { name?: string; namespace?: string } })?.metadata;
  const id = name?.name ? ` ${name.namespace ? `${name.namespace}/` : ""}${name.name}` : "";
  const issue = result.error.issues[0];
  const path = issue?.path.length ? issue.path.join(".") : "(object)";
  throw new KubeError(
    `The cluster returned an unexpected ${what}${id}: ${path}: ${issue?.message ?? "invalid"}.`,
    undefined,
    "This tool may not support this cluster version; please report it with `oc get -o yaml` of the object.",
  );
}

/** Every item of a list, validated. */
export function parseList<S extends z.ZodType>(schema: S, values: unknown[], what: string): z.infer<S>[] {
  return values.map((v) => parseObject(schema, v, what));
}
