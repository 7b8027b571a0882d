import {
  candidateBlocks,
  type Cidr,
  effectiveInternalSubnets,
  findFree,
  type InternalKind,
  type InternalSubnet,
  overlaps,
  parseCidr,
} from "../cidr.ts";
import { type Facts, valueOf } from "../facts.ts";
import type { Check, CheckContext, CheckResult, InvolvedObject } from "./types.ts";
import { capObjects, fail, listNames, ovnConfig, pass, plural } from "./util.ts";
import { SOURCE_PLUGINS } from "../version.ts";

/** A network the cluster uses, with a name for messages. */
interface InUse {
  name: string;
  cidr: Cidr;
  object?: InvolvedObject;
}

const KIND_NAME: Record<InternalKind, string> = { join: "join", transit: "transit switch", masquerade: "masquerade" };

/** Every network in use: the configured ones, the machine network, node addresses, host subnets and egress IPs. */
export function networksInUse(facts: Facts, ctx: CheckContext): { networks: InUse[]; invalid: string[] } {
  const out: InUse[] = [];
  const invalid: string[] = [];
  const add = (name: string, text: string | undefined, object?: InvolvedObject) => {
    if (!text) return;
    const cidr = parseCidr(text);
    if (cidr) out.push({ name, cidr, object });
    else invalid.push(`${name} "${text}"`);
  };
  const cfg = valueOf(facts.networkConfig);
  const netObj = { kind: "Network", name: "cluster" };
  const planned = ctx.method === "offline" && ctx.options.clusterNetwork;
  if (planned) add("clusterNetwork (--cluster-network)", ctx.options.clusterNetwork);
  else cfg?.spec.clusterNetwork.forEach((c, i) => add(`clusterNetwork[${i}]`, c.cidr, netObj));
  cfg?.spec.serviceNetwork.forEach((c, i) => add(`serviceNetwork[${i}]`, c, netObj));
  const install = valueOf(facts.installConfig);
  if (install?.machineNetwork.length) {
    install.machineNetwork.forEach((c, i) =>
      add(`machineNetwork[${i}]`, c, { kind: "ConfigMap", namespace: "kube-system", name: "cluster-config-v1" })
    );
  } else {
    // No install-config (older or hand-built clusters): the Infrastructure status lists it on some platforms.
    valueOf(facts.infrastructure)?.machineNetworks?.forEach((c, i) =>
      add(`machineNetwork[${i}]`, c, { kind: "Infrastructure", name: "cluster" })
    );
  }
  for (const n of valueOf(facts.nodes) ?? []) {
    for (const ip of n.internalIPs) add(`node ${n.name} InternalIP`, ip, { kind: "Node", name: n.name });
  }
  for (const hs of valueOf(facts.hostSubnets)?.items ?? []) {
    const obj = { kind: "HostSubnet", name: hs.name };
    // Host subnets are re-carved from the cluster network; when a new one is planned they are not kept.
    if (!planned) add(`HostSubnet ${hs.name} subnet`, hs.subnet, obj);
    hs.egressCIDRs.forEach((c) => add(`HostSubnet ${hs.name} egressCIDR`, c, obj));
    hs.egressIPs.forEach((c) => add(`HostSubnet ${hs.name} egressIP`, c, obj));
  }
  for (const nn of valueOf(facts.netNamespaces)?.items ?? []) {
    nn.egressIPs.forEach((c) => add(`NetNamespace ${nn.name} egressIP`, c, { kind: "NetNamespace", name: nn.name }));
  }
  return { networks: out, invalid };
}

/** The patch (and execute flag) that moves one internal subnet to `free`. */
export function fixFor(sub: InternalSubnet, free: string, method: "offline" | "live"): string {
  const v = sub.family === 4 ? "ipv4" : "ipv6";
  let patch: unknown;
  let flag: string | undefined;
  if (sub.kind === "join") {
    // The offline docs set v4InternalSubnet; the live docs set ipv4.internalJoinSubnet (which wins).
    patch = method === "offline" && sub.family === 4 && sub.source !== "ovnKubernetesConfig.ipv4.internalJoinSubnet"
      ? { v4InternalSubnet: free }
      : { [v]: { internalJoinSubnet: free } };
    flag = sub.family === 4 ? "--join-subnet" : "--v6-internal-subnet";
  } else if (sub.kind === "transit") {
    patch = { [v]: { internalTransitSwitchSubnet: free } };
    flag = sub.family === 4 ? "--transit-subnet" : undefined;
  } else {
    patch = { gatewayConfig: { [v]: { internalMasqueradeSubnet: free } } };
  }
  const body = JSON.stringify({ spec: { defaultNetwork: { ovnKubernetesConfig: patch } } });
  const cmd = `oc patch Network.operator.openshift.io cluster --type=merge -p '${body}'`;
  return flag ? `${flag} ${free} (or: ${cmd})` : cmd;
}

