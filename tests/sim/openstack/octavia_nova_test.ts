/**
 * Octavia v2 and Nova v2.1 of the simulated OpenStack: version discovery (tags from 2.5), filtered and paged
 * load-balancer lists, VIP ports in Neutron, asynchronous cascade deletion with the real 409/400 bodies, the
 * Octavia < 2.5 mode; Nova's name regex, server detail by microversion, and reboots that reboot the node.
 */
import assert from "node:assert/strict";
import { os, type Rec, startKuryr, stored, tokenFor, until } from "./helpers.ts";

const sim = await startKuryr("kuryr-4.14", { timeScale: 100 });
const TAG = sim.openstack.clusterTag;
const token = await tokenFor(sim);
const L = "/load-balancer/v2/lbaas";
const get = (path: string) => os(sim, path, { token });

Deno.test({
  name: "octavia: version list up to 2.13 (CURRENT) announces tags; the legacy fault stops at 2.4 and drops tags",
  sanitizeResources: false,
  fn: async () => {
    const v = (await os(sim, "/load-balancer/")).body.versions;
    assert.equal(v.at(-1).id, "v2.13");
    assert.equal(v.at(-1).status, "CURRENT");
    assert.ok(v.some((x: Rec) => x.id === "v2.5"));
    sim.openstack.faults.set({ octaviaLegacy: true });
    try {
      const old = (await os(sim, "/load-balancer/")).body.versions;
      assert.equal(old.at(-1).id, "v2.4");
      assert.ok(!old.some((x: Rec) => x.id === "v2.5"));
      const lbs = (await get(`${L}/loadbalancers`)).body.loadbalancers;
      assert.ok(lbs.every((lb: Rec) => !("tags" in lb)));
      const r = await get(`${L}/loadbalancers?tags=${encodeURIComponent(TAG)}`);
      assert.equal(r.status, 400);
      assert.deepEqual(r.body, {
        faultcode: "Client",
        faultstring: "One or more arguments are either duplicate or invalid",
        debuginfo: null,
      });
    } finally {
      sim.openstack.faults.set({ octaviaLegacy: false });
    }
  },
});

Deno.test({
  name: "octavia: list by tags, name, description, project_id; pagination with loadbalancers_links; /v2.0 alias",
  sanitizeResources: false,
  fn: async () => {
    const mine = (await get(`${L}/loadbalancers?tags=${encodeURIComponent(TAG)}`)).body.loadbalancers;
    assert.deepEqual(mine.map((l: Rec) => l.name).sort(), [
      "default/kubernetes",
      "demo/web",
      "demo/web-public",
      "shop/api",
    ]);
    assert.ok(
      mine.every((l: Rec) => l.provider === "ovn" && l.provisioning_status === "ACTIVE" && l.tags.includes(TAG)),
    );
    const byName = (await get(`${L}/loadbalancers?name=demo/web`)).body.loadbalancers;
    assert.equal(byName.length, 3, "this cluster's, the other cluster's and the user's look-alike");
    const pid = sim.openstack.credentials.projectId;
    assert.equal((await get(`${L}/loadbalancers?name=demo/web&project_id=${pid}`)).body.loadbalancers.length, 2);
    assert.equal((await get(`${L}/loadbalancers?name=demo/web&description=`)).body.loadbalancers.length, 3);
    const alias =
      (await get(`/load-balancer/v2.0/lbaas/loadbalancers?tags=${encodeURIComponent(TAG)}`)).body.loadbalancers;
    assert.equal(alias.length, 4);
    const ids: string[] = [];
    let path = `${L}/loadbalancers?limit=3`;
    for (let i = 0; i < 10; i++) {
      const r = (await get(path)).body;
      ids.push(...r.loadbalancers.map((l: Rec) => l.id));
      const next = r.loadbalancers_links.find((l: Rec) => l.rel === "next");
      if (!next) break;
      path = next.href.replace(sim.openstack.origin, "");
    }
    assert.equal(new Set(ids).size, stored(sim, "loadbalancers").length);
  },
});

