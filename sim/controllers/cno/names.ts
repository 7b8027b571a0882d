/** Resource keys, object names, condition types and messages the simulated CNO uses (cluster-behaviour.md §0, §2.3). */
import { resourceKey } from "../../store.ts";

export const K = {
  networkConfig: resourceKey("config.openshift.io", "networks"),
  networkOperator: resourceKey("operator.openshift.io", "networks"),
  infrastructure: resourceKey("config.openshift.io", "infrastructures"),
  clusterOperator: resourceKey("config.openshift.io", "clusteroperators"),
  clusterVersion: resourceKey("config.openshift.io", "clusterversions"),
  mcp: resourceKey("machineconfiguration.openshift.io", "machineconfigpools"),
  machineConfig: resourceKey("machineconfiguration.openshift.io", "machineconfigs"),
  namespace: resourceKey("", "namespaces"),
  node: resourceKey("", "nodes"),
  pod: resourceKey("", "pods"),
  configMap: resourceKey("", "configmaps"),
  daemonSet: resourceKey("apps", "daemonsets"),
  deployment: resourceKey("apps", "deployments"),
  egressNetworkPolicy: resourceKey("network.openshift.io", "egressnetworkpolicies"),
  netNamespace: resourceKey("network.openshift.io", "netnamespaces"),
  hostSubnet: resourceKey("network.openshift.io", "hostsubnets"),
  egressFirewall: resourceKey("k8s.ovn.org", "egressfirewalls"),
  egressIP: resourceKey("k8s.ovn.org", "egressips"),
  cloudPrivateIPConfig: resourceKey("cloud.network.openshift.io", "cloudprivateipconfigs"),
} as const;

export const SDN = "OpenShiftSDN";
export const OVN = "OVNKubernetes";
export const KURYR = "Kuryr";

export const NS = {
  operator: "openshift-network-operator",
  sdn: "openshift-sdn",
  ovn: "openshift-ovn-kubernetes",
  kuryr: "openshift-kuryr",
  multus: "openshift-multus",
} as const;

/** The namespace a CNI's DaemonSets live in. */
export function cniNamespace(type: string): string | undefined {
  return type === SDN ? NS.sdn : type === OVN ? NS.ovn : type === KURYR ? NS.kuryr : undefined;
}

export const MIGRATION_ANNOTATION = "network.openshift.io/network-type-migration";

/** Live-migration condition types on network.config status (names.go). */
export const COND = {
  inProgress: "NetworkTypeMigrationInProgress",
  mtuReady: "NetworkTypeMigrationMTUReady",
  targetAvailable: "NetworkTypeMigrationTargetCNIAvailable",
  targetInUse: "NetworkTypeMigrationTargetCNIInUse",
  purged: "NetworkTypeMigrationOriginalCNIPurged",
} as const;

/** Order in which the conditions are first written: the type list of cluster-behaviour.md §2.3. */
export const CONDITION_ORDER = [COND.inProgress, COND.mtuReady, COND.targetAvailable, COND.targetInUse, COND.purged];

export const METRIC_BLOCKED = "openshift_network_operator_live_migration_blocked";
export const METRIC_CONDITION = "openshift_network_operator_live_migration_condition";

export const METRIC_BLOCKED_HELP =
  "A metric which contains a constant '1' value labeled with the reason CNI live migration may not begin. " +
  "The metric is available when CNI live migration has started by annotating the Network CR.";
export const METRIC_CONDITION_HELP =
  "A metric which contains the status of each condition type for CNI live migration. 1 represents True, " +
  "0 represents False and -1 represents Unknown. The metric is available when CNI live migration has started " +
  "by annotating the Network CR.";

export const SDN_UPGRADEABLE_MESSAGE =
  "Cluster is configured with OpenShiftSDN, which is not supported in the next version. Please follow the documented " +
  "steps to migrate from OpenShiftSDN to OVN-Kubernetes in order to be able to upgrade. " +
  "https://docs.openshift.com/container-platform/4.16/networking/ovn_kubernetes_network_provider/migrate-from-openshift-sdn.html";
