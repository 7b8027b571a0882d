/**
 * Neutron v2.0 of the simulated OpenStack over HTTPS: filters as Neutron applies them (attributes, repeated
 * values, tenant_id, fixed_ips, the four tag filters, fields), pagination links, the tags sub-API, router
 * interfaces by subnet and by port, trunk subports, and Neutron's real conflicts and 404s.
 */
import assert from "node:assert/strict";
import { os, type Rec, startKuryr, stored, tokenFor } from "./helpers.ts";

const sim = await startKuryr("kuryr-4.14", { timeScale: 100 });
const TAG = sim.openstack.clusterTag;
const OTHER = "openshiftClusterID=ostest-9qzt4";
const token = await tokenFor(sim);
const member = await tokenFor(sim, "member");
const N = "/network/v2.0";
const get = (path: string, t = token) => os(sim, N + path, { token: t });
const send = (method: string, path: string, body?: unknown) => os(sim, N + path, { method, token, body });
const enc = encodeURIComponent;

Deno.test({
  name: "neutron: version document and extensions (trunk, tag, pagination)",
  sanitizeResources: false,
  fn: async () => {
    const v = await os(sim, "/network/");
    assert.equal(v.body.versions[0].id, "v2.0");
    assert.equal(v.body.versions[0].status, "CURRENT");
    const ext = await get("/extensions");
    const aliases = ext.body.extensions.map((e: Rec) => e.alias);
    for (const a of ["trunk", "standard-attr-tag", "router", "security-group", "subnet_allocation", "pagination"]) {
      assert.ok(aliases.includes(a), a);
    }
  },
});

Deno.test({
  name:
    "neutron: tags (all), tags-any, not-tags, not-tags-any, comma lists; repeated name values; tenant_id = project_id",
  sanitizeResources: false,
  fn: async () => {
    const names = async (q: string) => (await get(`/networks?${q}`)).body.networks.map((n: Rec) => n.name).sort();
    const mine = await names(`tags=${enc(TAG)}`);
    assert.ok(mine.includes("ostest-7k2xp-kuryr-service-network"));
    assert.ok(mine.every((n: string) => !n.includes("9qzt4")));
    const both = await names(`tags-any=${enc(TAG)}&tags-any=${enc(OTHER)}`);
    assert.ok(
      both.includes("ostest-9qzt4-kuryr-service-network") && both.includes("ostest-7k2xp-kuryr-service-network"),
    );
    assert.deepEqual(await names(`tags=${enc(TAG)},${enc(OTHER)}`), [], "no network carries both tags");
    const notMine = await names(`not-tags=${enc(TAG)}`);
    assert.ok(
      notMine.includes("public") && notMine.includes("ns/demo-net") && !notMine.includes("ostest-7k2xp-openshift"),
    );
    const neither = await names(`not-tags-any=${enc(TAG)},${enc(OTHER)}`);
    assert.deepEqual(neither, ["ns/demo-net", "public"]);
    const two = await names(`name=public&name=ns/demo-net`);
    assert.deepEqual(two, ["ns/demo-net", "public"]);
    const pid = sim.openstack.credentials.projectId;
    assert.deepEqual(await names(`tenant_id=${pid}&name=public`), [], "public belongs to the admin project");
    assert.ok((await names(`project_id=${pid}`)).length > 20);
  },
});