Deno.test({
  name:
    "octavia: a new load balancer gets its VIP port on the VIP subnet; non-cascade delete with children → 400; cascade → PENDING_DELETE, 409, gone with the port",
  sanitizeResources: false,
  fn: async () => {
    const svcSubnet = stored(sim, "subnets").find((s) => s.name === "ostest-7k2xp-kuryr-service-subnet")!;
    const lb = (await os(sim, `${L}/loadbalancers`, {
      method: "POST",
      token,
      body: { loadbalancer: { name: "t/lb", vip_subnet_id: svcSubnet.id, tags: [TAG] } },
    })).body.loadbalancer;
    assert.equal(lb.provisioning_status, "PENDING_CREATE");
    const vip = (await get(`/network/v2.0/ports/${lb.vip_port_id}`)).body.port;
    assert.deepEqual([vip.network_id, vip.fixed_ips[0].subnet_id, vip.device_owner], [
      svcSubnet.network_id,
      svcSubnet.id,
      "Octavia",
    ]);
    await until(
      async () => (await get(`${L}/loadbalancers/${lb.id}`)).body.loadbalancer.provisioning_status === "ACTIVE",
      "ACTIVE",
    );
    const listener = await os(sim, `${L}/listeners`, {
      method: "POST",
      token,
      body: { listener: { loadbalancer_id: lb.id, protocol: "TCP", protocol_port: 80 } },
    });
    assert.equal(listener.status, 201);
    const noCascade = await os(sim, `${L}/loadbalancers/${lb.id}`, { method: "DELETE", token });
    assert.equal(noCascade.status, 400);
    assert.deepEqual(noCascade.body, {
      faultcode: "Client",
      faultstring: `Validation failure: Cannot delete Load Balancer ${lb.id} - it has children`,
      debuginfo: null,
    });
    sim.openstack.faults.set({ loadBalancerDeleteSeconds: 1e6 });
    const del = await os(sim, `${L}/loadbalancers/${lb.id}?cascade=true`, { method: "DELETE", token });
    assert.equal(del.status, 204);
    assert.equal((await get(`${L}/loadbalancers/${lb.id}`)).body.loadbalancer.provisioning_status, "PENDING_DELETE");
    const again = await os(sim, `${L}/loadbalancers/${lb.id}?cascade=true`, { method: "DELETE", token });
    assert.equal(again.status, 409);
    assert.deepEqual(again.body, {
      faultcode: "Client",
      faultstring: `Invalid state PENDING_DELETE of loadbalancer resource ${lb.id}`,
      debuginfo: null,
    });
    const change = await os(sim, `${L}/loadbalancers/${lb.id}`, {
      method: "PUT",
      token,
      body: { loadbalancer: { name: "x" } },
    });
    assert.equal(change.status, 409);
    assert.equal(
      (await get(`/network/v2.0/ports/${lb.vip_port_id}`)).status,
      200,
      "the VIP port lives until the deletion ends",
    );
    // Lowering the fault re-times the pending deletion: 20 simulated seconds from its start, i.e. about now.
    sim.openstack.faults.set({ loadBalancerDeleteSeconds: 20 });
    await until(async () => (await get(`${L}/loadbalancers/${lb.id}`)).status === 404, "gone", 5000);
    const gone = await get(`${L}/loadbalancers/${lb.id}`);
    assert.deepEqual(gone.body, {
      faultcode: "Client",
      faultstring: `Load Balancer ${lb.id} not found.`,
      debuginfo: null,
    });
    assert.equal((await get(`/network/v2.0/ports/${lb.vip_port_id}`)).status, 404, "the VIP port went with it");
    assert.equal((await get(`${L}/listeners/${listener.body.listener.id}`)).status, 404);
  },
});

Deno.test({
  name: "octavia: pendingConflict off lets a repeated delete through (204)",
  sanitizeResources: false,
  fn: async () => {
    const svcSubnet = stored(sim, "subnets").find((s) => s.name === "ostest-7k2xp-kuryr-service-subnet")!;
    sim.openstack.faults.set({ pendingConflict: false, loadBalancerCreateSeconds: 0, loadBalancerDeleteSeconds: 1e6 });
    try {
      const lb = (await os(sim, `${L}/loadbalancers`, {
        method: "POST",
        token,
        body: { loadbalancer: { vip_subnet_id: svcSubnet.id } },
      })).body.loadbalancer;
      await until(
        async () => (await get(`${L}/loadbalancers/${lb.id}`)).body.loadbalancer.provisioning_status === "ACTIVE",
        "ACTIVE",
      );
      assert.equal((await os(sim, `${L}/loadbalancers/${lb.id}`, { method: "DELETE", token })).status, 204);
      assert.equal((await os(sim, `${L}/loadbalancers/${lb.id}`, { method: "DELETE", token })).status, 204);
    } finally {
      sim.openstack.faults.set({ pendingConflict: true, loadBalancerCreateSeconds: 10, loadBalancerDeleteSeconds: 20 });
    }
  },
});

