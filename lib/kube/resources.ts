/**
 * Every API resource the product reads or writes, by the name the API server knows it under, with the schema its
 * objects are parsed by where they enter (lib/kube/client.ts): a read returns a typed model, and a malformed
 * object is an error naming the object and the field.
 */
import type { z } from "zod";
import type { ResourceRef } from "./types.ts";
import * as S from "./schemas.ts";

export type { ObjectOf, ResourceRef } from "./types.ts";

const r = <M extends z.ZodType>(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  schema?: M,
): ResourceRef<M> => ({ group, version, resource, kind, namespaced, ...(schema ? { schema } : {}) });

export const R = {
  networkConfig: r("config.openshift.io", "v1", "networks", "Network", false, S.NetworkConfigSchema),
  networkOperator: r("operator.openshift.io", "v1", "networks", "Network", false, S.NetworkOperatorSchema),
  infrastructure: r("config.openshift.io", "v1", "infrastructures", "Infrastructure", false, S.InfrastructureSchema),
  clusterVersion: r("config.openshift.io", "v1", "clusterversions", "ClusterVersion", false, S.ClusterVersionSchema),
  clusterOperator: r(
    "config.openshift.io",
    "v1",
    "clusteroperators",
    "ClusterOperator",
    false,
    S.ClusterOperatorSchema,
  ),
  machineConfigPool: r(
    "machineconfiguration.openshift.io",
    "v1",
    "machineconfigpools",
    "MachineConfigPool",
    false,
    S.MachineConfigPoolSchema,
  ),
  machineConfig: r(
    "machineconfiguration.openshift.io",
    "v1",
    "machineconfigs",
    "MachineConfig",
    false,
    S.MachineConfigSchema,
  ),
  node: r("", "v1", "nodes", "Node", false, S.NodeSchema),
  pod: r("", "v1", "pods", "Pod", true, S.PodSchema),
  namespace: r("", "v1", "namespaces", "Namespace", false, S.NamespaceSchema),
  configMap: r("", "v1", "configmaps", "ConfigMap", true, S.ConfigMapSchema),
  service: r("", "v1", "services", "Service", true),
  secret: r("", "v1", "secrets", "Secret", true),
  daemonSet: r("apps", "v1", "daemonsets", "DaemonSet", true, S.DaemonSetSchema),
  deployment: r("apps", "v1", "deployments", "Deployment", true, S.DeploymentSchema),
  hostSubnet: r("network.openshift.io", "v1", "hostsubnets", "HostSubnet", false, S.HostSubnetSchema),
  netNamespace: r("network.openshift.io", "v1", "netnamespaces", "NetNamespace", false, S.NetNamespaceSchema),
  egressNetworkPolicy: r(
    "network.openshift.io",
    "v1",
    "egressnetworkpolicies",
    "EgressNetworkPolicy",
    true,
    S.EgressNetworkPolicySchema,
  ),
  egressRouter: r("network.operator.openshift.io", "v1", "egressrouters", "EgressRouter", true, S.EgressRouterSchema),
  egressIP: r("k8s.ovn.org", "v1", "egressips", "EgressIP", false),
  egressFirewall: r("k8s.ovn.org", "v1", "egressfirewalls", "EgressFirewall", true),
  nncp: r(
    "nmstate.io",
    "v1",
    "nodenetworkconfigurationpolicies",
    "NodeNetworkConfigurationPolicy",
    false,
    S.NodeNetworkConfigurationPolicySchema,
  ),
  networkAttachmentDefinition: r(
    "k8s.cni.cncf.io",
    "v1",
    "network-attachment-definitions",
    "NetworkAttachmentDefinition",
    true,
    S.NetworkAttachmentDefinitionSchema,
  ),
  podDisruptionBudget: r(
    "policy",
    "v1",
    "poddisruptionbudgets",
    "PodDisruptionBudget",
    true,
    S.PodDisruptionBudgetSchema,
  ),
  validatingWebhook: r(
    "admissionregistration.k8s.io",
    "v1",
    "validatingwebhookconfigurations",
    "ValidatingWebhookConfiguration",
    false,
    S.ValidatingWebhookConfigurationSchema,
  ),
  mutatingWebhook: r(
    "admissionregistration.k8s.io",
    "v1",
    "mutatingwebhookconfigurations",
    "MutatingWebhookConfiguration",
    false,
    S.MutatingWebhookConfigurationSchema,
  ),
  kuryrNetwork: r("openstack.org", "v1", "kuryrnetworks", "KuryrNetwork", true),
} as const;

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
