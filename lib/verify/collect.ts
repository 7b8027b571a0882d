/**
 * Reads the cluster once into a Facts snapshot. Every read runs in parallel and records its own
 * failure; lists are paged, and metadata-only where names, labels and annotations are enough
 * (pods: only the few egress-router pods are then fetched in full). Nothing is read per node or
 * per namespace.
 */
import { load } from "js-yaml";
import { httpStatus, isNotFound } from "../kube/errors.ts";
import type { Kube, KubeObject, PartialObject } from "../kube/types.ts";
import { R, type ResourceRef } from "../kube/resources.ts";
import {
  type AccessFact,
  type Condition,
  type Facts,
  FACTS_API_VERSION,
  type ListFact,
  type NadFact,
  type NncpFact,
  type Read,
  type WebhookFact,
} from "./facts.ts";
import { accessQuestions } from "./rbac.ts";
import { ASSIGN_MACVLAN } from "./checks/egress_router_pods.ts";

export type FactsKube = Pick<Kube, "server" | "get" | "list" | "listMetadata" | "canI" | "apiGroups">;

export interface CollectOptions {
  now?: () => Date;
  /** Called as reads finish (for a progress line on a terminal). */
  onProgress?: (done: number, total: number) => void;
  /** Discovery already read by the caller (it reads it first to report connection errors as they are). */
  apiGroups?: string[];
}

const KURYR_REFS = {
  kuryrNetworks: R.kuryrNetwork,
  kuryrPorts: { group: "openstack.org", version: "v1", resource: "kuryrports", kind: "KuryrPort", namespaced: true },
  kuryrLoadBalancers: {
    group: "openstack.org",
    version: "v1",
    resource: "kuryrloadbalancers",
    kind: "KuryrLoadBalancer",
    namespaced: true,
  },
  kuryrNetworkPolicies: {
    group: "openstack.org",
    version: "v1",
    resource: "kuryrnetworkpolicies",
    kind: "KuryrNetworkPolicy",
    namespaced: true,
  },
} satisfies Record<string, ResourceRef>;

/** Page size for the big collections (metadata of every pod, namespaces): fewer round trips, bounded pages. */
const BIG_PAGE = 2000;

/** Names CNO renders in openshift-sdn (4.12–4.16), for objects that lost their owner reference. */
const CNO_SDN_DAEMONSETS = new Set(["sdn", "sdn-controller", "ovs"]);

// deno-lint-ignore no-explicit-any
type Any = any;

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function read<T>(f: () => Promise<T>): Promise<Read<T>> {
  try {
    return { value: await f() };
  } catch (e) {
    const status = httpStatus(e);
    return status === undefined ? { error: messageOf(e) } : { error: messageOf(e), status };
  }
}

/** A list whose resource may not be served (CRD absent → 404 → `served: false`). */
async function readServed<T>(f: () => Promise<T[]>): Promise<Read<ListFact<T>>> {
  try {
    return { value: { served: true, items: await f() } };
  } catch (e) {
    const status = httpStatus(e);
    if (isNotFound(e)) return { value: { served: false, items: [] } };
    return status === undefined ? { error: messageOf(e) } : { error: messageOf(e), status };
  }
}

const conditions = (list: Any): Condition[] =>
  Array.isArray(list)
    ? list.map((c: Any) => ({
      type: String(c.type),
      status: String(c.status),
      ...(c.reason ? { reason: String(c.reason) } : {}),
      ...(c.message ? { message: String(c.message) } : {}),
      ...(c.lastTransitionTime ? { lastTransitionTime: String(c.lastTransitionTime) } : {}),
    }))
    : [];

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === "string") : []);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export function clusterVersionFact(o: KubeObject | undefined) {
  if (!o) return null;
  const history: Any[] = o.status?.history ?? [];
  const partial = history.find((h) => h.state === "Partial");
  return {
    desired: str(o.status?.desired?.version) ?? str(history[0]?.version) ?? "",
    ...(history.find((h) => h.state === "Completed")?.version
      ? { completed: String(history.find((h) => h.state === "Completed").version) }
      : {}),
    ...(partial?.version ? { updatingTo: String(partial.version) } : {}),
    conditions: conditions(o.status?.conditions),
  };
}

