/**
 * The cluster builder: every built-in scenario builds in a fresh context, and each carries the facts the
 * preflight checks (product.md §3.1) read, in the shapes of cluster-behaviour.md §4.
 */
import assert from "node:assert/strict";
import { newSimContext } from "../../../sim/context.ts";
import { buildCluster } from "../../../sim/scenario/build.ts";
import { listScenarios } from "../../../sim/scenario/load.ts";
import { ScenarioSpec } from "../../../sim/scenario/schema.ts";
import type { Obj } from "../../../sim/store.ts";
import { built, get, K } from "./_helpers.ts";

const MIGRATION_ANNOTATION = "network.openshift.io/network-type-migration";
const MACVLAN = "pod.network.openshift.io/assign-macvlan";

Deno.test("every built-in scenario except sdn-large builds in a fresh context", async () => {
  for (const name of await listScenarios()) {
    if (name === "sdn-large") continue; // its own test
    const ctx = await built(name);
    assert.ok(ctx.store.all(K.node).length > 0, `${name}: no nodes`);
    assert.ok(ctx.store.get(K.namespace, undefined, "default"), `${name}: no default namespace`);
  }
});

Deno.test("sdn-small: 4.16 AWS, SDN NetworkPolicy, 3 masters + 3 workers, healthy config (§4.1, §4.2, §4.4)", async () => {
  const ctx = await built("sdn-small");
  const nodes = ctx.store.all(K.node);
  assert.equal(nodes.filter((n) => "node-role.kubernetes.io/master" in n.metadata.labels).length, 3);
  assert.equal(nodes.filter((n) => "node-role.kubernetes.io/worker" in n.metadata.labels).length, 3);
  for (const n of nodes) {
    assert.equal(n.status.conditions.find((c: Obj) => c.type === "Ready").status, "True");
    assert.match(n.status.nodeInfo.osImage, /^Red Hat Enterprise Linux CoreOS 416\./);
    assert.match(n.status.nodeInfo.bootID, /^[0-9a-f-]{36}$/);
    assert.match(n.status.addresses.find((a: Obj) => a.type === "InternalIP").address, /^10\.0\.\d+\.\d+$/);
    assert.equal(n.metadata.labels["kubernetes.io/os"], "linux");
    assert.ok(n.metadata.labels["topology.kubernetes.io/zone"]);
  }
  assert.equal(new Set(nodes.map((n) => n.status.nodeInfo.bootID)).size, 6);

  const infra = get(ctx, K.infrastructure, undefined, "cluster");
  assert.equal(infra.status.platformStatus.type, "AWS");
  assert.equal(infra.status.platform, "AWS");
  assert.equal(infra.status.controlPlaneTopology, "HighlyAvailable");
  assert.equal(infra.status.infrastructureTopology, "HighlyAvailable");

  const cv = get(ctx, K.clusterVersion, undefined, "version");
  assert.equal(cv.status.desired.version, "4.16.20");
  assert.deepEqual(cv.status.history.map((h: Obj) => h.state), ["Completed"]);
  assert.equal(cv.spec.channel, "stable-4.16");

  const nc = get(ctx, K.networkConfig, undefined, "cluster");
  assert.equal(nc.spec.networkType, "OpenShiftSDN");
  assert.equal(nc.status.networkType, "OpenShiftSDN");
  assert.equal(nc.status.clusterNetworkMTU, 1450);
  assert.deepEqual(nc.spec.clusterNetwork, [{ cidr: "10.128.0.0/14", hostPrefix: 23 }]);
  assert.deepEqual(nc.spec.serviceNetwork, ["172.30.0.0/16"]);
  assert.equal(nc.metadata.annotations?.[MIGRATION_ANNOTATION], undefined);

  const no = get(ctx, K.networkOperator, undefined, "cluster");
  assert.deepEqual(no.spec.defaultNetwork, {
    type: "OpenShiftSDN",
    openshiftSDNConfig: { mode: "NetworkPolicy", vxlanPort: 4789, mtu: 1450 },
  });
  assert.equal(no.spec.managementState, "Managed");
  assert.equal(no.spec.migration, undefined);
  assert.equal(no.status, undefined, "network.operator status belongs to the CNO");

  assert.equal(get(ctx, K.configMap, "openshift-network-operator", "mtu").data.mtu, "1500");
  for (const ns of ["openshift-sdn", "openshift-network-operator", "openshift-multus", "openshift-monitoring"]) {
    assert.ok(ctx.store.get(K.namespace, undefined, ns), ns);
  }
  assert.equal(ctx.store.get(K.namespace, undefined, "openshift-ovn-kubernetes"), undefined);

  const cos = ctx.store.all(K.clusterOperator);
  assert.ok(cos.length >= 12);
  assert.ok(cos.some((c) => c.metadata.name === "network"));
  assert.ok(cos.every((c) => c.status === undefined), "ClusterOperator status belongs to the operators controller");

  const pools = ctx.store.all(K.pool);
  assert.deepEqual(pools.map((p) => p.metadata.name).sort(), ["master", "worker"]);
  const worker = pools.find((p) => p.metadata.name === "worker")!;
  assert.deepEqual(worker.spec.nodeSelector, { matchLabels: { "node-role.kubernetes.io/worker": "" } });
  assert.equal(worker.spec.paused, false);
  assert.equal(worker.spec.maxUnavailable, 1);
  assert.equal(worker.status, undefined, "pool status belongs to the MCO");

  // No controller-owned objects.
  assert.equal(ctx.store.all("machineconfiguration.openshift.io/machineconfigs").length, 0);
  assert.equal(ctx.store.get(K.daemonSet, "openshift-sdn", "sdn"), undefined);
  assert.equal(ctx.store.get(K.configMap, "openshift-network-operator", "applied-cluster"), undefined);
  const mcd = get(ctx, K.daemonSet, "openshift-machine-config-operator", "machine-config-daemon");
  assert.equal(mcd.spec.template.spec.hostNetwork, true);
  assert.ok(mcd.spec.template.spec.containers.some((c: Obj) => c.name === "machine-config-daemon"));
  assert.equal(
    ctx.store.all(K.pod).filter((p) => p.metadata.namespace === "openshift-machine-config-operator").length,
    0,
  );

  assert.equal(ctx.scenario.users.find((u) => u.name === "readonly")?.rules[0].verbs.join(","), "get,list,watch");
});

