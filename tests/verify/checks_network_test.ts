import assert from "node:assert/strict";
import { cidrOverlap } from "../../lib/verify/checks/cidr_overlap.ts";
import { mtu } from "../../lib/verify/checks/mtu.ts";
import { genevePort } from "../../lib/verify/checks/geneve_port.ts";
import { sdnIsolationMode } from "../../lib/verify/checks/sdn_isolation_mode.ts";
import { healthyFacts, v, withFacts } from "./fixtures.ts";
import { evalCheck, worst } from "./helpers.ts";

Deno.test("cidr-overlap: the healthy cluster is clear", () => {
  const r = evalCheck(cidrOverlap, healthyFacts(), "live");
  assert.equal(worst(r), "pass");
  assert.match(
    r[0].message,
    /join 100\.64\.0\.0\/16, transit switch 100\.88\.0\.0\/16, masquerade 169\.254\.169\.0\/29/,
  );
});

Deno.test("cidr-overlap: service network on the join subnet names both networks and suggests a free range", () => {
  const f = withFacts((f) => (v(f.networkConfig)!.spec.serviceNetwork = ["100.64.0.0/16"]));
  const r = evalCheck(cidrOverlap, f, "live");
  assert.equal(worst(r), "fail");
  assert.equal(r.length, 1);
  assert.match(
    r[0].message,
    /network serviceNetwork\[0\] \(100\.64\.0\.0\/16\) overlaps with OVN join subnet \(100\.64\.0\.0\/16, default \(4\.16\)\)/,
  );
  assert.match(r[0].message, /free range: 100\.65\.0\.0\/16/);
  assert.match(
    r[0].fix!,
    /^--join-subnet 100\.65\.0\.0\/16 \(or: oc patch Network\.operator\.openshift\.io cluster --type=merge -p/,
  );
  assert.match(r[0].fix!, /"ipv4":\{"internalJoinSubnet":"100\.65\.0\.0\/16"\}/);
  // Offline uses the documented v4InternalSubnet field.
  assert.match(evalCheck(cidrOverlap, f, "offline")[0].fix!, /"v4InternalSubnet":"100\.65\.0\.0\/16"/);
});

Deno.test("cidr-overlap: honours the configured join subnet and the command-line value", () => {
  const moved = withFacts((f) => {
    v(f.networkConfig)!.spec.serviceNetwork = ["100.64.0.0/16"];
    v(f.networkOperator)!.defaultNetwork.ovnKubernetesConfig = { ipv4: { internalJoinSubnet: "100.65.0.0/16" } };
  });
  assert.equal(worst(evalCheck(cidrOverlap, moved, "live")), "pass");
  const clash = withFacts((f) => (v(f.networkConfig)!.spec.serviceNetwork = ["100.64.0.0/16"]));
  assert.equal(worst(evalCheck(cidrOverlap, clash, "live", { joinSubnet: "100.66.0.0/16" })), "pass");
  const bad = evalCheck(cidrOverlap, healthyFacts(), "live", { joinSubnet: "172.30.0.0/16" });
  assert.equal(worst(bad), "fail");
  assert.match(
    bad[0].message,
    /serviceNetwork\[0\] \(172\.30\.0\.0\/16\) overlaps with OVN join subnet \(172\.30\.0\.0\/16, --join-subnet\)/,
  );
});

Deno.test("cidr-overlap: internal subnets overlapping each other fail", () => {
  const r = evalCheck(cidrOverlap, healthyFacts(), "live", { joinSubnet: "100.88.0.0/16" });
  assert.equal(worst(r), "fail");
  assert.match(r[0].message, /OVN join subnet \(100\.88\.0\.0\/16, --join-subnet\) overlaps OVN transit switch subnet/);
});

Deno.test("cidr-overlap: machine network, node IPs, egress CIDRs and IPv6 are all compared", () => {
  const machine = withFacts((f) => {
    v(f.installConfig).machineNetwork = ["100.88.0.0/20"];
    v(f.nodes)[0].internalIPs = ["100.88.0.5"];
  });
  const r = evalCheck(cidrOverlap, machine, "offline");
  assert.match(
    r[0].message,
    /machineNetwork\[0\] \(100\.88\.0\.0\/20\).*1 node address \(100\.88\.0\.5\).*transit switch/,
  );
  assert.match(r[0].fix!, /internalTransitSwitchSubnet/);
  assert.ok(r[0].objects!.some((o) => o.kind === "Node" && o.name === "master-0"));
  const egress = withFacts((f) => (v(f.hostSubnets).items[3].egressCIDRs = ["169.254.169.0/24"]));
  const re = evalCheck(cidrOverlap, egress, "live");
  assert.match(
    re[0].message,
    /HostSubnet worker-0 egressCIDR \(169\.254\.169\.0\/24\) overlaps with OVN masquerade subnet/,
  );
  assert.match(re[0].fix!, /internalMasqueradeSubnet/);
  const v6 = withFacts((f) => v(f.networkConfig)!.spec.clusterNetwork.push({ cidr: "fd98::/56", hostPrefix: 64 }));
  const r6 = evalCheck(cidrOverlap, v6, "live");
  assert.match(r6[0].message, /clusterNetwork\[1\] \(fd98::\/56\) overlaps with OVN join subnet \(fd98::\/64/);
  assert.match(r6[0].fix!, /--v6-internal-subnet fd98:0:0:100::\/64/);
});

Deno.test("cidr-overlap: a planned --cluster-network replaces the current one for offline only", () => {
  const r = evalCheck(cidrOverlap, healthyFacts(), "offline", { clusterNetwork: "100.64.0.0/14" });
  assert.match(r[0].message, /clusterNetwork \(--cluster-network\) \(100\.64\.0\.0\/14\) overlaps with OVN join/);
  assert.equal(worst(evalCheck(cidrOverlap, healthyFacts(), "live", { clusterNetwork: "100.64.0.0/14" })), "pass");
  const clash = evalCheck(cidrOverlap, healthyFacts(), "offline", { clusterNetwork: "172.30.0.0/15" });
  assert.ok(clash.some((x) => /--cluster-network 172\.30\.0\.0\/15 overlaps serviceNetwork\[0\]/.test(x.message)));
});

Deno.test("mtu: missing ConfigMap fails live with the create command, warns offline", () => {
  const f = withFacts((f) => (f.mtuConfigMap = { value: { present: false } }));
  const r = evalCheck(mtu, f, "live");
  assert.equal(worst(r), "fail");
  assert.match(r[0].message, /ConfigMap openshift-network-operator\/mtu is missing/);
  assert.match(r[0].fix!, /oc create configmap mtu -n openshift-network-operator --from-literal=mtu=1500/);
  assert.equal(worst(evalCheck(mtu, f, "offline")), "warn");
});

Deno.test("mtu: resulting MTU and the --mtu edge at hardware − 100", () => {
  const r = evalCheck(mtu, healthyFacts(), "live");
  assert.equal(worst(r), "pass");
  assert.match(r[0].message, /hardware MTU 1500: the cluster MTU goes from 1450 to 1400/);
  assert.equal(worst(evalCheck(mtu, healthyFacts(), "offline", { mtu: 1400 })), "pass");
  const over = evalCheck(mtu, healthyFacts(), "offline", { mtu: 1401 });
  assert.equal(worst(over), "fail");
  assert.match(over[0].message, /--mtu 1401 exceeds the hardware MTU 1500 − 100 bytes of Geneve overhead = 1400/);
  const jumbo = withFacts((f) => (f.mtuConfigMap = { value: { present: true, mtu: 9000, raw: "9000" } }));
  assert.equal(worst(evalCheck(mtu, jumbo, "offline", { mtu: 8900 })), "pass");
});

Deno.test("mtu: a custom SDN MTU warns offline that it will change", () => {
  const f = withFacts((f) => (v(f.networkConfig)!.status.clusterNetworkMTU = 1300));
  const r = evalCheck(mtu, f, "offline");
  assert.equal(worst(r), "warn");
  assert.match(r[0].fix!, /--mtu 1300/);
});

Deno.test("geneve-port: equal to the VXLAN port fails; OpenStack warns with the SG rule", () => {
  assert.equal(worst(evalCheck(genevePort, healthyFacts(), "live")), "pass");
  const r = evalCheck(genevePort, healthyFacts(), "offline", { genevePort: 4789 });
  assert.equal(worst(r), "fail");
  assert.match(r[0].message, /Geneve port 4789 \(--geneve-port\) equals the VXLAN port 4789/);
  const osp = withFacts((f) => (v(f.infrastructure)!.platform = "OpenStack"));
  const ro = evalCheck(genevePort, osp, "offline");
  assert.equal(worst(ro), "warn");
  assert.match(ro[0].fix!, /openstack security group rule create --protocol udp --dst-port 6081 sim-x7k2p-worker/);
  assert.equal(
    worst(evalCheck(genevePort, withFacts((f) => (v(f.infrastructure)!.platform = "BareMetal")), "live")),
    "warn",
  );
});

Deno.test("sdn-isolation-mode: Multitenant fails live, warns offline with the NetworkPolicy note", () => {
  assert.equal(worst(evalCheck(sdnIsolationMode, healthyFacts(), "live")), "pass");
  const mt = withFacts((f) => (v(f.networkOperator)!.defaultNetwork.openshiftSDNConfig!.mode = "Multitenant"));
  const live = evalCheck(sdnIsolationMode, mt, "live");
  assert.equal(worst(live), "fail");
  assert.match(live[0].message, /not supported on SDN Multitenant clusters/);
  const off = evalCheck(sdnIsolationMode, mt, "offline");
  assert.equal(worst(off), "warn");
  assert.match(off[0].message, /NetworkPolicies.*1 NetNamespaces with netid 0/);
  const subnet = withFacts((f) => (v(f.networkOperator)!.defaultNetwork.openshiftSDNConfig!.mode = "Subnet"));
  assert.equal(worst(evalCheck(sdnIsolationMode, subnet, "live")), "fail");
  assert.equal(worst(evalCheck(sdnIsolationMode, subnet, "offline")), "warn");
});

Deno.test("cidr-overlap: without an install-config the Infrastructure machine networks are used", () => {
  const f = withFacts((f) => {
    f.installConfig = { value: { present: false, machineNetwork: [], clusterNetwork: [], serviceNetwork: [] } };
    v(f.infrastructure)!.machineNetworks = ["100.64.0.0/20"];
  });
  const r = evalCheck(cidrOverlap, f, "live");
  assert.match(r[0].message, /machineNetwork\[0\] \(100\.64\.0\.0\/20\) overlaps with OVN join subnet/);
  assert.ok(r[0].objects!.some((o) => o.kind === "Infrastructure"));
});

Deno.test("cidr-overlap: a planned cluster network must hold a subnet per node", () => {
  assert.equal(
    worst(evalCheck(cidrOverlap, healthyFacts(), "offline", { clusterNetwork: "10.200.0.0/21", hostPrefix: 24 })),
    "pass",
  );
  const r = evalCheck(cidrOverlap, healthyFacts(), "offline", { clusterNetwork: "10.200.0.0/22", hostPrefix: 24 });
  assert.equal(worst(r), "fail");
  assert.match(r[0].message, /room for 4 node subnets, but the cluster has 6 nodes/);
});