Deno.test({
  name: "neutron: ports by network_id, device_owner, fixed_ips=ip_address=…; fields projects the attributes",
  sanitizeResources: false,
  fn: async () => {
    const kn = sim.store.get("openstack.org/kuryrnetworks", "demo", "demo")!;
    const ports = (await get(`/ports?network_id=${kn.status.netId}`)).body.ports;
    const owners = ports.map((p: Rec) => p.device_owner).sort();
    assert.deepEqual(owners, ["kuryr:container", "kuryr:container", "network:distributed", "network:router_interface"]);
    const routerIf =
      (await get(`/ports?network_id=${kn.status.netId}&device_owner=network:router_interface`)).body.ports;
    assert.equal(routerIf.length, 1);
    assert.equal(routerIf[0].device_id, kn.status.routerId);
    const pod = sim.store.get("core/pods", "demo", "web-6c9d8f7b5-x2p4q")!;
    const byIp = (await get(`/ports?fixed_ips=${enc(`ip_address=${pod.status.podIP}`)}&tags=${enc(TAG)}`)).body.ports;
    assert.equal(byIp.length, 1);
    assert.equal(byIp[0].fixed_ips[0].ip_address, pod.status.podIP);
    const slim = (await get(`/ports?network_id=${kn.status.netId}&fields=id&fields=device_owner`)).body.ports;
    assert.deepEqual(Object.keys(slim[0]).sort(), ["device_owner", "id"]);
    const one = (await get(`/ports/${byIp[0].id}?fields=id&fields=tags`)).body.port;
    assert.deepEqual(one, { id: byIp[0].id, tags: [TAG] });
  },
});

Deno.test({
  name: "neutron: limit/marker pagination with networks_links next and previous, until a short page",
  sanitizeResources: false,
  fn: async () => {
    const all = (await get(`/networks?tags=${enc(TAG)}`)).body.networks.map((n: Rec) => n.id).sort();
    const seen: string[] = [];
    let url = `${N}/networks?tags=${enc(TAG)}&limit=7`;
    let pages = 0;
    for (;;) {
      const r = await os(sim, url.replace(sim.openstack.origin, ""), { token });
      pages++;
      seen.push(...r.body.networks.map((n: Rec) => n.id));
      const links = r.body.networks_links;
      assert.ok(Array.isArray(links));
      if (pages > 1) assert.ok(links.some((l: Rec) => l.rel === "previous"));
      const next = links.find((l: Rec) => l.rel === "next");
      if (!next) break;
      assert.match(next.href, /[?&]marker=[0-9a-f-]{36}/);
      assert.ok(next.href.includes("tags=openshiftClusterID%3Dostest-7k2xp"), "the filter stays in the link");
      url = next.href;
      if (pages > 20) throw new Error("no end");
    }
    assert.equal(pages, Math.floor(all.length / 7) + 1);
    assert.deepEqual(seen, all, "every network once, in id order");
  },
});

Deno.test({
  name: "neutron: the tags sub-API (PUT all, PUT/GET/DELETE one)",
  sanitizeResources: false,
  fn: async () => {
    const net = (await send("POST", "/networks", { network: { name: "tag-test" } })).body.network;
    assert.equal((await send("PUT", `/networks/${net.id}/tags`, { tags: ["a", "b"] })).body.tags.join(), "a,b");
    assert.equal((await send("PUT", `/networks/${net.id}/tags/c`)).status, 201);
    assert.equal((await get(`/networks/${net.id}/tags/c`)).status, 204);
    assert.equal((await send("DELETE", `/networks/${net.id}/tags/a`)).status, 204);
    assert.equal((await get(`/networks/${net.id}/tags/a`)).status, 404);
    assert.deepEqual((await get(`/networks/${net.id}`)).body.network.tags, ["b", "c"]);
    assert.equal((await send("DELETE", `/networks/${net.id}`)).status, 204);
  },
});