Deno.test("sdn-small: SDN objects — a HostSubnet per node carved from the cluster network, a NetNamespace per namespace (§4.6)", async () => {
  const ctx = await built("sdn-small");
  const subnets = ctx.store.all(K.hostSubnet);
  assert.equal(subnets.length, 6);
  const master0 = get(ctx, K.hostSubnet, undefined, "master-0");
  assert.equal(master0.host, "master-0");
  assert.equal(master0.subnet, "10.128.0.0/23");
  assert.equal(get(ctx, K.hostSubnet, undefined, "master-1").subnet, "10.128.2.0/23");
  const node = get(ctx, K.node, undefined, "master-0");
  assert.equal(master0.hostIP, node.status.addresses[0].address);
  assert.equal(new Set(subnets.map((s) => s.subnet)).size, 6);

  const namespaces = ctx.store.all(K.namespace).map((n) => n.metadata.name).sort();
  const netns = ctx.store.all(K.netNamespace);
  assert.deepEqual(netns.map((n) => n.metadata.name).sort(), namespaces);
  assert.equal(get(ctx, K.netNamespace, undefined, "default").netid, 0);
  const shop = get(ctx, K.netNamespace, undefined, "shop");
  assert.equal(shop.netname, "shop");
  assert.ok(shop.netid > 0);
  assert.equal(
    get(ctx, "network.openshift.io/clusternetworks", undefined, "default").pluginName,
    "redhat/openshift-ovs-networkpolicy",
  );
});

