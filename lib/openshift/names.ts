/**
 * Names OpenShift's operators use for a network type migration (cluster-behaviour.md §2.3, §5), shared by
 * preflight, the procedures, status and cleanup. The simulator keeps its own copy (sim/controllers/cno/names.ts)
 * on purpose: it is an independent oracle, so a wrong name here fails a test instead of agreeing with itself.
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

/** The Machine Config Operator's namespace and the annotations its daemon writes on every node (cluster-behaviour.md §5). */
export const MCO_NAMESPACE = "openshift-machine-config-operator";
export const MCO_ANNOTATION = {
  current: "machineconfiguration.openshift.io/currentConfig",
  desired: "machineconfiguration.openshift.io/desiredConfig",
  state: "machineconfiguration.openshift.io/state",
  reason: "machineconfiguration.openshift.io/reason",
} as const;