Deno.test({
  name:
    "nova: versions, GET /servers and /servers/detail with Nova's regex name filter, /servers/{id}; microversion 2.47 embeds the flavor",
  sanitizeResources: false,
  fn: async () => {
    const v = (await os(sim, "/compute/")).body.versions;
    assert.equal(v.find((x: Rec) => x.id === "v2.1").status, "CURRENT");
    // The shell passes `ostest-7k2xp*`: as a regex it is "ostest-7k2x" followed by any number of "p".
    const names = (await get(`/compute/v2.1/servers?name=${encodeURIComponent("ostest-7k2xp*")}`)).body.servers.map((
      s: Rec,
    ) => s.name);
    assert.equal(names.length, 6);
    assert.ok(names.every((n: string) => n.startsWith("ostest-7k2xp-")));
    const workers =
      (await get(`/compute/v2.1/servers/detail?name=${encodeURIComponent("worker-0-[a-z0-9]+$")}`)).body.servers;
    assert.equal(workers.length, 3);
    assert.deepEqual(Object.keys(workers[0].flavor).sort(), ["id", "links"]);
    assert.equal(workers[0]["OS-EXT-STS:task_state"], null);
    const node = sim.store.get("core/nodes", undefined, workers[0].name)!;
    assert.equal(node.spec.providerID, `openstack:///${workers[0].id}`, "the node's providerID names its server");
    const detail = await os(sim, `/compute/v2.1/servers/${workers[0].id}`, {
      token,
      headers: { "OpenStack-API-Version": "compute 2.47" },
    });
    assert.equal(detail.headers.get("OpenStack-API-Version"), "compute 2.47");
    assert.equal(detail.body.server.flavor.original_name, "m1.large");
    assert.ok(
      !(await get("/compute/v2.1/servers")).body.servers.some((s: Rec) => s.name.startsWith("ostest-9qzt4")),
      "without all_tenants Nova lists only the token's project",
    );
    assert.equal((await get("/compute/v2.1/servers/00000000-0000-4000-a000-000000000000")).body.itemNotFound.code, 404);
  },
});

Deno.test({
  name:
    "nova: reboot SOFT → 202, REBOOT/reboot_started, the node NotReady then Ready with a new bootID, server ACTIVE again; a second SOFT while rebooting → 409",
  sanitizeResources: false,
  fn: async () => {
    const server = [...sim.openstack.cloud.main.servers.values()].find((s) =>
      s.name === "ostest-7k2xp-worker-0-m4v7c"
    )!;
    const boot = sim.store.get("core/nodes", undefined, server.name)!.status.nodeInfo.bootID;
    const r = await os(sim, `/compute/v2.1/servers/${server.id}/action`, {
      method: "POST",
      token,
      body: { reboot: { type: "SOFT" } },
    });
    assert.equal(r.status, 202);
    const s1 = (await get(`/compute/v2.1/servers/${server.id}`)).body.server;
    assert.deepEqual([s1.status, s1["OS-EXT-STS:task_state"]], ["REBOOT", "reboot_started"]);
    const twice = await os(sim, `/compute/v2.1/servers/${server.id}/action`, {
      method: "POST",
      token,
      body: { reboot: { type: "SOFT" } },
    });
    assert.equal(twice.status, 409);
    assert.match(
      twice.body.conflictingRequest.message,
      /^Cannot 'reboot' instance .* while it is in task_state reboot_started$/,
    );
    const ready = () =>
      sim.store.get("core/nodes", undefined, server.name)!.status.conditions.find((c: Rec) => c.type === "Ready")
        .status;
    await until(() => ready() !== "True", "node down");
    await until(
      () => ready() === "True" && sim.store.get("core/nodes", undefined, server.name)!.status.nodeInfo.bootID !== boot,
      "node back",
      10_000,
    );
    await until(
      async () => (await get(`/compute/v2.1/servers/${server.id}`)).body.server.status === "ACTIVE",
      "ACTIVE",
    );
  },
});

Deno.test({
  name:
    "nova: HARD reboot shows HARD_REBOOT; a server in serversNeverReturn comes back ACTIVE but its node stays down; nodesWithoutServer removes the server",
  sanitizeResources: false,
  fn: async () => {
    const server = [...sim.openstack.cloud.main.servers.values()].find((s) =>
      s.name === "ostest-7k2xp-worker-0-zr5tb"
    )!;
    sim.openstack.faults.set({ serversNeverReturn: [server.name] });
    const r = await os(sim, `/compute/v2.1/servers/${server.id}/action`, {
      method: "POST",
      token,
      body: { reboot: { type: "HARD" } },
    });
    assert.equal(r.status, 202);
    assert.equal((await get(`/compute/v2.1/servers/${server.id}`)).body.server.status, "HARD_REBOOT");
    await until(
      async () => (await get(`/compute/v2.1/servers/${server.id}`)).body.server.status === "ACTIVE",
      "ACTIVE",
      10_000,
    );
    await sim.clock.sleep(120_000);
    const ready = sim.store.get("core/nodes", undefined, server.name)!.status.conditions.find((c: Rec) =>
      c.type === "Ready"
    ).status;
    assert.notEqual(ready, "True", "the guest never came back");
    sim.openstack.faults.set({ nodesWithoutServer: ["ostest-7k2xp-worker-0-x8q2n"] });
    const names = (await get("/compute/v2.1/servers")).body.servers.map((s: Rec) => s.name);
    assert.ok(!names.includes("ostest-7k2xp-worker-0-x8q2n"));
    const node = sim.store.get("core/nodes", undefined, "ostest-7k2xp-worker-0-x8q2n")!;
    const id = node.spec.providerID.replace("openstack:///", "");
    assert.equal(
      (await get(`/compute/v2.1/servers/${id}`)).status,
      404,
      "the providerID names a server Nova does not have",
    );
  },
});

Deno.test({ name: "octavia/nova: stop", sanitizeResources: false, sanitizeOps: false, fn: () => sim.stop() });