Deno.test({
  name:
    "neutron: 409 NetworkInUse, ServicePortInUse, PortInUseAsSubPort, PortInUseAsTrunkParent, SecurityGroupInUse, SubnetInUse, RouterInUse; 400 SubnetPoolDeleteError",
  sanitizeResources: false,
  fn: async () => {
    const err = async (method: string, path: string, body?: unknown) => {
      const r = await send(method, path, body);
      return {
        status: r.status,
        type: r.body?.NeutronError?.type,
        message: r.body?.NeutronError?.message,
        detail: r.body?.NeutronError?.detail,
      };
    };
    const svcNet = stored(sim, "networks").find((n) => n.name === "ostest-7k2xp-kuryr-service-network")!;
    const inUse = await err("DELETE", `/networks/${svcNet.id}`);
    assert.equal(inUse.status, 409);
    assert.equal(inUse.type, "NetworkInUse");
    assert.match(
      inUse.message,
      new RegExp(
        `^Unable to complete operation on network ${svcNet.id}\\. There are one or more ports still in use on the network, id for these ports is: `,
      ),
    );
    assert.equal(inUse.detail, "");
    const routerPort = stored(sim, "ports").find((p) => p.name === "ostest-7k2xp-kuryr-service-subnet-router-port")!;
    const svcPort = await err("DELETE", `/ports/${routerPort.id}`);
    assert.deepEqual([svcPort.status, svcPort.type], [409, "ServicePortInUse"]);
    assert.equal(
      svcPort.message,
      `Port ${routerPort.id} cannot be deleted directly via the port API: has device owner network:router_interface.`,
    );
    const kp = sim.store.get("openstack.org/kuryrports", "demo", "web-6c9d8f7b5-x2p4q")!;
    const podPort = kp.status.vifs.eth0.vif["versioned_object.data"].id;
    const trunk = stored(sim, "trunks").find((t) => t.sub_ports.some((s: Rec) => s.port_id === podPort))!;
    assert.deepEqual(await err("DELETE", `/ports/${podPort}`), {
      status: 409,
      type: "PortInUseAsSubPort",
      message: `Port ${podPort} is currently a subport for trunk ${trunk.id}.`,
      detail: "",
    });
    const parent = await err("DELETE", `/ports/${trunk.port_id}`);
    assert.deepEqual([parent.status, parent.type, parent.message], [
      409,
      "PortInUseAsTrunkParent",
      `Port ${trunk.port_id} is currently a parent port for trunk ${trunk.id}.`,
    ]);
    const podsSg = stored(sim, "security-groups").find((s) => s.name === "ostest-7k2xp-kuryr-pods-security-group")!;
    assert.deepEqual(await err("DELETE", `/security-groups/${podsSg.id}`), {
      status: 409,
      type: "SecurityGroupInUse",
      message: `Security Group ${podsSg.id} in use.`,
      detail: "",
    });
    const kn = sim.store.get("openstack.org/kuryrnetworks", "demo", "demo")!;
    const subnetInUse = await err("DELETE", `/subnets/${kn.status.subnetId}`);
    assert.deepEqual([subnetInUse.status, subnetInUse.type], [409, "SubnetInUse"]);
    assert.equal(
      subnetInUse.message,
      `Unable to complete operation on subnet ${kn.status.subnetId}: One or more ports have an IP allocation from this subnet.`,
    );
    const routerInUse = await err("DELETE", `/routers/${kn.status.routerId}`);
    assert.deepEqual([routerInUse.status, routerInUse.type], [409, "RouterInUse"]);
    assert.match(
      routerInUse.message,
      new RegExp(`^Router ${kn.status.routerId} has ports still attached: [0-9a-f-]{36}, `),
    );
    const pool = stored(sim, "subnetpools").find((p) => p.name === "ostest-7k2xp-kuryr-pod-subnetpool")!;
    assert.deepEqual(await err("DELETE", `/subnetpools/${pool.id}`), {
      status: 400,
      type: "SubnetPoolDeleteError",
      message: "Unable to delete subnet pool: Subnet pool has existing allocations.",
      detail: "",
    });
  },
});