Deno.test("sdn-small: platform workloads and scenario pods are Running with IPs from their node's subnet", async () => {
  const ctx = await built("sdn-small");
  for (const i of [0, 1]) {
    const p = get(ctx, K.pod, "openshift-monitoring", `prometheus-k8s-${i}`);
    assert.equal(p.status.phase, "Running");
    assert.ok(p.spec.containers.some((c: Obj) => c.name === "prometheus"));
    assert.match(p.spec.nodeName, /^worker-/);
    assert.equal(p.status.conditions.find((c: Obj) => c.type === "Ready").status, "True");
  }
  const routers = ctx.store.all(K.pod, "openshift-ingress");
  assert.equal(routers.length, 2);
  const shop = ctx.store.all(K.pod, "shop");
  assert.equal(shop.length, 3);
  for (const p of [...routers, ...shop]) {
    const hs = get(ctx, K.hostSubnet, undefined, p.spec.nodeName);
    const [base] = hs.subnet.split("/");
    assert.equal(p.status.podIP.split(".").slice(0, 2).join("."), base.split(".").slice(0, 2).join("."));
    assert.equal(p.status.hostIP, hs.hostIP);
  }
  const ips = ctx.store.all(K.pod).map((p) => p.status.podIP);
  assert.equal(new Set(ips).size, ips.length, "pod IPs are unique");
});

Deno.test("sdn-multitenant: Multitenant mode with joined and global NetNamespaces", async () => {
  const ctx = await built("sdn-multitenant");
  const no = get(ctx, K.networkOperator, undefined, "cluster");
  assert.equal(no.spec.defaultNetwork.openshiftSDNConfig.mode, "Multitenant");
  const netid = (n: string) => get(ctx, K.netNamespace, undefined, n).netid;
  assert.equal(netid("team-a"), netid("team-b"));
  assert.equal(netid("shared-tools"), 0);
  assert.equal(netid("kube-system"), 0);
  assert.notEqual(netid("team-c"), netid("team-a"));
  assert.equal(
    get(ctx, "network.openshift.io/clusternetworks", undefined, "default").pluginName,
    "redhat/openshift-ovs-multitenant",
  );
});

Deno.test("sdn-egress-router: egress router pods in redirect, HTTP-proxy and DNS-proxy modes", async () => {
  const ctx = await built("sdn-egress-router");
  const routers = ctx.store.all(K.pod).filter((p) => p.metadata.annotations?.[MACVLAN] === "true");
  assert.deepEqual(routers.map((p) => p.metadata.name).sort(), [
    "egress-router-dns-proxy",
    "egress-router-http-proxy",
    "egress-router-redirect",
  ]);
  const mode = (p: Obj) => p.spec.initContainers[0].env.find((e: Obj) => e.name === "EGRESS_ROUTER_MODE").value;
  assert.deepEqual(routers.map(mode).sort(), ["dns-proxy", "http-proxy", "init"]);
  for (const p of routers) {
    assert.equal(p.metadata.namespace, "egress-router-project");
    assert.equal(p.status.phase, "Running");
  }
  assert.equal(get(ctx, K.pod, "egress-router-project", "egress-router-redirect").spec.nodeName, "worker-0");
});

Deno.test("sdn-cidr-overlap: the service network is OVN's default join subnet", async () => {
  const ctx = await built("sdn-cidr-overlap");
  assert.deepEqual(get(ctx, K.networkConfig, undefined, "cluster").spec.serviceNetwork, ["100.64.0.0/16"]);
  assert.deepEqual(get(ctx, K.networkOperator, undefined, "cluster").spec.serviceNetwork, ["100.64.0.0/16"]);
});

Deno.test("sdn-paused-pool and sdn-degraded-pool carry the pool facts (pool status is the MCO's)", async () => {
  const paused = await built("sdn-paused-pool");
  assert.equal(get(paused, K.pool, undefined, "worker").spec.paused, true);
  assert.equal(get(paused, K.pool, undefined, "master").spec.paused, false);
  const degraded = await built("sdn-degraded-pool");
  assert.match(degraded.scenario.pools.find((p) => p.name === "worker")!.degradedReason!, /content mismatch/);
});

Deno.test("sdn-unmanaged-ds: an extra DaemonSet in openshift-sdn", async () => {
  const ctx = await built("sdn-unmanaged-ds");
  assert.deepEqual(ctx.store.all(K.daemonSet, "openshift-sdn").map((d) => d.metadata.name), ["sdn-debug-tools"]);
});