export function infrastructureFact(o: KubeObject | undefined) {
  if (!o) return null;
  const ps = o.status?.platformStatus ?? {};
  const platform = str(ps.type) ?? str(o.status?.platform) ?? "";
  const perPlatform = Object.values(ps).find((v: Any) => v && typeof v === "object" && Array.isArray(v.resourceTags));
  const withMachine = Object.values(ps).find((v: Any) =>
    v && typeof v === "object" && Array.isArray(v.machineNetworks)
  );
  return {
    platform,
    controlPlaneTopology: str(o.status?.controlPlaneTopology),
    infrastructureTopology: str(o.status?.infrastructureTopology),
    infrastructureName: str(o.status?.infrastructureName),
    apiServerURL: str(o.status?.apiServerURL),
    resourceTags: ((perPlatform as Any)?.resourceTags ?? []).map((t: Any) => ({
      key: String(t.key),
      value: String(t.value),
    })),
    ...(withMachine ? { machineNetworks: strings((withMachine as Any).machineNetworks) } : {}),
  };
}

const clusterNetworks = (v: Any) =>
  Array.isArray(v)
    ? v.map((c: Any) => ({
      cidr: String(c.cidr),
      ...(num(c.hostPrefix) !== undefined ? { hostPrefix: c.hostPrefix } : {}),
    }))
    : [];

export function networkConfigFact(o: KubeObject | undefined) {
  if (!o) return null;
  const st = o.status ?? {};
  return {
    annotations: o.metadata.annotations ?? {},
    spec: {
      networkType: str(o.spec?.networkType),
      clusterNetwork: clusterNetworks(o.spec?.clusterNetwork),
      serviceNetwork: strings(o.spec?.serviceNetwork),
    },
    status: {
      networkType: str(st.networkType),
      clusterNetwork: clusterNetworks(st.clusterNetwork),
      serviceNetwork: strings(st.serviceNetwork),
      clusterNetworkMTU: num(st.clusterNetworkMTU),
      ...(st.migration ? { migration: { networkType: str(st.migration.networkType), mtu: st.migration.mtu } } : {}),
      conditions: conditions(st.conditions),
    },
  };
}

export function networkOperatorFact(o: KubeObject | undefined) {
  if (!o) return null;
  const spec = o.spec ?? {};
  const dn = spec.defaultNetwork ?? {};
  const sdn = dn.openshiftSDNConfig;
  const ovn = dn.ovnKubernetesConfig;
  const pair = (v: Any) =>
    v
      ? {
        internalJoinSubnet: str(v.internalJoinSubnet),
        internalTransitSwitchSubnet: str(v.internalTransitSwitchSubnet),
      }
      : undefined;
  return {
    managementState: str(spec.managementState),
    migration: spec.migration
      ? {
        networkType: str(spec.migration.networkType),
        mode: str(spec.migration.mode),
        mtu: spec.migration.mtu,
        features: spec.migration.features,
      }
      : null,
    defaultNetwork: {
      type: str(dn.type),
      openshiftSDNConfig: sdn ? { mode: str(sdn.mode), vxlanPort: num(sdn.vxlanPort), mtu: num(sdn.mtu) } : undefined,
      ovnKubernetesConfig: ovn
        ? {
          mtu: num(ovn.mtu),
          genevePort: num(ovn.genevePort),
          v4InternalSubnet: str(ovn.v4InternalSubnet),
          v6InternalSubnet: str(ovn.v6InternalSubnet),
          ipv4: pair(ovn.ipv4),
          ipv6: pair(ovn.ipv6),
          gatewayConfig: ovn.gatewayConfig
            ? {
              ipv4: { internalMasqueradeSubnet: str(ovn.gatewayConfig.ipv4?.internalMasqueradeSubnet) },
              ipv6: { internalMasqueradeSubnet: str(ovn.gatewayConfig.ipv6?.internalMasqueradeSubnet) },
            }
            : undefined,
        }
        : undefined,
    },
    additionalNetworks: (Array.isArray(spec.additionalNetworks) ? spec.additionalNetworks : []).map((a: Any) => ({
      name: String(a.name),
      namespace: str(a.namespace),
      type: str(a.type),
      macvlanMaster: str(a.simpleMacvlanConfig?.master),
    })),
    conditions: conditions(o.status?.conditions),
  };
}

