/**
 * Names the Cluster Network Operator uses for a network type migration (cluster-behaviour.md §2.3),
 * shared by the live migration, status and cleanup.
 */
export const OVN = "OVNKubernetes";
export const SDN = "OpenShiftSDN";

/** The annotation on network.config that turns a networkType change into a live migration. */
export const MIGRATION_ANNOTATION = "network.openshift.io/network-type-migration";

/** The five live-migration conditions on network.config status. */
export const COND = {
  inProgress: "NetworkTypeMigrationInProgress",
  mtuReady: "NetworkTypeMigrationMTUReady",
  targetAvailable: "NetworkTypeMigrationTargetCNIAvailable",
  targetInUse: "NetworkTypeMigrationTargetCNIInUse",
  purged: "NetworkTypeMigrationOriginalCNIPurged",
} as const;

export const CONDITION_TYPES = [
  COND.inProgress,
  COND.mtuReady,
  COND.targetAvailable,
  COND.targetInUse,
  COND.purged,
] as const;

/** Marks an OpenShift SDN egress router pod (macvlan); CNO refuses to live-migrate while one exists. */
export const EGRESS_ROUTER_ANNOTATION = "pod.network.openshift.io/assign-macvlan";

/** ROSA/OSD: network.config must carry it before a live migration (procedures.md §6 step 5). */
export const MANAGED_ANNOTATION = "unsupported-red-hat-internal-testing";
