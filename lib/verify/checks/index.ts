/** The ordered registry of preflight checks (the order of the report). */
import { admissionWebhooks } from "./admission_webhooks.ts";
import { apiOpenshift } from "./api_openshift.ts";
import { cidrOverlap } from "./cidr_overlap.ts";
import { clusterOperators } from "./cluster_operators.ts";
import { clusterVersion } from "./cluster_version.ts";
import { egressIp } from "./egress_ip.ts";
import { egressNetworkPolicy } from "./egress_network_policy.ts";
import { egressRouterPods } from "./egress_router_pods.ts";
import { etcdBackup } from "./etcd_backup.ts";
import { genevePort } from "./geneve_port.ts";
import { kuryrObjects, octaviaTags, openstackCredentials, openstackGeneveRule } from "./kuryr_objects.ts";
import { machineConfigPools } from "./machine_config_pools.ts";
import { mtu } from "./mtu.ts";
import { multicast } from "./multicast.ts";
import { networkType } from "./network_type.ts";
import { nncpPrimaryNic } from "./nncp_primary_nic.ts";
import { nodeCount } from "./node_count.ts";
import { nodes } from "./nodes.ts";
import { platform } from "./platform.ts";
import { podDisruptionBudgets } from "./pod_disruption_budgets.ts";
import { rbac } from "./rbac.ts";
import { sdnIsolationMode } from "./sdn_isolation_mode.ts";
import { secondaryNetworkDefaultNic } from "./secondary_network_default_nic.ts";
import type { Check } from "./types.ts";
import { unmanagedSdnDaemonSets } from "./unmanaged_sdn_daemonsets.ts";

export type { Check, CheckContext, CheckResult, InvolvedObject, Level } from "./types.ts";

export const CHECKS: readonly Check[] = [
  apiOpenshift,
  rbac,
  clusterVersion,
  networkType,
  platform,
  clusterOperators,
  etcdBackup,
  nodes,
  machineConfigPools,
  nodeCount,
  sdnIsolationMode,
  cidrOverlap,
  mtu,
  genevePort,
  egressRouterPods,
  egressIp,
  egressNetworkPolicy,
  multicast,
  unmanagedSdnDaemonSets,
  nncpPrimaryNic,
  secondaryNetworkDefaultNic,
  podDisruptionBudgets,
  admissionWebhooks,
  kuryrObjects,
  openstackCredentials,
  octaviaTags,
  openstackGeneveRule,
];

export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);