export function nodeFact(o: KubeObject) {
  const labels = o.metadata.labels ?? {};
  const ready = (o.status?.conditions ?? []).find((c: Any) => c.type === "Ready");
  return {
    name: o.metadata.name,
    roles: Object.keys(labels).filter((k) => k.startsWith("node-role.kubernetes.io/")).map((k) =>
      k.slice("node-role.kubernetes.io/".length)
    ),
    ready: ready?.status === "True",
    ...(ready && ready.status !== "True" && ready.message ? { readyMessage: String(ready.message) } : {}),
    unschedulable: o.spec?.unschedulable === true,
    internalIPs: (o.status?.addresses ?? []).filter((a: Any) => a.type === "InternalIP").map((a: Any) =>
      String(a.address)
    ),
    mcState: o.metadata.annotations?.["machineconfiguration.openshift.io/state"],
  };
}

export function poolFact(o: KubeObject) {
  const st = o.status ?? {};
  return {
    name: o.metadata.name,
    paused: o.spec?.paused === true,
    maxUnavailable: o.spec?.maxUnavailable ?? undefined,
    machineCount: num(st.machineCount) ?? 0,
    updatedMachineCount: num(st.updatedMachineCount) ?? 0,
    readyMachineCount: num(st.readyMachineCount) ?? 0,
    degradedMachineCount: num(st.degradedMachineCount) ?? 0,
    unavailableMachineCount: num(st.unavailableMachineCount) ?? 0,
    conditions: conditions(st.conditions),
  };
}

export function installConfigFact(o: KubeObject | undefined) {
  const empty = { present: false, machineNetwork: [], clusterNetwork: [], serviceNetwork: [] };
  const text = o?.data?.["install-config"];
  if (typeof text !== "string") return empty;
  try {
    const ic = load(text) as Any;
    const net = ic?.networking ?? {};
    return {
      present: true,
      machineNetwork: (net.machineNetwork ?? []).map((m: Any) => String(m.cidr)),
      clusterNetwork: (net.clusterNetwork ?? []).map((m: Any) => String(m.cidr)),
      serviceNetwork: strings(net.serviceNetwork),
      platform: ic?.platform && typeof ic.platform === "object" ? Object.keys(ic.platform)[0] : undefined,
    };
  } catch (e) {
    return { ...empty, present: true, parseError: messageOf(e) };
  }
}

export function mtuFact(o: KubeObject | undefined) {
  if (!o) return { present: false };
  const raw = o.data?.mtu;
  const n = typeof raw === "string" && /^\d+$/.test(raw.trim()) ? Number(raw) : undefined;
  return { present: true, ...(n !== undefined ? { mtu: n } : {}), ...(typeof raw === "string" ? { raw } : {}) };
}

/** Egress router mode from the pod spec: proxy modes use their own images/env; the rest is redirect. */
export function egressRouterPodFact(o: KubeObject) {
  const containers: Any[] = [...(o.spec?.initContainers ?? []), ...(o.spec?.containers ?? [])];
  const env = new Map<string, string>();
  for (const c of containers) for (const e of c.env ?? []) if (typeof e.value === "string") env.set(e.name, e.value);
  const images = containers.map((c) => String(c.image ?? ""));
  const routerMode = env.get("EGRESS_ROUTER_MODE");
  const mode = routerMode === "http-proxy" || images.some((i) => i.includes("egress-http-proxy"))
    ? "http-proxy" as const
    : routerMode === "dns-proxy" || images.some((i) => i.includes("egress-dns-proxy"))
    ? "dns-proxy" as const
    : routerMode === "init" || routerMode === undefined || env.has("EGRESS_DESTINATION")
    ? "redirect" as const
    : "unknown" as const;
  return {
    namespace: o.metadata.namespace ?? "",
    name: o.metadata.name,
    ...(o.spec?.nodeName ? { node: String(o.spec.nodeName) } : {}),
    mode,
    ...(env.has("EGRESS_DESTINATION") ? { destination: env.get("EGRESS_DESTINATION") } : {}),
  };
}

