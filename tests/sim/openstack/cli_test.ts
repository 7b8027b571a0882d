/**
 * Proof with the real client: Debian's `openstack` CLI (python-openstackclient + octaviaclient) and
 * openstacksdk against the simulated OpenStack, through the clouds.yaml the simulator writes. Each command the
 * Kuryr procedures use exits 0 with what a real cloud prints for that state; run out of order, the service
 * network's deletion gets Neutron's 409 NetworkInUse; `openstack server reboot` reboots the node.
 * Needs the CLI: scripts/install-openstack-cli.sh installs it.
 */
import assert from "node:assert/strict";
import { cli, os, type Rec, startKuryr, stored, tokenFor, until } from "./helpers.ts";

const sim = await startKuryr("kuryr-4.14", { timeScale: 50 });
const TAG = sim.openstack.clusterTag;
const INFRA = "ostest-7k2xp";
const ok = async (args: string[], cloud?: string) => {
  const r = await cli(sim, args, cloud);
  assert.equal(r.code, 0, `openstack ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout.trim().split("\n").filter(Boolean);
};
const mine = (c: string) => stored(sim, c).filter((r) => (r.tags ?? []).includes(TAG));

Deno.test({
  name:
    "cli: network list --tags / subnet pool list --tags / loadbalancer list --tags list exactly this cluster's resources",
  sanitizeResources: false,
  fn: async () => {
    const nets = await ok(["network", "list", "--tags", TAG, "-f", "value", "-c", "ID"]);
    assert.deepEqual(nets.sort(), mine("networks").map((n) => n.id).sort());
    assert.ok(nets.length >= 27);
    const pools = await ok(["subnet", "pool", "list", "--tags", TAG, "-f", "value", "-c", "ID", "-c", "Name"]);
    assert.deepEqual(pools, [`${mine("subnetpools")[0].id} ${INFRA}-kuryr-pod-subnetpool`]);
    const lbs = await ok(["loadbalancer", "list", "--tags", TAG, "-f", "value", "-c", "id", "-c", "name"]);
    assert.deepEqual(lbs.map((l) => l.split(" ")[1]).sort(), [
      "default/kubernetes",
      "demo/web",
      "demo/web-public",
      "shop/api",
    ]);
  },
});

Deno.test({
  name: "cli: app-credential cloud authenticates; the member cloud sees only its project's security groups",
  sanitizeResources: false,
  fn: async () => {
    const viaAppCred = await ok(
      ["subnet", "pool", "list", "--tags", TAG, "-f", "value", "-c", "ID"],
      sim.openstack.appCredentialCloudName,
    );
    assert.equal(viaAppCred.length, 1);
    const all = await ok(["security", "group", "list", "-f", "value", "-c", "ID"]);
    const member = await ok(["security", "group", "list", "-f", "value", "-c", "ID"], sim.openstack.memberCloudName);
    const pid = sim.openstack.credentials.projectId;
    assert.deepEqual(
      member.sort(),
      stored(sim, "security-groups").filter((s) => s.project_id === pid).map((s) => s.id).sort(),
    );
    assert.ok(all.length > member.length, "the admin sees the other cluster's too");
  },
});

Deno.test({
  name:
    "cli: out of order, `network delete <service network>` before its load balancers are gone → exit 1 with Neutron's NetworkInUse",
  sanitizeResources: false,
  fn: async () => {
    const r = await cli(sim, ["network", "delete", `${INFRA}-kuryr-service-network`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ConflictException: 409/);
    assert.match(r.stderr, /There are one or more ports still in use on the network, id for these ports is: /);
    assert.ok(stored(sim, "networks").some((n) => n.name === `${INFRA}-kuryr-service-network`));
  },
});

Deno.test({
  name: "cli: loadbalancer delete --cascade → 0, PENDING_DELETE, then gone with its VIP port",
  sanitizeResources: false,
  fn: async () => {
    const lb = mine("loadbalancers").find((l) => l.name === "demo/web")!;
    // Held in PENDING_DELETE until the fault is lowered (wall time between CLI calls varies under load).
    sim.openstack.faults.set({ loadBalancerDeleteSeconds: 1e6 });
    await ok(["loadbalancer", "delete", "--cascade", lb.id]);
    const shown = await ok(["loadbalancer", "show", lb.id, "-f", "value", "-c", "provisioning_status"]);
    assert.deepEqual(shown, ["PENDING_DELETE"]);
    sim.openstack.faults.set({ loadBalancerDeleteSeconds: 20 });
    await until(() => !sim.openstack.cloud.main.lbaas("loadbalancers").has(lb.id), "deleted", 10_000);
    assert.ok(!sim.openstack.cloud.main.net("ports").has(lb.vip_port_id));
    sim.openstack.faults.set({ loadBalancerDeleteSeconds: 20 });
  },
});

Deno.test({
  name:
    "cli: router remove subnet (service subnet attached by port) → 0 and the interface port is gone; again → 404 exit 1",
  sanitizeResources: false,
  fn: async () => {
    const router = mine("routers")[0];
    const port = stored(sim, "ports").find((p) => p.name === `${INFRA}-kuryr-service-subnet-router-port`)!;
    await ok(["router", "remove", "subnet", router.id, `${INFRA}-kuryr-service-subnet`]);
    assert.ok(!sim.openstack.cloud.main.net("ports").has(port.id));
    const again = await cli(sim, ["router", "remove", "subnet", router.id, `${INFRA}-kuryr-service-subnet`]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /has no interface on subnet/);
  },
});

Deno.test({
  name: "cli: network trunk unset --subport, then port delete (refused with PortInUseAsSubPort before)",
  sanitizeResources: false,
  fn: async () => {
    const kp = sim.store.get("openstack.org/kuryrports", "shop", "api-7f8b9c6d4-q7m3s")!;
    const portId = kp.status.vifs.eth0.vif["versioned_object.data"].id;
    const trunk = stored(sim, "trunks").find((t) => t.sub_ports.some((s: Rec) => s.port_id === portId))!;
    const refused = await cli(sim, ["port", "delete", portId]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`Port ${portId} is currently a subport for trunk ${trunk.id}`));
    await ok(["network", "trunk", "unset", "--subport", portId, trunk.id]);
    assert.ok(!sim.openstack.cloud.main.net("trunks").get(trunk.id)!.sub_ports.some((s: Rec) => s.port_id === portId));
    await ok(["port", "delete", portId]);
    assert.ok(!sim.openstack.cloud.main.net("ports").has(portId));
  },
});

Deno.test({
  name: "cli: security group list shows the network-policy SGs (this cluster's and the other's); security group delete",
  sanitizeResources: false,
  fn: async () => {
    const lines = await ok(["security", "group", "list", "-f", "value", "-c", "ID", "-c", "Description"]);
    const np = lines.filter((l) => l.includes("Kuryr-Kubernetes Network Policy"));
    assert.equal(np.length, 6, "3 policies × 2 clusters");
    const token = await tokenFor(sim);
    const sg = (await os(sim, "/network/v2.0/security-groups", {
      method: "POST",
      token,
      body: { security_group: { name: "cli-delete-me" } },
    })).body.security_group;
    await ok(["security", "group", "delete", sg.id]);
    assert.ok(!sim.openstack.cloud.main.net("security-groups").has(sg.id));
    const inUse = await cli(sim, ["security", "group", "delete", `${INFRA}-kuryr-pods-security-group`]);
    assert.equal(inUse.code, 1);
    assert.match(inUse.stderr, /in use/);
  },
});

Deno.test({
  name:
    "cli: server list --name ${CLUSTERID}\\* lists the nodes' servers; server reboot gives the node a new bootID and Ready",
  sanitizeResources: false,
  fn: async () => {
    const names = await ok(["server", "list", "--name", `${INFRA}*`, "-f", "value", "-c", "Name"]);
    assert.deepEqual(names.sort(), sim.store.all("core/nodes").map((n) => n.metadata.name).sort());
    const node = `${INFRA}-master-1`;
    const boot = sim.store.get("core/nodes", undefined, node)!.status.nodeInfo.bootID;
    await ok(["server", "reboot", node]);
    const ready = () =>
      sim.store.get("core/nodes", undefined, node)!.status.conditions.find((c: Rec) => c.type === "Ready").status;
    await until(() => ready() !== "True", "NotReady", 10_000);
    await until(
      () => ready() === "True" && sim.store.get("core/nodes", undefined, node)!.status.nodeInfo.bootID !== boot,
      "Ready with a new boot",
      15_000,
    );
    const reboots = sim.openstack.requestLog.records({ service: "compute", method: "POST" });
    assert.equal(reboots.length, 1);
    assert.match(reboots[0].path, /^\/v2\.1\/servers\/[0-9a-f-]{36}\/action$/);
  },
});

Deno.test({ name: "cli: stop", sanitizeResources: false, sanitizeOps: false, fn: () => sim.stop() });