Deno.test("sdn-no-mtu-configmap: no ConfigMap openshift-network-operator/mtu", async () => {
  const ctx = await built("sdn-no-mtu-configmap");
  assert.equal(ctx.store.get(K.configMap, "openshift-network-operator", "mtu"), undefined);
  assert.equal(get(ctx, K.networkConfig, undefined, "cluster").status.clusterNetworkMTU, 1450);
});

Deno.test("hypershift: External control plane, no masters, only a worker pool", async () => {
  const ctx = await built("hypershift");
  const infra = get(ctx, K.infrastructure, undefined, "cluster");
  assert.equal(infra.status.controlPlaneTopology, "External");
  assert.deepEqual(ctx.store.all(K.pool).map((p) => p.metadata.name), ["worker"]);
  assert.ok(ctx.store.all(K.node).every((n) => !("node-role.kubernetes.io/master" in n.metadata.labels)));
  assert.equal(ctx.store.get(K.clusterOperator, undefined, "etcd"), undefined);
});

Deno.test("ovn-after-offline: leftovers of the offline procedure (procedures.md §5 step 14)", async () => {
  const ctx = await built("ovn-after-offline");
  const nc = get(ctx, K.networkConfig, undefined, "cluster");
  assert.equal(nc.spec.networkType, "OVNKubernetes");
  assert.equal(nc.status.networkType, "OVNKubernetes");
  assert.equal(nc.status.clusterNetworkMTU, 1400);
  assert.equal(nc.metadata.annotations?.[MIGRATION_ANNOTATION], undefined);
  const no = get(ctx, K.networkOperator, undefined, "cluster");
  assert.deepEqual(no.spec.migration, { networkType: "OVNKubernetes" });
  assert.equal(no.spec.defaultNetwork.type, "OVNKubernetes");
  assert.deepEqual(no.spec.defaultNetwork.openshiftSDNConfig, { mode: "NetworkPolicy", vxlanPort: 4789, mtu: 1450 });
  assert.equal(no.spec.defaultNetwork.ovnKubernetesConfig.mtu, 1400);
  assert.equal(no.spec.defaultNetwork.ovnKubernetesConfig.genevePort, 6081);
  assert.ok(ctx.store.get(K.namespace, undefined, "openshift-sdn"));
  assert.ok(ctx.store.get(K.namespace, undefined, "openshift-ovn-kubernetes"));
  assert.equal(ctx.store.all(K.hostSubnet).length, 0);
  assert.equal(ctx.store.all(K.netNamespace).length, 0);
});

Deno.test("ovn-after-live: the annotation stays, conditions are reset to completed (§2.3, §2.4, §2.7)", async () => {
  const ctx = await built("ovn-after-live");
  const nc = get(ctx, K.networkConfig, undefined, "cluster");
  assert.equal(nc.metadata.annotations[MIGRATION_ANNOTATION], "");
  assert.equal(nc.status.networkType, "OVNKubernetes");
  const cond = (t: string) => nc.status.conditions.find((c: Obj) => c.type === t);
  assert.equal(cond("NetworkTypeMigrationInProgress").status, "False");
  assert.equal(cond("NetworkTypeMigrationInProgress").reason, "NetworkTypeMigrationCompleted");
  for (const t of ["MTUReady", "TargetCNIAvailable", "TargetCNIInUse", "OriginalCNIPurged"]) {
    assert.equal(cond(`NetworkTypeMigration${t}`).status, "Unknown");
    assert.equal(cond(`NetworkTypeMigration${t}`).reason, "NetworkTypeMigrationNotInProgress");
  }
  const no = get(ctx, K.networkOperator, undefined, "cluster");
  assert.equal(no.spec.migration, undefined);
  assert.ok(no.spec.defaultNetwork.openshiftSDNConfig);
  assert.ok(ctx.store.get(K.namespace, undefined, "openshift-sdn"));
});

Deno.test("ocp-4.14-sdn: version 4.14 everywhere the tool looks", async () => {
  const ctx = await built("ocp-4.14-sdn");
  assert.equal(get(ctx, K.clusterVersion, undefined, "version").status.desired.version, "4.14.38");
  const node = ctx.store.all(K.node)[0];
  assert.match(node.status.nodeInfo.kubeletVersion, /^v1\.27\./);
  assert.match(node.status.nodeInfo.osImage, /CoreOS 414\./);
});