export function nncpFact(o: KubeObject): NncpFact {
  const ifaces: Any[] = o.spec?.desiredState?.interfaces ?? [];
  const cond = (o.status?.conditions ?? []).find((c: Any) => c.status === "True");
  return {
    name: o.metadata.name,
    interfaces: ifaces.map((i) => ({
      name: String(i.name),
      type: str(i.type),
      ipv4Enabled: i.ipv4?.enabled === true,
      dhcp: i.ipv4?.dhcp === true,
      addresses: (i.ipv4?.address ?? []).map((a: Any) => `${a.ip}/${a["prefix-length"] ?? 32}`),
      ports: [
        ...(i.bridge?.port ?? []).map((p: Any) => String(p.name)),
        ...(i["link-aggregation"]?.port ?? []).map((p: Any) => String(p)),
      ],
    })),
    ...(cond ? { status: String(cond.type) } : {}),
  };
}

export function nadFact(o: KubeObject): NadFact {
  const base = { namespace: o.metadata.namespace ?? "", name: o.metadata.name };
  const raw = o.spec?.config;
  if (typeof raw !== "string" || raw.trim() === "") return { ...base, types: [] };
  try {
    const cfg = JSON.parse(raw);
    const plugins: Any[] = Array.isArray(cfg.plugins) ? cfg.plugins : [cfg];
    const withMaster = plugins.find((p) => typeof p.master === "string");
    const withBridge = plugins.find((p) => typeof p.bridge === "string");
    return {
      ...base,
      types: plugins.map((p) => String(p.type ?? "")).filter(Boolean),
      ...(withMaster ? { master: withMaster.master } : {}),
      ...(withBridge ? { bridge: withBridge.bridge } : {}),
    };
  } catch (e) {
    return { ...base, types: [], parseError: messageOf(e) };
  }
}

export function pdbFact(o: KubeObject) {
  return {
    namespace: o.metadata.namespace ?? "",
    name: o.metadata.name,
    minAvailable: o.spec?.minAvailable,
    maxUnavailable: o.spec?.maxUnavailable,
    disruptionsAllowed: num(o.status?.disruptionsAllowed),
    expectedPods: num(o.status?.expectedPods),
    currentHealthy: num(o.status?.currentHealthy),
  };
}

export function webhookFacts(kind: WebhookFact["kind"], o: KubeObject): WebhookFact[] {
  return (o.webhooks ?? []).map((w: Any, index: number) => ({
    kind,
    configuration: o.metadata.name,
    index,
    name: String(w.name),
    timeoutSeconds: num(w.timeoutSeconds),
    failurePolicy: str(w.failurePolicy),
    resources: [...new Set<string>((w.rules ?? []).flatMap((r: Any) => strings(r.resources)))],
  }));
}

const managedByCNO = (o: PartialObject) =>
  (o.metadata.ownerReferences ?? []).some((r) =>
    r.kind === "Network" && r.apiVersion.startsWith("operator.openshift.io")
  ) ||
  CNO_SDN_DAEMONSETS.has(o.metadata.name);

const countOf = (items: PartialObject[]) => ({
  count: items.length,
  sample: items.slice(0, 10).map((i) => ({ namespace: i.metadata.namespace, name: i.metadata.name })),
});

