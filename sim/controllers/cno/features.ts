/**
 * Feature migration (cluster-behaviour.md §1.4, `operconfig/migration.go`): runs on every reconcile while
 * `migration.networkType == defaultNetwork.type`, each feature gated by `features == nil || features.<x>`.
 */
import type { Obj, Store } from "../../store.ts";
import { K, OVN, SDN } from "./names.ts";

const NETNS_MULTICAST = "netnamespace.network.openshift.io/multicast-enabled";
const OVN_MULTICAST = "k8s.ovn.org/multicast-enabled";
const EGRESS_ASSIGNABLE = "k8s.ovn.org/egress-assignable";
const SDN_TO_OVN_EGRESS = "networkoperator.openshift.io/sdn-to-ovn-migration";

export function migrateFeatures(store: Store, applied: Obj): void {
  const features = applied.migration?.features;
  const on = (f: string) => !features || features[f] !== false;
  const type = applied.defaultNetwork?.type;
  if (type === OVN) {
    if (on("egressFirewall")) egressFirewallsToOVN(store);
    if (on("multicast")) multicastToOVN(store);
    if (on("egressIP")) egressIPsToOVN(store);
  } else if (type === SDN) {
    if (on("egressFirewall")) egressFirewallsToSDN(store);
    if (on("multicast")) multicastToSDN(store);
  }
}

const has = (store: Store, key: string) => store.hasDef(key);

/** Each EgressNetworkPolicy → EgressFirewall `default` in the same namespace with the same spec. */
function egressFirewallsToOVN(store: Store): void {
  if (!has(store, K.egressNetworkPolicy) || !has(store, K.egressFirewall)) return;
  for (const enp of store.all(K.egressNetworkPolicy)) {
    const ns = enp.metadata.namespace;
    if (store.get(K.egressFirewall, ns, "default")) continue;
    store.create(K.egressFirewall, { metadata: { name: "default", namespace: ns }, spec: structuredClone(enp.spec) });
  }
}

/** EgressFirewall → EgressNetworkPolicy of the same name (`ports` are not supported by SDN and are dropped). */
function egressFirewallsToSDN(store: Store): void {
  if (!has(store, K.egressNetworkPolicy) || !has(store, K.egressFirewall)) return;
  for (const ef of store.all(K.egressFirewall)) {
    const { namespace, name } = ef.metadata;
    if (store.get(K.egressNetworkPolicy, namespace, name)) continue;
    const egress = (ef.spec?.egress ?? []).map((r: Obj) => ({ type: r.type, to: r.to }));
    store.create(K.egressNetworkPolicy, { metadata: { name, namespace }, spec: { egress } });
  }
}

function multicastToOVN(store: Store): void {
  if (!has(store, K.netNamespace)) return;
  for (const netns of store.all(K.netNamespace)) {
    if (netns.metadata.annotations?.[NETNS_MULTICAST] !== "true") continue;
    const ns = store.get(K.namespace, undefined, netns.metadata.name);
    if (!ns || ns.metadata.annotations?.[OVN_MULTICAST] === "true") continue;
    store.mutate(K.namespace, undefined, netns.metadata.name, (o) => {
      o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [OVN_MULTICAST]: "true" };
    });
  }
}

/** Copies the OVN annotation back onto the NetNamespace (once it exists) and removes it from the Namespace. */
function multicastToSDN(store: Store): void {
  if (!has(store, K.netNamespace)) return;
  for (const ns of store.all(K.namespace)) {
    if (ns.metadata.annotations?.[OVN_MULTICAST] !== "true") continue;
    const name = ns.metadata.name;
    const netns = store.get(K.netNamespace, undefined, name);
    if (!netns) continue;
    if (netns.metadata.annotations?.[NETNS_MULTICAST] !== "true") {
      store.mutate(K.netNamespace, undefined, name, (o) => {
        o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [NETNS_MULTICAST]: "true" };
      });
    }
    store.mutate(K.namespace, undefined, name, (o) => {
      delete o.metadata.annotations[OVN_MULTICAST];
    });
  }
}

/** HostSubnet egress config → node label/annotation; NetNamespace egressIPs → EgressIP objects (§1.4). */
function egressIPsToOVN(store: Store): void {
  if (!has(store, K.hostSubnet) || !has(store, K.netNamespace) || !has(store, K.egressIP)) return;
  const subnets = store.all(K.hostSubnet).filter((h) => h.egressIPs?.length || h.egressCIDRs?.length);
  for (const hs of subnets) {
    const node = store.get(K.node, undefined, hs.host ?? hs.metadata.name);
    if (node) {
      store.mutate(K.node, undefined, node.metadata.name, (o) => {
        o.metadata.labels = { ...(o.metadata.labels ?? {}), [EGRESS_ASSIGNABLE]: "" };
        if (hs.egressCIDRs?.length) {
          o.metadata.annotations = {
            ...(o.metadata.annotations ?? {}),
            [SDN_TO_OVN_EGRESS]: JSON.stringify({ EgressCIDRs: hs.egressCIDRs }),
          };
        }
      });
    }
    store.mutate(K.hostSubnet, undefined, hs.metadata.name, (o) => {
      delete o.egressIPs;
      delete o.egressCIDRs;
    });
  }
  // Nothing happens for NetNamespaces when no HostSubnet ever had egress config.
  const anyEgressNode = store.all(K.node).some((n) => n.metadata.labels?.[EGRESS_ASSIGNABLE] !== undefined);
  if (!anyEgressNode) return;
  for (const netns of store.all(K.netNamespace)) {
    const ips: string[] = netns.egressIPs ?? [];
    if (!ips.length) continue;
    if (has(store, K.cloudPrivateIPConfig)) {
      for (const ip of ips) {
        if (store.get(K.cloudPrivateIPConfig, undefined, ip)) store.delete(K.cloudPrivateIPConfig, undefined, ip);
      }
    }
    const name = `egressip-${netns.metadata.name}`;
    if (!store.get(K.egressIP, undefined, name)) {
      store.create(K.egressIP, {
        metadata: { name },
        spec: {
          egressIPs: ips,
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": netns.netname ?? netns.metadata.name } },
        },
      });
    }
    store.mutate(K.netNamespace, undefined, netns.metadata.name, (o) => {
      delete o.egressIPs;
    });
  }
}
