/**
 * The OpenStack client (Keystone v3, Neutron, Octavia, Nova) for Kuryr clusters: find the cloud
 * (`discoverCloud`, or `cloudFromClusterCredentials` for the cluster's own), then `createOpenStackClient`.
 */
export { discoverCloud, type DiscoveredCloud, type DiscoveryOptions, searchDirs } from "./clouds_yaml.ts";
export {
  type AuthSettings,
  type AuthType,
  type CloudConfig,
  normalizeCloud,
  type TlsSettings,
} from "./cloud_config.ts";
export { cloudFromClusterCredentials, CLUSTER_CLOUD, type ClusterCloudInput } from "./cluster_cloud.ts";
export {
  type AuthSummary,
  createOpenStackClient,
  type OpenStackClient,
  type OpenStackClientOptions,
  readTlsMaterial,
} from "./client.ts";
export {
  isConflict,
  isNotFound,
  isOpenStackError,
  isPendingConflict,
  OpenStackError,
  type OpenStackErrorDetails,
  type ServiceType,
} from "./errors.ts";
export { type OpenStackLogger } from "./log.ts";
export {
  AmbiguousNameError,
  type DeleteOutcome,
  Neutron,
  type NeutronFilters,
  type RouterInterfaceRemoval,
  type SubportRemoval,
} from "./neutron.ts";
export type * from "./neutron_schemas.ts";
export { namePrefixRegex, Nova, type RebootType, type Server, type ServerFilters } from "./nova.ts";
export {
  type LoadBalancer,
  LoadBalancerDeleteError,
  type LoadBalancerFilters,
  Octavia,
  OctaviaTagsUnsupportedError,
  type OctaviaVersions,
} from "./octavia.ts";
export { DEFAULT_RETRY, type RetryPolicy, type Sleep } from "./retry.ts";
export type { ListOptions } from "./session.ts";
