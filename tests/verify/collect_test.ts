import assert from "node:assert/strict";
import {
  collectFacts,
  egressRouterPodFact,
  infrastructureFact,
  installConfigFact,
  nadFact,
} from "../../lib/verify/collect.ts";
import { parseFacts, valueOf } from "../../lib/verify/facts.ts";
import { R } from "../../lib/kube/resources.ts";
import { sdnCluster } from "./sdn_cluster.ts";

Deno.test("collectFacts: reads every fact, and the snapshot parses against the schema after a JSON round trip", async () => {
  const kube = sdnCluster();
  const facts = await collectFacts(kube, { now: () => new Date("2026-11-23T12:00:00Z") });
  const again = parseFacts(JSON.parse(JSON.stringify(facts)));
  assert.equal(again.collectedAt, "2026-11-23T12:00:00.000Z");
  assert.equal(valueOf(facts.clusterVersion)?.desired, "4.16.20");
  assert.equal(valueOf(facts.infrastructure)?.platform, "AWS");
  assert.equal(valueOf(facts.networkConfig)?.status.clusterNetworkMTU, 1450);
  assert.equal(valueOf(facts.networkOperator)?.defaultNetwork.openshiftSDNConfig?.mode, "NetworkPolicy");
  assert.deepEqual(valueOf(facts.nodes)?.map((n) => [n.name, n.roles[0], n.internalIPs[0]]).slice(0, 1), [[
    "node-0",
    "master",
    "10.0.0.10",
  ]]);
  assert.deepEqual(valueOf(facts.installConfig)?.machineNetwork, ["10.0.0.0/16"]);
  assert.deepEqual(valueOf(facts.mtuConfigMap), { present: true, mtu: 1500, raw: "1500" });
  assert.deepEqual(valueOf(facts.egressRouterPods), [
    { namespace: "egress", name: "egress-1", node: "node-2", mode: "redirect", destination: "80 tcp 203.0.113.25" },
  ]);
  assert.deepEqual(valueOf(facts.sdnDaemonSets), [{ name: "sdn", managedByCNO: true }, {
    name: "custom-agent",
    managedByCNO: false,
  }]);
  assert.deepEqual(valueOf(facts.nncps), { served: false, items: [] });
  assert.deepEqual(valueOf(facts.networkAttachmentDefinitions)?.items[0].types, ["macvlan"]);
  assert.equal(valueOf(facts.netNamespaces)?.items.find((n) => n.name === "app")?.multicast, true);
  assert.equal(valueOf(facts.egressNetworkPolicies)?.items.length, 1);
  assert.equal(valueOf(facts.webhooks)?.[0].resources[0], "pods");
  assert.ok(valueOf(facts.access)!.every((a) => a.allowed));
});

Deno.test("collectFacts: metadata-only lists for pods, nothing per node or per namespace", async () => {
  const kube = sdnCluster();
  await collectFacts(kube);
  const podReads = kube.calls.filter((c) => c.resource === "pods");
  assert.deepEqual(podReads.filter((c) => c.op === "list"), [], "pods are never listed in full");
  assert.equal(podReads.filter((c) => c.op === "listMetadata").length, 1);
  assert.deepEqual(
    podReads.filter((c) => c.op === "get").map((c) => `${c.namespace}/${c.name}`),
    ["egress/egress-1"],
    "only the annotated pod is fetched in full",
  );
  assert.equal(kube.calls.filter((c) => c.op === "get" && c.resource === "nodes").length, 0);
  assert.equal(kube.calls.filter((c) => c.resource === "namespaces" && c.op !== "listMetadata").length, 0);
  assert.ok(kube.calls.filter((c) => c.op === "get" && c.resource === "netnamespaces").length === 0);
  assert.equal(kube.calls.filter((c) => c.op === "listMetadata" && c.resource === "egressnetworkpolicies").length, 1);
  // Every collection is read exactly once.
  const lists = kube.calls.filter((c) => c.op === "list" || c.op === "listMetadata").map((c) =>
    `${c.op} ${c.resource}`
  );
  assert.equal(new Set(lists).size, lists.length, `duplicate list: ${lists.join(", ")}`);
  assert.equal(kube.calls.filter((c) => c.op === "canI").length, 1);
  assert.equal(kube.calls.filter((c) => c.resource?.startsWith("kuryr")).length, 0, "no Kuryr reads on an SDN cluster");
  // The DaemonSet list is scoped to openshift-sdn.
  assert.deepEqual(kube.calls.filter((c) => c.resource === "daemonsets").map((c) => c.namespace), ["openshift-sdn"]);
});

