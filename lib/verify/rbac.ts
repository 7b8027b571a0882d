/**
 * The exact API permissions each migration method needs (SelfSubjectAccessReview attributes).
 * Preflight asks for all of them once; the `rbac` check lists the missing ones for the chosen method.
 */
import type { AccessAttributes } from "../kube/types.ts";
import type { MigrationMethod } from "./options.ts";

export interface RequiredAccess extends AccessAttributes {
  /** Why the tool needs it (shown next to a missing permission). */
  why: string;
  methods: MigrationMethod[];
}

const both: MigrationMethod[] = ["offline", "live"];

export const REQUIRED_ACCESS: readonly RequiredAccess[] = [
  // Read what preflight and the wait loops read.
  { verb: "get", group: "config.openshift.io", resource: "clusterversions", why: "read the version", methods: both },
  {
    verb: "list",
    group: "config.openshift.io",
    resource: "clusteroperators",
    why: "wait for healthy operators",
    methods: both,
  },
  {
    verb: "watch",
    group: "config.openshift.io",
    resource: "clusteroperators",
    why: "wait for healthy operators",
    methods: both,
  },
  { verb: "list", group: "", resource: "nodes", why: "follow node reboots", methods: both },
  { verb: "watch", group: "", resource: "nodes", why: "follow node reboots", methods: both },
  {
    verb: "list",
    group: "machineconfiguration.openshift.io",
    resource: "machineconfigpools",
    why: "wait for pools",
    methods: both,
  },
  {
    verb: "watch",
    group: "machineconfiguration.openshift.io",
    resource: "machineconfigpools",
    why: "wait for pools",
    methods: both,
  },
  {
    verb: "get",
    group: "machineconfiguration.openshift.io",
    resource: "machineconfigs",
    why: "verify the rendered config",
    methods: ["offline"],
  },
  { verb: "list", group: "", resource: "pods", why: "find egress router pods", methods: both },
  // The progress record (ConfigMap kube-system/oc-ovn-migrate-progress) that makes a run resumable.
  ...(["get", "create", "update"] as const).map((verb) => ({
    verb,
    group: "",
    resource: "configmaps",
    namespace: "kube-system",
    why: "keep the migration's progress in the cluster",
    methods: both,
  })),
  // The network configuration itself.
  {
    verb: "get",
    group: "config.openshift.io",
    resource: "networks",
    name: "cluster",
    why: "back up network.config",
    methods: both,
  },
  {
    verb: "patch",
    group: "config.openshift.io",
    resource: "networks",
    name: "cluster",
    why: "switch spec.networkType",
    methods: both,
  },
  {
    verb: "get",
    group: "operator.openshift.io",
    resource: "networks",
    name: "cluster",
    why: "back up network.operator",
    methods: both,
  },
  {
    verb: "patch",
    group: "operator.openshift.io",
    resource: "networks",
    name: "cluster",
    why: "set spec.migration and ovnKubernetesConfig",
    methods: both,
  },
  {
    verb: "get",
    group: "",
    resource: "configmaps",
    namespace: "openshift-network-operator",
    name: "mtu",
    why: "read the hardware MTU",
    methods: both,
  },
  // Offline: pool pausing for rollback safety, reboots through the machine-config-daemon, Multus rollout.
  {
    verb: "patch",
    group: "machineconfiguration.openshift.io",
    resource: "machineconfigpools",
    why: "pause and resume pools",
    methods: ["offline"],
  },
  {
    verb: "list",
    group: "",
    resource: "pods",
    namespace: "openshift-machine-config-operator",
    why: "find machine-config-daemon pods",
    methods: ["offline"],
  },
  {
    verb: "create",
    group: "",
    resource: "pods",
    subresource: "exec",
    namespace: "openshift-machine-config-operator",
    why: "reboot nodes (chroot /rootfs shutdown -r +1)",
    methods: ["offline"],
  },
  {
    verb: "get",
    group: "apps",
    resource: "daemonsets",
    namespace: "openshift-multus",
    name: "multus",
    why: "wait for the Multus rollout",
    methods: ["offline"],
  },
  // Live: egress router pods deleted on request, metrics read from Prometheus.
  {
    verb: "delete",
    group: "",
    resource: "pods",
    why: "delete egress router pods (--delete-egress-router-pods)",
    methods: ["live"],
  },
  {
    verb: "create",
    group: "",
    resource: "pods",
    subresource: "exec",
    namespace: "openshift-monitoring",
    why: "read migration metrics from prometheus-k8s",
    methods: ["live"],
  },
  // Clean-up at the end of both procedures.
  {
    verb: "delete",
    group: "",
    resource: "namespaces",
    name: "openshift-sdn",
    why: "remove the openshift-sdn namespace",
    methods: both,
  },
];

/** The attributes to ask about (once each). */
export function accessQuestions(): AccessAttributes[] {
  return REQUIRED_ACCESS.map(({ verb, group, resource, subresource, namespace, name }) => ({
    verb,
    group,
    resource,
    ...(subresource ? { subresource } : {}),
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
  }));
}

export const accessKey = (a: AccessAttributes) =>
  [a.verb, a.group, a.resource, a.subresource ?? "", a.namespace ?? "", a.name ?? ""].join("|");

/** `verb resource.group[/sub] [name] [-n ns]` as `oc auth can-i` takes it. */
export function describeAccess(a: AccessAttributes): string {
  const res = (a.group ? `${a.resource}.${a.group}` : a.resource) + (a.subresource ? `/${a.subresource}` : "");
  return `${a.verb} ${res}${a.name ? ` ${a.name}` : ""}${a.namespace ? ` -n ${a.namespace}` : ""}`;
}