Deno.test("not-openshift: plain Kubernetes, no OpenShift resources or objects", async () => {
  const ctx = await built("not-openshift");
  assert.equal(ctx.store.hasDef(K.networkConfig), false);
  assert.equal(ctx.store.hasDef(K.pool), false);
  assert.ok(ctx.store.all(K.namespace).every((n) => !n.metadata.name.startsWith("openshift")));
  assert.equal(ctx.store.all(K.node).length, 3);
  assert.ok(ctx.store.all(K.pod, "kube-system").length > 0);
  assert.doesNotMatch(ctx.store.all(K.node)[0].status.nodeInfo.osImage, /CoreOS/);
});

Deno.test("sdn-egress-ip: manual and automatic egress IPs, a renamed EgressNetworkPolicy, multicast", async () => {
  const ctx = await built("sdn-egress-ip");
  const hs = (n: string) => get(ctx, K.hostSubnet, undefined, n);
  assert.deepEqual(hs("worker-0").egressIPs, ["10.0.0.200"]);
  assert.equal(hs("worker-0").egressCIDRs, undefined);
  assert.deepEqual(hs("worker-1").egressCIDRs, ["10.0.0.192/27"]);
  assert.deepEqual(hs("worker-2").egressCIDRs, ["10.0.0.192/27"]);
  // Merged into the generated HostSubnet: the generated fields stay.
  assert.equal(hs("worker-0").host, "worker-0");
  assert.match(hs("worker-0").subnet, /^10\.12[89]\./);
  assert.deepEqual(get(ctx, K.netNamespace, undefined, "egress-manual").egressIPs, ["10.0.0.200"]);
  assert.ok(get(ctx, K.netNamespace, undefined, "egress-manual").netid > 0);
  assert.deepEqual(get(ctx, K.netNamespace, undefined, "egress-auto").egressIPs, ["10.0.0.210"]);
  assert.equal(
    get(ctx, K.netNamespace, undefined, "streaming").metadata.annotations[
      "netnamespace.network.openshift.io/multicast-enabled"
    ],
    "true",
  );
  assert.deepEqual(ctx.store.all(K.egressNetworkPolicy).map((e) => e.metadata.name), ["egress-rules"]);
  assert.equal(get(ctx, K.cloudPrivateIP, undefined, "10.0.0.200").spec.node, "worker-0");
});

Deno.test("sdn-nncp-primary: an NNCP on the primary NIC and a NAD on the default NIC", async () => {
  const ctx = await built("sdn-nncp-primary");
  const nncp = get(ctx, K.nncp, undefined, "bondmaster0");
  assert.equal(nncp.spec.desiredState.interfaces[0].name, "bond0");
  assert.equal(nncp.spec.desiredState.interfaces[0].ipv4.dhcp, true);
  assert.equal(nncp.status.conditions[0].reason, "SuccessfullyConfigured");
  const nad = get(ctx, K.nad, "telco", "macvlan-default-nic");
  assert.equal(JSON.parse(nad.spec.config).master, "bond0");
  assert.equal(get(ctx, K.infrastructure, undefined, "cluster").status.platformStatus.type, "BareMetal");
});

Deno.test("sdn-pdb-webhook: a blocking PDB and a webhook with a 30 s timeout", async () => {
  const ctx = await built("sdn-pdb-webhook");
  const pdb = get(ctx, K.pdb, "payments", "db-pdb");
  assert.equal(pdb.spec.minAvailable, 2);
  assert.equal(pdb.status.disruptionsAllowed, 0);
  assert.equal(ctx.store.all(K.pod, "payments").filter((p) => p.metadata.labels.app === "db").length, 2);
  assert.equal(get(ctx, K.vwc, undefined, "payments-policy.example.com").webhooks[0].timeoutSeconds, 30);
});

