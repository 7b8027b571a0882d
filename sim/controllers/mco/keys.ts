/** MCO resource keys and the node annotations the MCO, MCD and drain controller write (cluster-behaviour.md §4.5). */
export const MACHINE_CONFIGS = "machineconfiguration.openshift.io/machineconfigs";
export const POOLS = "machineconfiguration.openshift.io/machineconfigpools";

const A = "machineconfiguration.openshift.io";
export const CURRENT_CONFIG = `${A}/currentConfig`;
export const DESIRED_CONFIG = `${A}/desiredConfig`;
export const STATE = `${A}/state`;
export const REASON = `${A}/reason`;
export const DESIRED_DRAIN = `${A}/desiredDrain`;
export const LAST_APPLIED_DRAIN = `${A}/lastAppliedDrain`;
export const POST_CONFIG_ACTION = `${A}/post-config-action`;
export const CONTROL_PLANE_TOPOLOGY = `${A}/controlPlaneTopology`;
export const ROLE_LABEL = `${A}/role`;
export const GENERATED_BY = `${A}/generated-by-controller-version`;
export const RELEASE_IMAGE_VERSION = `${A}/release-image-version`;

/** Value of generated-by-controller-version on 4.16 (the MCO commit the docs cite). */
export const CONTROLLER_VERSION = "7327bb2353b1d3bbf38f6c5b4e7d2ae9b0ef4b50";

export const UPDATE_TAINT = { key: "UpdateInProgress", effect: "PreferNoSchedule" };
export const UNSCHEDULABLE_TAINT_KEY = "node.kubernetes.io/unschedulable";