Deno.test({
  name: "neutron: 404s with each collection's type and message; remove_router_interface for a subnet not attached",
  sanitizeResources: false,
  fn: async () => {
    const x = "00000000-0000-4000-a000-000000000000";
    const expect: [string, string, string][] = [
      ["networks", "NetworkNotFound", `Network ${x} could not be found.`],
      ["ports", "PortNotFound", `Port ${x} could not be found.`],
      ["routers", "RouterNotFound", `Router ${x} could not be found`],
      ["subnets", "SubnetNotFound", `Subnet ${x} could not be found.`],
      ["security-groups", "SecurityGroupNotFound", `Security group ${x} does not exist`],
      ["trunks", "TrunkNotFound", `Trunk ${x} could not be found.`],
      ["subnetpools", "SubnetPoolNotFound", `Subnet pool ${x} could not be found.`],
      ["floatingips", "FloatingIPNotFound", `Floating IP ${x} could not be found`],
    ];
    for (const [c, type, message] of expect) {
      for (const method of ["GET", "DELETE"]) {
        const r = await send(method, `/${c}/${x}`);
        assert.equal(r.status, 404, `${method} ${c}`);
        assert.deepEqual(r.body, { NeutronError: { type, message, detail: "" } });
      }
    }
    const router = stored(sim, "routers").find((r) => r.name === "ostest-7k2xp-external-router")!;
    const decoySubnet = stored(sim, "subnets").find((s) => s.name === "ns/demo-subnet")!;
    const r = await send("PUT", `/routers/${router.id}/remove_router_interface`, { subnet_id: decoySubnet.id });
    assert.equal(r.status, 404);
    assert.deepEqual(r.body.NeutronError, {
      type: "RouterInterfaceNotFoundForSubnet",
      message: `Router ${router.id} has no interface on subnet ${decoySubnet.id}`,
      detail: "",
    });
    const p = await send("PUT", `/routers/${router.id}/remove_router_interface`, { port_id: x });
    assert.equal(p.body.NeutronError.type, "RouterInterfaceNotFound");
  },
});

Deno.test({
  name:
    "neutron: router interface by subnet and by port (device_owner network:router_interface); delete network takes subnets and DHCP ports",
  sanitizeResources: false,
  fn: async () => {
    const router = stored(sim, "routers").find((r) => r.name === "ostest-7k2xp-external-router")!;
    const net = (await send("POST", "/networks", { network: { name: "rt-net" } })).body.network;
    const sub =
      (await send("POST", "/subnets", { subnet: { network_id: net.id, cidr: "192.168.77.0/24", ip_version: 4 } })).body
        .subnet;
    assert.equal(sub.gateway_ip, "192.168.77.1");
    const add = await send("PUT", `/routers/${router.id}/add_router_interface`, { subnet_id: sub.id });
    assert.equal(add.status, 200);
    assert.equal(add.body.subnet_id, sub.id);
    const ifPort = (await get(`/ports/${add.body.port_id}`)).body.port;
    assert.deepEqual([ifPort.device_owner, ifPort.device_id, ifPort.fixed_ips[0].ip_address], [
      "network:router_interface",
      router.id,
      "192.168.77.1",
    ]);
    assert.equal((await send("DELETE", `/networks/${net.id}`)).body.NeutronError.type, "NetworkInUse");
    const rm = await send("PUT", `/routers/${router.id}/remove_router_interface`, { subnet_id: sub.id });
    assert.deepEqual([rm.status, rm.body.port_id], [200, ifPort.id]);
    assert.equal((await get(`/ports/${ifPort.id}`)).status, 404, "Neutron deletes the interface port");
    // By port, as CNO attaches the service subnet.
    const port = (await send("POST", "/ports", {
      port: { network_id: net.id, name: "rt-port", fixed_ips: [{ subnet_id: sub.id, ip_address: "192.168.77.254" }] },
    })).body.port;
    await send("PUT", `/routers/${router.id}/add_router_interface`, { port_id: port.id });
    assert.equal((await get(`/ports/${port.id}`)).body.port.device_owner, "network:router_interface");
    assert.equal(
      (await send("PUT", `/routers/${router.id}/remove_router_interface`, { subnet_id: sub.id })).status,
      200,
      "removed by subnet though attached by port",
    );
    await send("POST", "/ports", { port: { network_id: net.id, device_owner: "network:dhcp", device_id: "dhcp-x" } });
    assert.equal((await send("DELETE", `/networks/${net.id}`)).status, 204);
    assert.equal((await get(`/subnets/${sub.id}`)).status, 404, "its subnets went with it");
    assert.equal((await get(`/ports?network_id=${net.id}`)).body.ports.length, 0, "and its DHCP port");
  },
});