Deno.test("collectFacts: a forbidden read is recorded as an error, not thrown", async () => {
  const kube = sdnCluster();
  kube.forbidden.add(R.hostSubnet.resource);
  kube.forbidden.add(R.pod.resource);
  const facts = await collectFacts(kube);
  assert.ok("error" in facts.hostSubnets);
  assert.equal("status" in facts.hostSubnets ? facts.hostSubnets.status : undefined, 403);
  assert.ok("error" in facts.egressRouterPods);
  assert.equal(valueOf(facts.clusterVersion)?.desired, "4.16.20");
});

Deno.test("collectFacts: a non-OpenShift server is read no further than discovery", async () => {
  const kube = sdnCluster();
  kube.groups = ["apps", "batch"];
  const facts = await collectFacts(kube);
  assert.deepEqual(kube.calls.map((c) => c.op), ["apiGroups"]);
  assert.ok("error" in facts.networkConfig);
  parseFacts(JSON.parse(JSON.stringify(facts)));
});

Deno.test("collectFacts: Kuryr clusters get the Kuryr inventory", async () => {
  const kube = sdnCluster().edit(R.networkConfig, "cluster", (o) => {
    o.spec.networkType = "Kuryr";
    o.status.networkType = "Kuryr";
  });
  kube.add(R.kuryrNetwork, { metadata: { name: "app", namespace: "app" } });
  kube.unserved.add("kuryrloadbalancers");
  const facts = await collectFacts(kube);
  const k = valueOf(facts.kuryr)!;
  assert.equal(k.kuryrNetworks.count, 1);
  assert.deepEqual(k.kuryrNetworks.sample, [{ namespace: "app", name: "app" }]);
  assert.equal(k.kuryrLoadBalancers.served, false);
});

Deno.test("infrastructureFact: resource tags and machine networks from the platform status", () => {
  const f = infrastructureFact({
    metadata: { name: "cluster" },
    status: {
      platformStatus: { type: "BareMetal", baremetal: { machineNetworks: ["192.168.111.0/24"] } },
      controlPlaneTopology: "External",
    },
  });
  assert.deepEqual(f?.machineNetworks, ["192.168.111.0/24"]);
  assert.equal(f?.controlPlaneTopology, "External");
  const rosa = infrastructureFact({
    metadata: { name: "cluster" },
    status: { platformStatus: { type: "AWS", aws: { resourceTags: [{ key: "red-hat-managed", value: "true" }] } } },
  });
  assert.deepEqual(rosa?.resourceTags, [{ key: "red-hat-managed", value: "true" }]);
  assert.equal(rosa?.machineNetworks, undefined);
});

Deno.test("egressRouterPodFact: the mode comes from the router's env and images", () => {
  const pod = (env: { name: string; value: string }[], image = "registry.redhat.io/openshift4/ose-pod") => ({
    metadata: { name: "r", namespace: "n" },
    spec: { initContainers: [{ name: "init", image: "ose-egress-router", env }], containers: [{ name: "c", image }] },
  });
  assert.equal(egressRouterPodFact(pod([{ name: "EGRESS_ROUTER_MODE", value: "init" }])).mode, "redirect");
  assert.equal(egressRouterPodFact(pod([{ name: "EGRESS_ROUTER_MODE", value: "http-proxy" }])).mode, "http-proxy");
  assert.equal(egressRouterPodFact(pod([], "registry.redhat.io/openshift4/ose-egress-dns-proxy")).mode, "dns-proxy");
});

Deno.test("nadFact and installConfigFact tolerate bad input", () => {
  assert.equal(nadFact({ metadata: { name: "x", namespace: "y" }, spec: { config: "{not json" } }).types.length, 0);
  assert.ok(nadFact({ metadata: { name: "x", namespace: "y" }, spec: { config: "{not json" } }).parseError);
  const list = nadFact({
    metadata: { name: "x", namespace: "y" },
    spec: { config: JSON.stringify({ plugins: [{ type: "ipvlan", master: "ens5" }, { type: "tuning" }] }) },
  });
  assert.deepEqual([list.types, list.master], [["ipvlan", "tuning"], "ens5"]);
  const bad = installConfigFact({ metadata: { name: "cluster-config-v1" }, data: { "install-config": "a: [" } });
  assert.equal(bad.present, true);
  assert.ok("parseError" in bad && bad.parseError);
  assert.equal(installConfigFact(undefined).present, false);
});
