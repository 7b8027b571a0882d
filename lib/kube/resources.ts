/** Every API resource the product reads or writes, by the name the API server knows it under. */

export interface ResourceRef {
  group: string;
  version: string;
  /** Plural resource name, as in the URL. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

const r = (group: string, version: string, resource: string, kind: string, namespaced: boolean): ResourceRef => ({
  group,
  version,
  resource,
  kind,
  namespaced,
});

export const R = {
  networkConfig: r("config.openshift.io", "v1", "networks", "Network", false),
  networkOperator: r("operator.openshift.io", "v1", "networks", "Network", false),
  infrastructure: r("config.openshift.io", "v1", "infrastructures", "Infrastructure", false),
  clusterVersion: r("config.openshift.io", "v1", "clusterversions", "ClusterVersion", false),
  clusterOperator: r("config.openshift.io", "v1", "clusteroperators", "ClusterOperator", false),
  machineConfigPool: r("machineconfiguration.openshift.io", "v1", "machineconfigpools", "MachineConfigPool", false),
  machineConfig: r("machineconfiguration.openshift.io", "v1", "machineconfigs", "MachineConfig", false),
  node: r("", "v1", "nodes", "Node", false),
  pod: r("", "v1", "pods", "Pod", true),
  namespace: r("", "v1", "namespaces", "Namespace", false),
  configMap: r("", "v1", "configmaps", "ConfigMap", true),
  service: r("", "v1", "services", "Service", true),
  daemonSet: r("apps", "v1", "daemonsets", "DaemonSet", true),
  deployment: r("apps", "v1", "deployments", "Deployment", true),
  hostSubnet: r("network.openshift.io", "v1", "hostsubnets", "HostSubnet", false),
  netNamespace: r("network.openshift.io", "v1", "netnamespaces", "NetNamespace", false),
  egressNetworkPolicy: r("network.openshift.io", "v1", "egressnetworkpolicies", "EgressNetworkPolicy", true),
  egressRouter: r("network.operator.openshift.io", "v1", "egressrouters", "EgressRouter", true),
  egressIP: r("k8s.ovn.org", "v1", "egressips", "EgressIP", false),
  egressFirewall: r("k8s.ovn.org", "v1", "egressfirewalls", "EgressFirewall", true),
  nncp: r("nmstate.io", "v1", "nodenetworkconfigurationpolicies", "NodeNetworkConfigurationPolicy", false),
  networkAttachmentDefinition: r(
    "k8s.cni.cncf.io",
    "v1",
    "network-attachment-definitions",
    "NetworkAttachmentDefinition",
    true,
  ),
  podDisruptionBudget: r("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true),
  validatingWebhook: r(
    "admissionregistration.k8s.io",
    "v1",
    "validatingwebhookconfigurations",
    "ValidatingWebhookConfiguration",
    false,
  ),
  mutatingWebhook: r(
    "admissionregistration.k8s.io",
    "v1",
    "mutatingwebhookconfigurations",
    "MutatingWebhookConfiguration",
    false,
  ),
  kuryrNetwork: r("openstack.org", "v1", "kuryrnetworks", "KuryrNetwork", true),
} as const satisfies Record<string, ResourceRef>;

/** URL path of a collection or, with `name`, of one object (and its subresource). */
export function resourcePath(ref: ResourceRef, opts: { namespace?: string; name?: string; subresource?: string } = {}) {
  const base = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  const ns = ref.namespaced && opts.namespace ? `/namespaces/${encodeURIComponent(opts.namespace)}` : "";
  const name = opts.name ? `/${encodeURIComponent(opts.name)}` : "";
  const sub = opts.name && opts.subresource ? `/${opts.subresource}` : "";
  return `${base}${ns}/${ref.resource}${name}${sub}`;
}

/** `resource.group` as kubectl and RBAC messages spell it (`networks.operator.openshift.io`). */
export const qualifiedName = (ref: ResourceRef) => ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
