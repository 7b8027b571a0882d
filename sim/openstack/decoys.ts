/**
 * What a correct Kuryr clean-up must never touch, in the same cloud: a second OpenShift cluster's complete
 * Kuryr set (its own `openshiftClusterID`, the same name patterns, a network-policy security group with the
 * same description) in another project, and untagged user resources with look-alike names in the cluster's
 * own project (an untagged subport on a node trunk among them). Every one is recorded in `cloud.decoys`.
 */
import { newSimContext } from "../context.ts";
import { buildCluster } from "../scenario/build.ts";
import { type ScenarioSpec, ScenarioSpec as ScenarioSchema } from "../scenario/schema.ts";
import { clusterTag, keystoneProjectId, openstackId } from "../scenario/generate.ts";
import type { Rec } from "./cloud.ts";
import { ensurePublicNetwork, populateCluster, type PopulateTarget, PUBLIC_CIDR } from "./populate.ts";
import { addressIn } from "../scenario/generate.ts";

/** The second cluster: same shape as the simulated one, other infrastructure name and project. */
export const DECOY_INFRA = "ostest-9qzt4";
export const DECOY_PROJECT = "shiftstack-2";

export function addDecoys(t: PopulateTarget, s: ScenarioSpec): void {
  const mark = (collection: string, rec: Rec, why: string) =>
    t.cloud.decoys.push({ region: t.region.name, collection, id: rec.id, name: rec.name ?? "", why });

  // A second Kuryr cluster, built by the same builder (its own Kubernetes objects stay private to it).
  const other = ScenarioSchema.parse({
    name: `${s.name}-decoy`,
    version: s.version,
    platform: "OpenStack",
    infrastructureName: DECOY_INFRA,
    network: { ...s.network, type: "Kuryr" },
    pools: [{ name: "master", nodes: 3, nodeNames: [0, 1, 2].map((i) => `${DECOY_INFRA}-master-${i}`) }, {
      name: "worker",
      nodes: 2,
      nodeNames: [`${DECOY_INFRA}-worker-0-h2k8d`, `${DECOY_INFRA}-worker-0-p5w9s`],
    }],
    // The same application objects: same load balancer names, same network-policy SG descriptions.
    objects: s.objects.filter((o) => ["Pod", "Service", "NetworkPolicy"].includes(o.kind)),
    openstack: {
      ...s.openstack,
      projectName: DECOY_PROJECT,
      username: DECOY_PROJECT,
      decoys: false,
      router: "installer",
    },
  });
  const ctx = newSimContext(other);
  buildCluster(ctx);
  populateCluster(t, ctx.store, other, (c, rec, why) => mark(c, rec, why || `the other cluster ${DECOY_INFRA}'s`));

  // Look-alikes in the simulated cluster's own project, untagged (a user's, not Kuryr's).
  const infra = s.infrastructureName;
  const project = keystoneProjectId(s.openstack?.projectName ?? "shiftstack");
  const id = (w: string) => openstackId(infra, `decoy/${w}`);
  const n = t.neutron;
  const net = n.create("networks", {
    id: id("net"),
    name: "ns/demo-net",
    description: "user network (old Kuryr naming)",
  }, project);
  mark("networks", net, "untagged user network named like pre-4.8 Kuryr networks");
  const subnet = n.create("subnets", {
    id: id("subnet"),
    network_id: net.id,
    name: "ns/demo-subnet",
    cidr: "192.168.50.0/24",
  }, project);
  mark("subnets", subnet, "untagged user subnet");
  const vmPort = n.create("ports", {
    id: id("port/vm"),
    network_id: net.id,
    name: "demo-vm-port",
    device_owner: "compute:nova",
    device_id: id("server"),
  }, project);
  mark("ports", vmPort, "untagged user port");
  mark(
    "security-groups",
    n.create("security-groups", {
      id: id("sg"),
      name: `${infra}-kuryr-pods-security-group-copy`,
      description: "user copy of the pods security group",
    }, project),
    "untagged look-alike of the pods security group",
  );
  mark(
    "security-groups",
    n.create("security-groups", {
      id: id("sg2"),
      name: "sg/demo-allow-same-namespace",
      description: "user security group",
    }, project),
    "untagged look-alike of a network-policy security group name",
  );
  mark(
    "subnetpools",
    n.create("subnetpools", {
      id: id("pool"),
      name: `${infra}-kuryr-pod-subnetpool-user`,
      prefixes: ["192.168.128.0/17"],
      default_prefixlen: 24,
    }, project),
    "untagged look-alike subnet pool",
  );
  const pub = ensurePublicNetwork(t);
  mark(
    "floatingips",
    n.create("floatingips", {
      id: id("fip"),
      floating_network_id: pub.netId,
      floating_ip_address: addressIn(PUBLIC_CIDR, 220),
      description: "bastion",
    }, project),
    "a user's floating IP",
  );

  // An untagged subport on the first worker's trunk (e.g. a VLAN the user added to the VM).
  const trunk = t.region.all("trunks").find((tr) => tr.tags.includes(clusterTag(infra)) && !tr.name.includes("master"));
  if (trunk) {
    const nodesNet = t.region.net("networks").get(openstackId(infra, "net/nodes"))!;
    const p = n.create(
      "ports",
      { id: id("port/subport"), network_id: nodesNet.id, name: `${trunk.name}-user-vlan` },
      project,
    );
    n.addSubports(trunk.id, [{ port_id: p.id, segmentation_type: "vlan", segmentation_id: 4000 }]);
    mark("ports", p, "an untagged subport on a node trunk");
  }

  // An untagged load balancer with a Kuryr-like name on the service network's neighbour (the user's own).
  const lb = t.octavia.createLoadBalancer(
    { id: id("lb"), name: "demo/web", description: "", vip_subnet_id: subnet.id, provider: "amphora" },
    project,
    { active: true },
  );
  mark("loadbalancers", lb, "untagged load balancer named like Kuryr's");
}