export const cidrOverlap: Check = {
  id: "cidr-overlap",
  title: "Address ranges clear of OVN's internal subnets",
  section: "Network configuration",
  methods: ["offline", "live"],
  sources: SOURCE_PLUGINS,
  needs: [
    "networkConfig",
    "networkOperator",
    "installConfig",
    "infrastructure",
    "nodes",
    "hostSubnets",
    "netNamespaces",
  ],
  evaluate(facts, ctx) {
    const internal = effectiveInternalSubnets(ovnConfig(facts), ctx.version?.minor, {
      joinSubnet: ctx.options.joinSubnet,
      v4InternalSubnet: ctx.options.v4InternalSubnet,
      v6InternalSubnet: ctx.options.v6InternalSubnet,
      transitSubnet: ctx.options.transitSubnet,
    });
    const { networks, invalid } = networksInUse(facts, ctx);
    const out: CheckResult[] = [];
    if (invalid.length > 0) {
      out.push(fail(`unreadable address ranges: ${listNames(invalid)}`, "correct the values named here"));
    }
    const usedCidrs = [...networks.map((n) => n.cidr), ...internal.map((s) => s.cidr)];
    const label = (s: InternalSubnet) => `OVN ${KIND_NAME[s.kind]} subnet (${s.cidr.text}, ${s.source})`;

    // Internal subnets must not overlap each other (e.g. a --join-subnet inside the transit range).
    for (let i = 0; i < internal.length; i++) {
      for (let j = i + 1; j < internal.length; j++) {
        if (overlaps(internal[i].cidr, internal[j].cidr)) {
          const moved = internal[i].source.startsWith("--") ? internal[i] : internal[j];
          const [free] = findFree(candidateBlocks(moved.kind, moved.family), moved.cidr.prefix, usedCidrs);
          out.push(fail(
            `${label(internal[i])} overlaps ${label(internal[j])}`,
            free ? fixFor(moved, free.text, ctx.method) : undefined,
            [{ kind: "Network", name: "cluster" }],
          ));
        }
      }
    }
    for (const sub of internal) {
      const hits = networks.filter((n) => overlaps(n.cidr, sub.cidr));
      if (hits.length === 0) continue;
      const [free] = findFree(candidateBlocks(sub.kind, sub.family), sub.cidr.prefix, usedCidrs);
      const nodeHits = hits.filter((h) => h.object?.kind === "Node");
      const otherHits = hits.filter((h) => h.object?.kind !== "Node");
      const described = [
        ...otherHits.map((h) => `${h.name} (${h.cidr.text})`),
        ...(nodeHits.length > 0
          ? [
            `${plural(nodeHits.length, "node address", "node addresses")} (${
              listNames(nodeHits.map((h) => h.cidr.text.replace(/\/(32|128)$/, "")), 3)
            })`,
          ]
          : []),
      ];
      const objects = capObjects(
        [{ kind: "Network", name: "cluster" }, ...hits.flatMap((h) => (h.object ? [h.object] : []))].filter(
          (o, i, all) =>
            all.findIndex((x) => x.kind === o.kind && x.name === o.name && x.namespace === o.namespace) === i,
        ),
      );
      const cannotMove = otherHits.some((h) => h.name.startsWith("serviceNetwork"));
      out.push(fail(
        `network ${listNames(described, 4)} overlaps with ${label(sub)}` +
          (cannotMove ? "; the service network cannot change during a migration, so move the OVN subnet" : "") +
          (free ? `; free range: ${free.text}` : "; no free range found"),
        free ? fixFor(sub, free.text, ctx.method) : undefined,
        objects,
      ));
    }
    // A planned new cluster network must still fit next to the service and machine networks.
    if (ctx.method === "offline" && ctx.options.clusterNetwork) {
      const planned = networks.find((n) => n.name.startsWith("clusterNetwork"));
      for (const n of networks) {
        if (planned && n !== planned && !n.name.startsWith("node ") && overlaps(planned.cidr, n.cidr)) {
          out.push(
            fail(
              `--cluster-network ${planned.cidr.text} overlaps ${n.name} (${n.cidr.text})`,
              "choose another --cluster-network",
            ),
          );
        }
      }
    }
    if (ctx.method === "offline" && ctx.options.clusterNetwork) {
      const planned = parseCidr(ctx.options.clusterNetwork);
      const current = valueOf(facts.networkConfig)?.spec.clusterNetwork.find((c) =>
        parseCidr(c.cidr)?.family === planned?.family
      );
      const hostPrefix = ctx.options.hostPrefix ?? current?.hostPrefix;
      const nodeCount = valueOf(facts.nodes)?.length ?? 0;
      if (planned && hostPrefix !== undefined) {
        const slots = hostPrefix > planned.prefix ? 2 ** Math.min(hostPrefix - planned.prefix, 40) : 0;
        if (slots < nodeCount) {
          out.push(fail(
            `--cluster-network ${planned.text} with host prefix /${hostPrefix} has room for ${slots} node subnets, ` +
              `but the cluster has ${nodeCount} nodes`,
            "choose a larger --cluster-network or a longer --host-prefix",
          ));
        }
      }
    }
    if (out.length > 0) return out;
    const v4 = internal.filter((s) => s.family === 4).map((s) => `${KIND_NAME[s.kind]} ${s.cidr.text}`);
    return pass(
      `${networks.length} networks in use are clear of the OVN internal subnets (${
        v4.join(", ")
      } and their IPv6 peers)`,
    );
  },
};