Deno.test("sdn-upgrading: ClusterVersion with a Partial update to the target", async () => {
  const ctx = await built("sdn-upgrading");
  const cv = get(ctx, K.clusterVersion, undefined, "version");
  assert.equal(cv.status.desired.version, "4.16.21");
  assert.deepEqual(cv.status.history.map((h: Obj) => [h.state, h.version]), [["Partial", "4.16.21"], [
    "Completed",
    "4.16.20",
  ]]);
  assert.equal(cv.status.history[0].completionTime, null);
});

Deno.test("sdn-restricted-user and sdn-managed carry their user and platform facts", async () => {
  const restricted = await built("sdn-restricted-user");
  const dev = restricted.scenario.users.find((u) => u.name === "dev")!;
  assert.equal(dev.clusterAdmin, false);
  assert.deepEqual(dev.rules[0].namespaces, ["dev-project"]);
  assert.ok(restricted.scenario.users.some((u) => u.name === "kube:admin" && u.clusterAdmin));
  const managed = await built("sdn-managed");
  assert.equal(managed.scenario.managed, true);
  const tags = get(managed, K.infrastructure, undefined, "cluster").status.platformStatus.aws.resourceTags;
  assert.deepEqual(tags.find((t: Obj) => t.key === "red-hat-managed"), { key: "red-hat-managed", value: "true" });
  assert.ok(managed.store.get(K.namespace, undefined, "openshift-backplane"));
});

Deno.test("prometheusMissing leaves out the prometheus-k8s pods; hardwareMTU sets the MTUs", () => {
  const spec = ScenarioSpec.parse({
    name: "t",
    faults: { prometheusMissing: true },
    network: { hardwareMTU: 9000, type: "OVNKubernetes" },
  });
  const ctx = newSimContext(spec);
  buildCluster(ctx);
  assert.equal(ctx.store.all(K.pod, "openshift-monitoring").length, 0);
  assert.equal(get(ctx, K.networkConfig, undefined, "cluster").status.clusterNetworkMTU, 8900);
  assert.equal(get(ctx, K.configMap, "openshift-network-operator", "mtu").data.mtu, "9000");
  assert.ok(ctx.store.get(K.namespace, undefined, "openshift-ovn-kubernetes"));
  assert.equal(ctx.store.get(K.namespace, undefined, "openshift-sdn"), undefined);
});

Deno.test("ovnKubernetesConfig overrides reach network.operator (SDN keeps them aside, OVN merges them)", () => {
  const sdn = newSimContext(ScenarioSpec.parse({
    name: "t",
    network: { ovnKubernetesConfig: { ipv4: { internalJoinSubnet: "100.63.0.0/16" } } },
  }));
  buildCluster(sdn);
  const sdnNo = get(sdn, K.networkOperator, undefined, "cluster");
  assert.equal(sdnNo.spec.defaultNetwork.type, "OpenShiftSDN");
  assert.equal(sdnNo.spec.defaultNetwork.ovnKubernetesConfig.ipv4.internalJoinSubnet, "100.63.0.0/16");
  const ovn = newSimContext(ScenarioSpec.parse({
    name: "t",
    network: {
      type: "OVNKubernetes",
      ovnKubernetesConfig: { mtu: 1300, ipv4: { internalJoinSubnet: "100.63.0.0/16" } },
    },
  }));
  buildCluster(ovn);
  const cfg = get(ovn, K.networkOperator, undefined, "cluster").spec.defaultNetwork.ovnKubernetesConfig;
  assert.equal(cfg.mtu, 1300);
  assert.equal(cfg.genevePort, 6081);
  assert.equal(cfg.ipv4.internalJoinSubnet, "100.63.0.0/16");
  assert.equal(get(ovn, K.networkConfig, undefined, "cluster").status.clusterNetworkMTU, 1300);
});