Deno.test({
  name:
    "neutron: trunk add_subports / remove_subports (SubPortNotFound for a port that is not one); a removed subport deletes",
  sanitizeResources: false,
  fn: async () => {
    const trunk = stored(sim, "trunks").find((t) => t.name === "ostest-7k2xp-master-trunk-0")!;
    const nodesNet = stored(sim, "networks").find((n) => n.name === "ostest-7k2xp-openshift")!;
    const p = (await send("POST", "/ports", { port: { network_id: nodesNet.id, name: "sp" } })).body.port;
    const add = await send("PUT", `/trunks/${trunk.id}/add_subports`, {
      sub_ports: [{ port_id: p.id, segmentation_type: "vlan", segmentation_id: 3999 }],
    });
    assert.ok(add.body.sub_ports.some((s: Rec) => s.port_id === p.id && s.segmentation_id === 3999));
    assert.equal((await send("DELETE", `/ports/${p.id}`)).body.NeutronError.type, "PortInUseAsSubPort");
    const rm = await send("PUT", `/trunks/${trunk.id}/remove_subports`, { sub_ports: [{ port_id: p.id }] });
    assert.equal(rm.status, 200);
    assert.ok(!rm.body.sub_ports.some((s: Rec) => s.port_id === p.id));
    const again = await send("PUT", `/trunks/${trunk.id}/remove_subports`, { sub_ports: [{ port_id: p.id }] });
    assert.deepEqual([again.status, again.body.NeutronError.type], [404, "SubPortNotFound"]);
    assert.equal((await send("DELETE", `/ports/${p.id}`)).status, 204);
  },
});

Deno.test({
  name: "neutron: an admin sees every project; a member only its own (plus the external network)",
  sanitizeResources: false,
  fn: async () => {
    const adminSgs = (await get("/security-groups")).body.security_groups.map((s: Rec) => s.project_id);
    const memberSgs = (await get("/security-groups", member)).body.security_groups.map((s: Rec) => s.project_id);
    const pid = sim.openstack.credentials.projectId;
    assert.ok(new Set(adminSgs).size >= 2, "admin: the other cluster's project too");
    assert.ok(memberSgs.length > 0 && memberSgs.every((p: string) => p === pid));
    const memberNets = (await get("/networks", member)).body.networks;
    assert.ok(memberNets.some((n: Rec) => n.name === "public"), "the external network is visible to all");
    assert.ok(!memberNets.some((n: Rec) => n.name.startsWith("ostest-9qzt4")));
    const otherSg = stored(sim, "security-groups").find((s) => s.name === "ostest-9qzt4-kuryr-pods-security-group")!;
    assert.equal((await get(`/security-groups/${otherSg.id}`, member)).status, 404);
    assert.equal((await get(`/security-groups/${otherSg.id}`)).status, 200);
  },
});

Deno.test({
  name: "neutron: security groups get the default egress rules; rules are listed inline; duplicate rule 409",
  sanitizeResources: false,
  fn: async () => {
    const sg = (await send("POST", "/security-groups", { security_group: { name: "t-sg" } })).body.security_group;
    assert.deepEqual(sg.security_group_rules.map((r: Rec) => `${r.direction}/${r.ethertype}`).sort(), [
      "egress/IPv4",
      "egress/IPv6",
    ]);
    const rule = {
      security_group_id: sg.id,
      direction: "ingress",
      ethertype: "IPv4",
      protocol: "udp",
      port_range_min: 6081,
      port_range_max: 6081,
      remote_ip_prefix: "10.196.0.0/16",
    };
    assert.equal((await send("POST", "/security-group-rules", { security_group_rule: rule })).status, 201);
    const dup = await send("POST", "/security-group-rules", { security_group_rule: rule });
    assert.deepEqual([dup.status, dup.body.NeutronError.type], [409, "SecurityGroupRuleExists"]);
    assert.equal((await send("DELETE", `/security-groups/${sg.id}`)).status, 204);
  },
});

Deno.test({
  name: "neutron: stop",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () => sim.stop(),
});