export async function collectFacts(kube: FactsKube, opts: CollectOptions = {}): Promise<Facts> {
  const collectedAt = (opts.now?.() ?? new Date()).toISOString();
  const apiGroups = await read(() => opts.apiGroups ? Promise.resolve(opts.apiGroups) : kube.apiGroups());
  const base = { apiVersion: FACTS_API_VERSION, collectedAt, server: kube.server, apiGroups } as const;
  const openshift = "value" in apiGroups && apiGroups.value.includes("config.openshift.io");
  if (!openshift) {
    // Nothing else to read: preflight stops here (not OpenShift, or the API is unreachable).
    const why = "value" in apiGroups ? "not an OpenShift cluster" : `API unreachable: ${apiGroups.error}`;
    const e = { error: why };
    return {
      ...base,
      clusterVersion: e,
      infrastructure: e,
      networkConfig: e,
      networkOperator: e,
      clusterOperators: e,
      nodes: e,
      machineConfigPools: e,
      mtuConfigMap: e,
      installConfig: e,
      hostSubnets: e,
      netNamespaces: e,
      egressNetworkPolicies: e,
      egressRouterPods: e,
      namespaces: e,
      sdnDaemonSets: e,
      nncps: e,
      networkAttachmentDefinitions: e,
      podDisruptionBudgets: e,
      webhooks: e,
      kuryr: e,
      access: e,
    };
  }

  let done = 0;
  const TOTAL = 21;
  const tick = <T>(p: Promise<T>) => p.finally(() => opts.onProgress?.(++done, TOTAL));

  const networkConfig = tick(read(async () => networkConfigFact(await kube.get(R.networkConfig, "cluster"))));
  const kuryr = networkConfig.then((cfg) => {
    const isKuryr = "value" in cfg && (cfg.value?.status.networkType ?? cfg.value?.spec.networkType) === "Kuryr";
    const one = async (ref: ResourceRef) => {
      try {
        return { served: true, ...countOf(await kube.listMetadata(ref)) };
      } catch (e) {
        if (isNotFound(e)) return { served: false, count: 0, sample: [] };
        throw e;
      }
    };
    const none = { served: false, count: 0, sample: [] };
    return tick(read(async () => {
      if (!isKuryr) {
        return { kuryrNetworks: none, kuryrPorts: none, kuryrLoadBalancers: none, kuryrNetworkPolicies: none };
      }
      const [kuryrNetworks, kuryrPorts, kuryrLoadBalancers, kuryrNetworkPolicies] = await Promise.all([
        one(KURYR_REFS.kuryrNetworks),
        one(KURYR_REFS.kuryrPorts),
        one(KURYR_REFS.kuryrLoadBalancers),
        one(KURYR_REFS.kuryrNetworkPolicies),
      ]);
      return { kuryrNetworks, kuryrPorts, kuryrLoadBalancers, kuryrNetworkPolicies };
    }));
  });

  const egressRouterPods = tick(read(async () => {
    const annotated = (await kube.listMetadata(R.pod, { pageSize: BIG_PAGE })).filter((p) =>
      ASSIGN_MACVLAN in (p.metadata.annotations ?? {})
    );
    return await Promise.all(annotated.map(async (p) => {
      const ref = { namespace: p.metadata.namespace ?? "", name: p.metadata.name };
      try {
        const full = await kube.get(R.pod, p.metadata.name, p.metadata.namespace);
        return full ? egressRouterPodFact(full) : { ...ref, mode: "unknown" as const, error: "deleted while reading" };
      } catch (e) {
        return { ...ref, mode: "unknown" as const, error: messageOf(e) };
      }
    }));
  }));

  const webhooks = tick(read(async () => {
    const [v, m] = await Promise.all([kube.list(R.validatingWebhook), kube.list(R.mutatingWebhook)]);
    return [
      ...v.flatMap((o) => webhookFacts("ValidatingWebhookConfiguration", o)),
      ...m.flatMap((o) => webhookFacts("MutatingWebhookConfiguration", o)),
    ];
  }));

  const [
    clusterVersion,
    infrastructure,
    networkOperator,
    clusterOperators,
    nodes,
    machineConfigPools,
    mtuConfigMap,
    installConfig,
    hostSubnets,
    netNamespaces,
    egressNetworkPolicies,
    namespaces,
    sdnDaemonSets,
    nncps,
    networkAttachmentDefinitions,
    podDisruptionBudgets,
    access,
  ] = await Promise.all([
    tick(read(async () => clusterVersionFact(await kube.get(R.clusterVersion, "version")))),
    tick(read(async () => infrastructureFact(await kube.get(R.infrastructure, "cluster")))),
    tick(read(async () => networkOperatorFact(await kube.get(R.networkOperator, "cluster")))),
    tick(
      read(async () =>
        (await kube.list(R.clusterOperator)).map((o) => ({
          name: o.metadata.name,
          conditions: conditions(o.status?.conditions),
        }))
      ),
    ),
    tick(read(async () => (await kube.list(R.node)).map(nodeFact))),
    tick(readServed(async () => (await kube.list(R.machineConfigPool)).map(poolFact))),
    tick(read(async () => mtuFact(await kube.get(R.configMap, "mtu", "openshift-network-operator")))),
    tick(read(async () => installConfigFact(await kube.get(R.configMap, "cluster-config-v1", "kube-system")))),
    tick(readServed(async () =>
      (await kube.list(R.hostSubnet)).map((o) => ({
        name: o.metadata.name,
        host: str(o.host),
        hostIP: str(o.hostIP),
        subnet: str(o.subnet),
        egressIPs: strings(o.egressIPs),
        egressCIDRs: strings(o.egressCIDRs),
      }))
    )),
    tick(readServed(async () =>
      (await kube.list(R.netNamespace, { pageSize: BIG_PAGE })).map((o) => ({
        name: o.metadata.name,
        netid: num(o.netid),
        egressIPs: strings(o.egressIPs),
        multicast: o.metadata.annotations?.["netnamespace.network.openshift.io/multicast-enabled"] === "true",
      }))
    )),
    tick(
      readServed(async () =>
        (await kube.listMetadata(R.egressNetworkPolicy)).map((o) => ({
          namespace: o.metadata.namespace,
          name: o.metadata.name,
        }))
      ),
    ),
    tick(read(async () => (await kube.listMetadata(R.namespace, { pageSize: BIG_PAGE })).map((o) => o.metadata.name))),
    tick(read(async () =>
      (await kube.listMetadata(R.daemonSet, { namespace: "openshift-sdn" })).map((o) => ({
        name: o.metadata.name,
        managedByCNO: managedByCNO(o),
      }))
    )),
    tick(readServed(async () => (await kube.list(R.nncp)).map(nncpFact))),
    tick(readServed(async () => (await kube.list(R.networkAttachmentDefinition)).map(nadFact))),
    tick(read(async () => (await kube.list(R.podDisruptionBudget)).map(pdbFact))),
    tick(read(async (): Promise<AccessFact[]> =>
      (await kube.canI(accessQuestions())).map((d) => ({
        verb: d.verb,
        group: d.group,
        resource: d.resource,
        ...(d.subresource ? { subresource: d.subresource } : {}),
        ...(d.namespace ? { namespace: d.namespace } : {}),
        ...(d.name ? { name: d.name } : {}),
        allowed: d.allowed,
        ...(d.reason ? { reason: d.reason } : {}),
      }))
    )),
  ]);

  return {
    ...base,
    clusterVersion,
    infrastructure,
    networkConfig: await networkConfig,
    networkOperator,
    clusterOperators,
    nodes,
    machineConfigPools,
    mtuConfigMap,
    installConfig,
    hostSubnets,
    netNamespaces,
    egressNetworkPolicies,
    egressRouterPods: await egressRouterPods,
    namespaces,
    sdnDaemonSets,
    nncps,
    networkAttachmentDefinitions,
    podDisruptionBudgets,
    webhooks: await webhooks,
    kuryr: await kuryr,
    access,
  };
}