Deno.test("custom pools, node names and generated objects; scenario objects for unknown kinds are refused", () => {
  const ctx = newSimContext(ScenarioSpec.parse({
    name: "t",
    pools: [
      { name: "master", nodes: 3 },
      { name: "worker", nodes: 2, nodeNames: ["ip-10-0-1-5", "ip-10-0-1-6"] },
      { name: "infra", nodes: 1, paused: true, maxUnavailable: "50%" },
    ],
    generate: { namespaces: 4, podsPerNamespace: 3, egressNetworkPolicyEvery: 2, multicastEvery: 4 },
  }));
  buildCluster(ctx);
  assert.ok(ctx.store.get(K.node, undefined, "ip-10-0-1-5"));
  const infra = get(ctx, K.pool, undefined, "infra");
  assert.deepEqual(infra.spec.nodeSelector.matchLabels, { "node-role.kubernetes.io/infra": "" });
  assert.equal(infra.spec.maxUnavailable, "50%");
  assert.deepEqual(infra.spec.machineConfigSelector.matchExpressions[0].values, ["worker", "infra"]);
  assert.equal(ctx.store.all(K.pod, "project-0003").length, 3);
  assert.deepEqual(ctx.store.all(K.egressNetworkPolicy).map((e) => e.metadata.namespace).sort(), [
    "project-0002",
    "project-0004",
  ]);
  const multicast = ctx.store.all(K.netNamespace).filter((n) =>
    n.metadata.annotations?.["netnamespace.network.openshift.io/multicast-enabled"] === "true"
  );
  assert.deepEqual(multicast.map((n) => n.metadata.name), ["project-0004"]);
  // Generated pods avoid the masters.
  assert.ok(ctx.store.all(K.pod, "project-0001").every((p) => !p.spec.nodeName.startsWith("master")));

  const bad = newSimContext(
    ScenarioSpec.parse({ name: "t", objects: [{ apiVersion: "v9", kind: "Gadget", metadata: { name: "x" } }] }),
  );
  assert.throws(() => buildCluster(bad), /objects\[0\]: the simulator does not serve Gadget in v9/);
});

Deno.test("two builds of one scenario give the same names, addresses and subnets (deterministic)", async () => {
  const a = await built("sdn-egress-ip");
  const b = await built("sdn-egress-ip");
  const facts = (ctx: typeof a) =>
    ctx.store.all(K.pod).map((p) => `${p.metadata.namespace}/${p.metadata.name}@${p.spec.nodeName}:${p.status.podIP}`)
      .sort();
  assert.deepEqual(facts(a), facts(b));
  assert.deepEqual(
    a.store.all(K.node).map((n) => n.status.nodeInfo.bootID).sort(),
    b.store.all(K.node).map((n) => n.status.nodeInfo.bootID).sort(),
  );
});

Deno.test("kuryr-4.14: Kuryr on OpenStack with a KuryrNetwork per namespace (procedures.md §3)", async () => {
  const ctx = await built("kuryr-4.14");
  assert.equal(get(ctx, K.networkConfig, undefined, "cluster").spec.networkType, "Kuryr");
  assert.equal(get(ctx, K.networkOperator, undefined, "cluster").spec.defaultNetwork.type, "Kuryr");
  assert.equal(get(ctx, K.infrastructure, undefined, "cluster").status.platformStatus.type, "OpenStack");
  assert.ok(ctx.store.get(K.namespace, undefined, "openshift-kuryr"));
  assert.equal(ctx.store.all(K.hostSubnet).length, 0);
  const kns = ctx.store.all("openstack.org/kuryrnetworks");
  assert.equal(kns.length, ctx.store.all(K.namespace).length);
  const demo = get(ctx, "openstack.org/kuryrnetworks", "demo", "demo");
  assert.equal(demo.spec.nsName, "demo");
  assert.deepEqual(demo.metadata.finalizers, ["kuryrnetwork.finalizers.kuryr.openstack.org"]);
  const cm = get(ctx, K.configMap, "openshift-kuryr", "kuryr-config");
  assert.equal(cm.metadata.annotations["networkoperator.openshift.io/kuryr-octavia-provider"], "ovn");
});

Deno.test("sdn-vxlan-port: SDN's VXLAN port is OVN's default Geneve port", async () => {
  const ctx = await built("sdn-vxlan-port");
  const no = get(ctx, K.networkOperator, undefined, "cluster");
  assert.equal(no.spec.defaultNetwork.openshiftSDNConfig.vxlanPort, 6081);
  assert.equal(get(ctx, "network.openshift.io/clusternetworks", undefined, "default").vxlanPort, 6081);
});
