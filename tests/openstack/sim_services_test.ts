/**
 * The typed Neutron, Octavia and Nova calls against the simulated cloud of scenario kuryr-4.14, in the
 * shapes the Kuryr clean-up (procedures.md §2.3) and the Nova reboots (§1 step 10) use them, with the
 * outcomes a caller must be able to tell apart (removed / not attached, deleted / not found, the services'
 * own conflict types).
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { isConflict, OpenStackError } from "../../lib/openstack/errors.ts";
import { AmbiguousNameError } from "../../lib/openstack/neutron.ts";
import { NetworkSchema, SecurityGroupSchema } from "../../lib/openstack/neutron_schemas.ts";
import { namePrefixRegex } from "../../lib/openstack/nova.ts";
import { OctaviaTagsUnsupportedError } from "../../lib/openstack/octavia.ts";
import type { SimOpenStack } from "../../sim/openstack/mod.ts";
import { recordingClient, scaledSleep, simCloud, withKuryrSim } from "./sim_helpers.ts";

const infra = (os: SimOpenStack) => os.clusterTag.split("=")[1];

Deno.test("Neutron lists: tags, tags-any, not-tags, name, network_id, device_owner, project_id, fields; find by name or id", async () => {
  await withKuryrSim(async (os) => {
    const { client } = await recordingClient(simCloud(os));
    const n = client.neutron;
    const tag = os.clusterTag;
    try {
      const tagged = await n.networks.list({ tags: [tag] });
      assert.ok(tagged.length > 1 && tagged.every((x) => x.tags.includes(tag)));
      const all = await n.networks.list();
      const untagged = await n.networks.list({ "not-tags": [tag] });
      assert.equal(untagged.length + tagged.length, all.length);
      assert.ok(untagged.every((x) => !x.tags.includes(tag)));
      assert.deepEqual(
        (await n.networks.list({ "tags-any": [tag, "no-such-tag"] })).map((x) => x.id).sort(),
        tagged.map((x) => x.id).sort(),
      );

      const serviceNetName = `${infra(os)}-kuryr-service-network`;
      const [serviceNet] = await n.networks.list({ name: serviceNetName });
      assert.equal(serviceNet.name, serviceNetName);
      assert.equal((await n.networks.find(serviceNetName))?.id, serviceNet.id, "find by name");
      assert.equal((await n.networks.find(serviceNet.id))?.name, serviceNetName, "find by id");
      assert.equal(await n.networks.find("no-such-network"), undefined);
      assert.equal(await n.networks.get(crypto.randomUUID()), undefined);

      const onNet = await n.ports.list({ network_id: serviceNet.id });
      assert.ok(onNet.length > 0 && onNet.every((p) => p.network_id === serviceNet.id));
      const interfaces = await n.ports.list({ device_owner: "network:router_interface" });
      assert.ok(interfaces.length > 0 && interfaces.every((p) => p.device_owner === "network:router_interface"));
      const mine = await n.securityGroups.list({ project_id: os.credentials.projectId });
      assert.ok(mine.length > 0 && mine.every((g) => g.project_id === os.credentials.projectId));

      const slim = await n.subnets.listFields(["id", "name"], { tags: [tag] });
      assert.ok(slim.length > 0);
      assert.deepEqual(Object.keys(slim[0]).sort(), ["id", "name", "tags"]);

      // Two networks of one name: find refuses to choose.
      for (let i = 0; i < 2; i++) {
        await client.session.json("network", "POST", "/networks", z.looseObject({ network: NetworkSchema }), {
          body: { network: { name: "twin" } },
        });
      }
      await assert.rejects(n.networks.find("twin"), (err: AmbiguousNameError) => {
        assert.ok(err instanceof AmbiguousNameError);
        assert.equal(err.ids.length, 2);
        assert.match(err.message, /^2 networks of cloud openstack are named twin/);
        return true;
      });
    } finally {
      client.close();
    }
  });
});

Deno.test("out of order: the service network while its load balancers live is 409 NetworkInUse", async () => {
  await withKuryrSim(async (os) => {
    const { client } = await recordingClient(simCloud(os));
    try {
      const net = await client.neutron.networks.find(`${infra(os)}-kuryr-service-network`);
      assert.ok(net);
      await assert.rejects(client.neutron.networks.delete(net.id), (err: OpenStackError) => {
        assert.ok(isConflict(err, "NetworkInUse"), `${err.status} ${err.errorType}`);
        assert.equal(err.details.service, "network");
        assert.equal(err.details.method, "DELETE");
        assert.equal(err.details.path, `/network/v2.0/networks/${net.id}`);
        assert.match(
          err.message,
          /^Neutron \(cloud openstack\) answered DELETE \/network\/v2.0\/networks\/\S+ with 409 NetworkInUse: /,
        );
        return true;
      });
      assert.ok(await client.neutron.networks.get(net.id), "still there");
    } finally {
      client.close();
    }
  });
});

Deno.test("router interfaces: removed by subnet and by port, then 'not attached'; an unknown router is an error", async () => {
  await withKuryrSim(async (os) => {
    const { client } = await recordingClient(simCloud(os));
    const n = client.neutron;
    try {
      const router = await n.routers.find(`${infra(os)}-external-router`);
      assert.ok(router);
      // The service subnet is attached by port (CNO's <id>-kuryr-service-subnet-router-port); `router remove subnet`.
      const serviceSubnet = await n.subnets.find(`${infra(os)}-kuryr-service-subnet`);
      assert.ok(serviceSubnet);
      const bySubnet = await n.routers.removeInterface(router.id, { subnetId: serviceSubnet.id });
      assert.equal(bySubnet.removed, true);
      if (bySubnet.removed) assert.equal(bySubnet.info.subnet_id, serviceSubnet.id);
      const again = await n.routers.removeInterface(router.id, { subnetId: serviceSubnet.id });
      assert.equal(again.removed, false);
      if (!again.removed) {
        assert.equal(again.reason, "not-attached");
        assert.equal(again.error.errorType, "RouterInterfaceNotFoundForSubnet");
      }

      const [iface] = await n.ports.list({ device_owner: "network:router_interface", device_id: router.id });
      assert.ok(iface, "another interface of the router");
      assert.equal((await n.routers.removeInterface(router.id, { portId: iface.id })).removed, true);
      assert.equal(await n.ports.get(iface.id), undefined, "Neutron deleted the interface port");
      const byPortAgain = await n.routers.removeInterface(router.id, { portId: iface.id });
      assert.ok(!byPortAgain.removed && byPortAgain.error.errorType === "RouterInterfaceNotFound");

      await assert.rejects(
        n.routers.removeInterface(crypto.randomUUID(), { subnetId: serviceSubnet.id }),
        (err: OpenStackError) => err.status === 404 && err.errorType === "RouterNotFound",
      );
    } finally {
      client.close();
    }
  });
});

Deno.test("trunks: tagged subports removed in one call, the trunk kept; ports deleted once free; repeats are outcomes", async () => {
  await withKuryrSim(async (os) => {
    const { client } = await recordingClient(simCloud(os));
    const n = client.neutron;
    try {
      const trunks = await n.trunks.list({ "tags-any": [os.clusterTag] });
      const trunk = trunks.find((t) => t.sub_ports.length > 0);
      assert.ok(trunk, "a node trunk with subports");
      const full = await n.trunks.get(trunk.id);
      const subports = await Promise.all(full!.sub_ports.map((s) => n.ports.get(s.port_id)));
      const ours = subports.filter((p) => p?.tags.includes(os.clusterTag)).map((p) => p!.id);
      assert.ok(ours.length > 0);

      await assert.rejects(n.ports.delete(ours[0]), (err: OpenStackError) => isConflict(err, "PortInUseAsSubPort"));

      os.requestLog.clear();
      const removed = await n.trunks.removeSubports(trunk.id, ours);
      assert.equal(removed.removed, true);
      assert.equal(os.requestLog.records({ service: "network", method: "PUT" }).length, 1, "one call");
      const after = await n.trunks.get(trunk.id);
      assert.ok(after, "the trunk stays");
      assert.deepEqual(after.sub_ports.filter((s) => ours.includes(s.port_id)), []);
      assert.equal(after.sub_ports.length, full!.sub_ports.length - ours.length, "untagged subports stay");

      const twice = await n.trunks.removeSubports(trunk.id, ours);
      assert.ok(!twice.removed && twice.reason === "not-a-subport" && twice.error.errorType === "SubPortNotFound");
      os.requestLog.clear();
      assert.deepEqual(await n.trunks.removeSubports(trunk.id, []), { removed: true, portIds: [] });
      assert.equal(os.requestLog.records().length, 0, "nothing to remove, no call");

      assert.equal(await n.ports.delete(ours[0]), "deleted");
      assert.equal(await n.ports.delete(ours[0]), "not-found");
    } finally {
      client.close();
    }
  });
});

Deno.test("security groups and rules, subnet pools, floating IPs: list, get, create a rule, delete, and their conflicts", async () => {
  await withKuryrSim(async (os) => {
    const { client } = await recordingClient(simCloud(os));
    const n = client.neutron;
    const tag = os.clusterTag;
    try {
      const podsSg = await n.securityGroups.find(`${infra(os)}-kuryr-pods-security-group`);
      assert.ok(podsSg);
      await assert.rejects(
        n.securityGroups.delete(podsSg.id),
        (err: OpenStackError) => isConflict(err, "SecurityGroupInUse"),
      );
      const npGroups = (await n.securityGroups.list({ tags: [tag] }))
        .filter((g) => (g.description ?? "").includes("Kuryr-Kubernetes Network Policy"));
      assert.ok(npGroups.length > 0, "Kuryr's network-policy groups, tagged");
      const spare = await client.session.json(
        "network",
        "POST",
        "/security-groups",
        z.looseObject({ security_group: SecurityGroupSchema }),
        {
          body: { security_group: { name: "spare", description: "unused" } },
        },
      );
      assert.equal(await n.securityGroups.delete(spare.security_group.id), "deleted");
      assert.equal(await n.securityGroups.delete(spare.security_group.id), "not-found");

      const worker = await n.securityGroups.find(`${infra(os)}-worker`);
      assert.ok(worker);
      const rule = {
        security_group_id: worker.id,
        direction: "ingress" as const,
        ethertype: "IPv4" as const,
        protocol: "udp",
        port_range_min: 16081,
        port_range_max: 16081,
        remote_group_id: worker.id,
        description: "test rule",
      };
      os.requestLog.clear();
      const created = await n.securityGroupRules.create(rule);
      assert.equal(created.port_range_min, 16081);
      assert.equal(created.security_group_id, worker.id);
      const rules = await n.securityGroupRules.list({ security_group_id: worker.id, protocol: "udp" });
      assert.ok(rules.some((r) => r.id === created.id));
      await assert.rejects(
        n.securityGroupRules.create(rule),
        (err: OpenStackError) => isConflict(err, "SecurityGroupRuleExists"),
      );
      assert.equal(os.requestLog.records({ service: "network", method: "POST" }).length, 2, "a POST is never repeated");
      assert.equal(await n.securityGroupRules.delete(created.id), "deleted");

      const [pool] = await n.subnetPools.list({ tags: [tag] });
      assert.ok(pool && pool.prefixes.length > 0);
      await assert.rejects(
        n.subnetPools.delete(pool.id),
        (err: OpenStackError) => err.status === 400 && err.errorType === "SubnetPoolDeleteError",
      );

      const fips = await n.floatingIps.list({ tags: [tag] });
      assert.ok(fips.length > 0);
      assert.equal((await n.floatingIps.get(fips[0].id))?.floating_ip_address, fips[0].floating_ip_address);
      assert.equal(await n.floatingIps.delete(fips[0].id), "deleted");
      assert.equal(await n.floatingIps.get(fips[0].id), undefined);
    } finally {
      client.close();
    }
  });
});

Deno.test("Octavia: tags supported (≥ 2.5), load balancers by tags, name, description, project; get; cascade delete awaited", async () => {
  await withKuryrSim(async (os) => {
    os.faults.set({ loadBalancerDeleteSeconds: 10 });
    const { client } = await recordingClient(simCloud(os));
    const o = client.octavia;
    try {
      const v = await o.versions();
      assert.equal(v.supportsTags, true);
      assert.ok(v.max[1] >= 5, v.maxId);
      const tagged = await o.listLoadBalancers({ tags: [os.clusterTag] });
      assert.ok(tagged.length > 0 && tagged.every((lb) => lb.tags?.includes(os.clusterTag)));
      const all = await o.listLoadBalancers();
      assert.ok(all.length > tagged.length, "other load balancers exist (decoys)");
      const first = tagged[0];
      const byName = await o.listLoadBalancers({ name: first.name });
      assert.ok(byName.some((lb) => lb.id === first.id) && byName.every((lb) => lb.name === first.name));
      assert.ok((await o.listLoadBalancers({ project_id: os.credentials.projectId })).some((lb) => lb.id === first.id));
      if (first.description) {
        assert.ok((await o.listLoadBalancers({ description: first.description })).some((lb) => lb.id === first.id));
      }
      assert.equal((await o.getLoadBalancer(first.id))?.vip_port_id, first.vip_port_id);
      assert.equal(await o.getLoadBalancer(crypto.randomUUID()), undefined);
      const paged = await o.listLoadBalancers({}, { pageSize: 2 });
      assert.deepEqual(paged.map((lb) => lb.id).sort(), all.map((lb) => lb.id).sort());

      assert.equal(await o.deleteLoadBalancer(first.id, { cascade: true }), "deleted");
      assert.equal((await o.getLoadBalancer(first.id))?.provisioning_status, "PENDING_DELETE");
      await o.waitForLoadBalancerDeleted(first.id, { intervalMs: 2000 });
      assert.equal(await o.getLoadBalancer(first.id), undefined);
      assert.equal(await client.neutron.ports.get(first.vip_port_id!), undefined);
    } finally {
      client.close();
    }
  });
});

Deno.test("Octavia before 2.5: no tag support reported, a tag filter refused before it can match everything, descriptions work", async () => {
  await withKuryrSim(async (os) => {
    const { client } = await recordingClient(simCloud(os));
    try {
      const v = await client.octavia.versions();
      assert.equal(v.supportsTags, false);
      assert.equal(v.maxId, "v2.4");
      os.requestLog.clear();
      await assert.rejects(
        client.octavia.listLoadBalancers({ tags: [os.clusterTag] }),
        (err: OctaviaTagsUnsupportedError) =>
          err instanceof OctaviaTagsUnsupportedError && /speaks API v2.4/.test(err.message),
      );
      assert.equal(
        os.requestLog.records({ service: "load-balancer" }).filter((r) => r.path.includes("loadbalancers")).length,
        0,
        "no list was sent",
      );
      const byDescription = await client.octavia.listLoadBalancers({ description: os.clusterTag });
      assert.ok(byDescription.length > 0, "Kuryr's description tag");
      assert.ok(byDescription.every((lb) => lb.description === os.clusterTag && lb.tags === undefined));
    } finally {
      client.close();
    }
  }, { octaviaLegacy: true });
});

Deno.test("Nova: servers by name regex, with and without detail, get, SOFT reboot accepted once; a second is 409", async () => {
  await withKuryrSim(async (os) => {
    const { client } = await recordingClient(simCloud(os));
    const nova = client.nova;
    try {
      const servers = await nova.listServers({ name: namePrefixRegex(`${infra(os)}-`) });
      assert.equal(servers.length, 6);
      assert.ok(servers.every((s) => s.name.startsWith(`${infra(os)}-`) && s.status === "ACTIVE"));
      const masters = await nova.listServers({ name: `^${infra(os)}-master-\\d$` });
      assert.equal(masters.length, 3);
      const summary = await nova.listServers({ name: namePrefixRegex(infra(os)) }, { detail: false, pageSize: 4 });
      assert.deepEqual(summary.map((s) => s.id).sort(), servers.map((s) => s.id).sort());
      assert.equal(summary[0].status, undefined, "summaries carry id and name only");
      assert.equal(await nova.getServer(crypto.randomUUID()), undefined);

      const target = masters[0];
      os.requestLog.clear();
      await nova.rebootServer(target.id, "SOFT");
      const during = await nova.getServer(target.id);
      assert.equal(during?.status, "REBOOT");
      await assert.rejects(nova.rebootServer(target.id, "SOFT"), (err: OpenStackError) => {
        assert.equal(err.status, 409);
        assert.equal(err.errorType, "conflictingRequest");
        assert.match(
          err.message,
          /^Nova \(cloud openstack\) answered POST \/compute\/v2.1\/servers\/\S+\/action with 409 conflictingRequest: Cannot 'reboot' instance/,
        );
        return true;
      });
      assert.equal(os.requestLog.records({ service: "compute", method: "POST" }).length, 2, "neither repeated");
      for (let i = 0; i < 200 && (await nova.getServer(target.id))?.status !== "ACTIVE"; i++) await scaledSleep(1000);
      assert.equal((await nova.getServer(target.id))?.status, "ACTIVE", "back after the reboot");
    } finally {
      client.close();
    }
  });
});
