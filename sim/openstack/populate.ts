/**
 * Fills a region with one Kuryr cluster's OpenStack resources, read from that cluster's Kubernetes objects
 * (KuryrNetworks, KuryrPorts, KuryrLoadBalancers, KuryrNetworkPolicies, nodes, kuryr-config) so both sides
 * agree by construction. Ids the cluster does not record (node ports, trunks, servers, the service network)
 * come from the same `openstackId` derivation the scenario builder uses.
 *
 * Names, tags and descriptions: procedures.md §2–§3; the installer's OpenStack topology (openshift/installer
 * data/data/openstack/topology/private-network.tf, sg-master.tf, sg-worker.tf: `<infraID>-openshift`,
 * `<infraID>-nodes`, `<infraID>-master-port-<i>`, `<infraID>-master-trunk-<i>`, `<infraID>-external-router`,
 * all tagged `openshiftClusterID=<infraID>`); CNO release-4.14 pkg/platform/openstack/kuryr_bootstrap.go
 * (generateName(name, clusterID) = `<clusterID>-<name>`, the SG rules it adds); kuryr-kubernetes release-4.14
 * (namespace_subnet.py: network and subnet named `<namespace uid>/<namespace>` with the tags as description;
 * nested_vlan_vif.py: ports with device_owner `kuryr:container`; lbaasv2.py: `<ns>/<svc>`, listeners and pools
 * `<ns>/<svc>:<PROTO>:<port>`, members `<ns>/<pod>:<port>`, tags or — Octavia < 2.5 — the tags as description;
 * network_policy.py: `sg/<ns>-<name>`, "Kuryr-Kubernetes Network Policy <ns>/<name> SG").
 */
import type { Obj, Store } from "../store.ts";
import type { ScenarioSpec } from "../scenario/schema.ts";
import {
  addressIn,
  clusterTag,
  keystoneProjectId,
  macFor,
  openstackId,
  publicNetworkId,
} from "../scenario/generate.ts";
import type { Cloud, Rec, RegionCloud } from "./cloud.ts";
import type { Neutron } from "./neutron.ts";
import type { Octavia } from "./octavia.ts";

/** The admin project that owns the shared external network. */
export const ADMIN_PROJECT = "admin";
export const PUBLIC_CIDR = "172.24.4.0/24";
const INSTALLER_DESCRIPTION = "Created By OpenShift Installer";

export interface PopulateTarget {
  cloud: Cloud;
  region: RegionCloud;
  neutron: Neutron;
  octavia: Octavia;
}

/** The external network every router's gateway and floating IP use (one per region). */
export function ensurePublicNetwork(t: PopulateTarget): { netId: string; subnetId: string } {
  const netId = publicNetworkId(t.region.name);
  const subnetId = openstackId(`region/${t.region.name}`, "subnet/public");
  if (!t.region.net("networks").has(netId)) {
    const admin = keystoneProjectId(ADMIN_PROJECT);
    t.neutron.create("networks", {
      id: netId,
      name: "public",
      "router:external": true,
      mtu: 1500,
      "provider:network_type": "flat",
      "provider:physical_network": "datacentre",
    }, admin);
    t.neutron.create("subnets", {
      id: subnetId,
      network_id: netId,
      name: "public-subnet",
      cidr: PUBLIC_CIDR,
      enable_dhcp: false,
      gateway_ip: addressIn(PUBLIC_CIDR, 0),
    }, admin);
  }
  return { netId, subnetId };
}

/**
 * Called for every resource created (`why` says why it is a decoy, "" for the cluster's own); the caller
 * decides what to record as a decoy.
 */
type Marker = (collection: string, rec: Rec, why: string) => void;

/** Creates one cluster's installer, CNO and Kuryr resources. */
export function populateCluster(t: PopulateTarget, store: Store, s: ScenarioSpec, mark?: Marker): void {
  const { neutron, octavia, region } = t;
  const infra = s.infrastructureName;
  const id = (what: string) => openstackId(infra, what);
  const tag = clusterTag(infra);
  const project = keystoneProjectId(s.openstack?.projectName ?? "shiftstack");
  const os = s.openstack;
  const legacy = os?.faults.octaviaLegacy ?? false;
  const installerRouter = (os?.router ?? "installer") === "installer";
  const m: Marker = mark ?? (() => {});
  const made = (c: string, rec: Rec, why = "") => {
    m(c, rec, why);
    return rec;
  };
  const pub = ensurePublicNetwork(t);
  const machineCidr = s.network.machineNetwork.find((c) => c.includes("."))!;
  const mtu = s.network.hardwareMTU ?? 1442;

  // The installer's (or, for a CNO-made router, the user's pre-existing) machine network.
  const nodesNet = made(
    "networks",
    neutron.create("networks", {
      id: id("net/nodes"),
      name: installerRouter ? `${infra}-openshift` : `${infra}-byon-machines`,
      tags: installerRouter ? [tag, `${infra}-primaryClusterNetwork`] : [],
      mtu,
    }, project),
  );
  const nodesSubnet = made(
    "subnets",
    neutron.create("subnets", {
      id: id("subnet/nodes"),
      network_id: nodesNet.id,
      name: installerRouter ? `${infra}-nodes` : `${infra}-byon-machines-subnet`,
      cidr: machineCidr,
      tags: installerRouter ? [tag] : [],
      allocation_pools: [{ start: addressIn(machineCidr, 9), end: addressIn(machineCidr, 15999) }],
    }, project),
  );
  neutron.create("ports", {
    id: id("port/nodes/dhcp"),
    network_id: nodesNet.id,
    device_owner: "network:distributed",
    device_id: `ovnmeta-${nodesNet.id}`,
    fixed_ips: [{ subnet_id: nodesSubnet.id, ip_address: addressIn(machineCidr, 1) }],
  }, project);

  // The router: the installer's (description "Created By OpenShift Installer", gateway on the external
  // network) or the one CNO creates when the nodes' network has none (kuryr_bootstrap.go ensureOpenStackRouter:
  // name only, then tagged; no gateway).
  const router = made(
    "routers",
    neutron.create("routers", {
      id: id("router/nodes"),
      name: `${infra}-external-router`,
      description: installerRouter ? INSTALLER_DESCRIPTION : "",
      tags: [tag],
      external_gateway_info: installerRouter
        ? {
          network_id: pub.netId,
          enable_snat: true,
          external_fixed_ips: [{
            subnet_id: pub.subnetId,
            ip_address: addressIn(PUBLIC_CIDR, 50 + (hash(infra) % 40)),
          }],
        }
        : null,
    }, project),
  );
  neutron.addRouterInterface(router.id, { subnet_id: nodesSubnet.id });

  // Security groups of the nodes (installer) with the rules CNO adds for Kuryr.
  const sgMaster = made(
    "security-groups",
    neutron.create("security-groups", {
      id: id("sg/master"),
      name: `${infra}-master`,
      description: INSTALLER_DESCRIPTION,
      tags: [tag],
    }, project),
  );
  const sgWorker = made(
    "security-groups",
    neutron.create("security-groups", {
      id: id("sg/worker"),
      name: `${infra}-worker`,
      description: INSTALLER_DESCRIPTION,
      tags: [tag],
    }, project),
  );
  const rule = (
    sg: Rec,
    protocol: string | null,
    min: number | null,
    max: number | null,
    prefix: string,
    description = "",
  ) =>
    neutron.create("security-group-rules", {
      security_group_id: sg.id,
      direction: "ingress",
      ethertype: "IPv4",
      protocol,
      port_range_min: min,
      port_range_max: max,
      remote_ip_prefix: prefix,
      description,
    }, project);
  const geneve = os?.geneveRule ?? true;
  for (const sg of [sgMaster, sgWorker]) {
    const master = sg === sgMaster;
    rule(sg, "icmp", null, null, "0.0.0.0/0");
    rule(sg, "tcp", 22, 22, "0.0.0.0/0");
    rule(sg, "udp", 5353, 5353, machineCidr);
    rule(sg, "udp", 4789, 4789, machineCidr);
    if (geneve) rule(sg, "udp", 6081, 6081, machineCidr);
    rule(sg, "tcp", 9000, 9999, machineCidr);
    rule(sg, "udp", 9000, 9999, machineCidr);
    rule(sg, "tcp", 10250, 10250, machineCidr);
    rule(sg, "tcp", 30000, 32767, machineCidr);
    rule(sg, "udp", 30000, 32767, machineCidr);
    rule(sg, "112", null, null, machineCidr);
    if (master) {
      rule(sg, "tcp", 22623, 22623, machineCidr);
      rule(sg, "tcp", 53, 53, machineCidr);
      rule(sg, "udp", 53, 53, machineCidr);
      rule(sg, "tcp", 6443, 6443, "0.0.0.0/0");
      rule(sg, "tcp", 6641, 6642, machineCidr);
      rule(sg, "tcp", 10257, 10257, machineCidr);
      rule(sg, "tcp", 10259, 10259, machineCidr);
    } else {
      rule(sg, "tcp", 80, 80, "0.0.0.0/0");
      rule(sg, "tcp", 443, 443, "0.0.0.0/0");
      rule(sg, "tcp", 1936, 1936, machineCidr);
    }
  }
  // CNO's Kuryr rules (kuryr_bootstrap.go sgRules): the installer's etcd 2379-2380 rule is replaced by two.
  const svcCidr = s.network.serviceNetwork[0];
  rule(sgMaster, "tcp", 2379, 2379, svcCidr);
  rule(sgMaster, "tcp", 6443, 6443, svcCidr);
  rule(sgMaster, "tcp", 2379, 2379, machineCidr);
  rule(sgMaster, "tcp", 2380, 2380, machineCidr);
  for (const c of s.network.clusterNetwork) {
    for (
      const [sg, proto, lo, hi] of [
        [sgMaster, "tcp", 2379, 2379],
        [sgMaster, "tcp", 53, 53],
        [sgMaster, "udp", 53, 53],
        [sgWorker, "tcp", 53, 53],
        [sgWorker, "udp", 53, 53],
        [sgWorker, "tcp", 1936, 1936],
        [sgMaster, "tcp", 10257, 10257],
        [sgMaster, "tcp", 10259, 10259],
        [sgMaster, "tcp", 10250, 10250],
        [sgWorker, "tcp", 10250, 10250],
        [sgMaster, "tcp", 9000, 9999],
        [sgMaster, "udp", 9000, 9999],
        [sgWorker, "tcp", 9000, 9999],
        [sgWorker, "udp", 9000, 9999],
      ] as [Rec, string, number, number][]
    ) rule(sg, proto, lo, hi, c.cidr);
  }

  // API and ingress VIP ports, and the floating IPs the user created before installing (install docs:
  // `openstack floating ip create --description "API <cluster>.<domain>"`); not tagged, never Kuryr's.
  const apiVip = addressIn(machineCidr, 4);
  const ingressVip = addressIn(machineCidr, 6);
  const apiPort = made(
    "ports",
    neutron.create("ports", {
      id: id("port/api"),
      name: `${infra}-api-port`,
      network_id: nodesNet.id,
      tags: [tag],
      security_groups: [sgMaster.id],
      fixed_ips: [{ subnet_id: nodesSubnet.id, ip_address: apiVip }],
    }, project),
  );
  const ingressPort = made(
    "ports",
    neutron.create("ports", {
      id: id("port/ingress"),
      name: `${infra}-ingress-port`,
      network_id: nodesNet.id,
      tags: [tag],
      security_groups: [sgWorker.id],
      fixed_ips: [{ subnet_id: nodesSubnet.id, ip_address: ingressVip }],
    }, project),
  );
  const clusterName = infra.replace(/-[a-z0-9]+$/, "");
  made(
    "floatingips",
    neutron.create("floatingips", {
      id: id("fip/api"),
      floating_network_id: pub.netId,
      floating_ip_address: addressIn(PUBLIC_CIDR, 10 + (hash(infra) % 40) * 2),
      description: `API ${clusterName}.example.com`,
      port_id: apiPort.id,
    }, project),
    "the installer's API floating IP (user-created before install)",
  );
  made(
    "floatingips",
    neutron.create("floatingips", {
      id: id("fip/ingress"),
      floating_network_id: pub.netId,
      floating_ip_address: addressIn(PUBLIC_CIDR, 11 + (hash(infra) % 40) * 2),
      description: `Ingress ${clusterName}.example.com`,
      port_id: ingressPort.id,
    }, project),
    "the installer's ingress floating IP (user-created before install)",
  );
  for (const f of region.all("floatingips")) if (f.port_id && f.router_id === null) f.router_id = router.id;

  // Nodes: a port on the machine network (the trunk's parent), a trunk, and a server named like the node.
  const nodes = store.all("core/nodes");
  const trunkOf = new Map<string, Rec>();
  let masterIndex = 0;
  const noServer = new Set(os?.faults.nodesWithoutServer ?? []);
  for (const node of nodes) {
    const name = node.metadata.name;
    const master = "node-role.kubernetes.io/master" in (node.metadata.labels ?? {});
    const i = master ? masterIndex++ : -1;
    const ip = node.status.addresses.find((a: Obj) => a.type === "InternalIP")?.address;
    const serverId = (node.spec?.providerID ?? "").replace(/^openstack:\/\/\//, "") || id(`server/${name}`);
    const port = made(
      "ports",
      neutron.create("ports", {
        id: id(`port/node/${name}`),
        // The installer names master ports; machine-api (CAPO) names a worker's port after its machine [inference].
        name: master ? `${infra}-master-port-${i}` : name,
        network_id: nodesNet.id,
        tags: [tag],
        security_groups: [master ? sgMaster.id : sgWorker.id],
        fixed_ips: [{ subnet_id: nodesSubnet.id, ip_address: ip }],
        allowed_address_pairs: master
          ? [{ ip_address: apiVip, mac_address: macFor(id(`port/node/${name}`)) }, {
            ip_address: ingressVip,
            mac_address: macFor(id(`port/node/${name}`)),
          }]
          : [{ ip_address: ingressVip, mac_address: macFor(id(`port/node/${name}`)) }],
        device_owner: "compute:nova",
        device_id: serverId,
        "binding:host_id": `compute-${hash(name) % 3}.localdomain`,
      }, project),
    );
    const trunk = made(
      "trunks",
      neutron.create("trunks", {
        id: id(`trunk/${name}`),
        name: master ? `${infra}-master-trunk-${i}` : name,
        port_id: port.id,
        tags: [tag],
      }, project),
    );
    trunkOf.set(name, trunk);
    if (noServer.has(name)) continue;
    addServer(t, {
      id: serverId,
      name,
      project,
      userId: openstackId("keystone", `user/${s.openstack?.username ?? "shiftstack"}`).replaceAll("-", ""),
      networkName: nodesNet.name,
      ip,
      mac: port.mac_address,
      master,
      infra,
      sgName: master ? sgMaster.name : sgWorker.name,
      created: node.metadata.creationTimestamp,
    }, mark);
    region.serverNodes.set(serverId, name);
  }

  // CNO: service network and subnet, the router port, the pod subnet pool, the pods security group.
  const cm = store.get("core/configmaps", "openshift-kuryr", "kuryr-config");
  const conf = parseIni(cm?.data?.["kuryr.conf"] ?? "");
  const svcNet = made(
    "networks",
    neutron.create(
      "networks",
      { id: id("net/service"), name: `${infra}-kuryr-service-network`, tags: [tag], mtu },
      project,
    ),
  );
  const guard = store.get("core/services", "openshift-kuryr", "service-subnet-gateway-ip");
  const gateway = guard?.spec?.clusterIP ?? addressIn(svcCidr, 200);
  const svcSubnet = made(
    "subnets",
    neutron.create("subnets", {
      id: conf["neutron_defaults.service_subnet"] ?? id("subnet/service"),
      network_id: svcNet.id,
      name: `${infra}-kuryr-service-subnet`,
      cidr: svcCidr,
      gateway_ip: gateway,
      enable_dhcp: false,
      tags: [tag],
    }, project),
  );
  const routerPort = made(
    "ports",
    neutron.create("ports", {
      id: id("port/service-router"),
      name: `${infra}-kuryr-service-subnet-router-port`,
      network_id: svcNet.id,
      tags: [tag],
      fixed_ips: [{ subnet_id: svcSubnet.id, ip_address: gateway }],
      security_groups: [],
    }, project),
  );
  neutron.addRouterInterface(router.id, { port_id: routerPort.id });
  const pool = made(
    "subnetpools",
    neutron.create("subnetpools", {
      id: conf["namespace_subnet.pod_subnet_pool"] ?? id("subnetpool/pods"),
      name: `${infra}-kuryr-pod-subnetpool`,
      prefixes: s.network.clusterNetwork.map((c) => c.cidr),
      default_prefixlen: s.network.clusterNetwork[0].hostPrefix,
      tags: [tag],
    }, project),
  );
  const podsSg = made(
    "security-groups",
    neutron.create("security-groups", {
      id: conf["neutron_defaults.pod_security_groups"] ?? id("sg/pods"),
      name: `${infra}-kuryr-pods-security-group`,
      tags: [tag],
    }, project),
  );
  neutron.create("security-group-rules", {
    security_group_id: podsSg.id,
    direction: "ingress",
    ethertype: "IPv4",
    remote_ip_prefix: "0.0.0.0/0",
  }, project);

  // Kuryr: a network, subnet (from the pool) and router interface per KuryrNetwork.
  for (const kn of store.all("openstack.org/kuryrnetworks")) {
    const ns = kn.metadata.namespace;
    const uid = store.get("core/namespaces", undefined, ns)?.metadata.uid ?? "";
    const net = made(
      "networks",
      neutron.create(
        "networks",
        { id: kn.status.netId, name: `${uid}/${ns}`, description: tag, tags: [tag], mtu },
        project,
      ),
    );
    const subnet = made(
      "subnets",
      neutron.create("subnets", {
        id: kn.status.subnetId,
        network_id: net.id,
        name: `${uid}/${ns}`,
        description: tag,
        tags: [tag],
        cidr: kn.status.subnetCIDR,
        subnetpool_id: pool.id,
        enable_dhcp: false,
      }, project),
    );
    // OVN's metadata port (auto-deleted with the network).
    neutron.create("ports", {
      id: id(`port/metadata/${ns}`),
      network_id: net.id,
      device_owner: "network:distributed",
      device_id: `ovnmeta-${net.id}`,
      fixed_ips: [{ subnet_id: subnet.id, ip_address: addressIn(kn.status.subnetCIDR, 509) }],
      security_groups: [],
    }, project);
    neutron.addRouterInterface(kn.status.routerId ?? router.id, { subnet_id: subnet.id });
  }

  // Kuryr: pod ports, attached as subports of their node's trunk. Network policies' SGs apply to their pods.
  // A pod's port carries the security groups of the policies selecting it, else the pods SG.
  const npSgs: { ns: string; match: Record<string, string>; sg: string }[] = [];
  for (const knp of store.all("openstack.org/kuryrnetworkpolicies")) {
    const ns = knp.metadata.namespace;
    const sg = made(
      "security-groups",
      neutron.create("security-groups", {
        id: knp.status.securityGroupId,
        name: `sg/${ns}-${knp.metadata.name}`,
        description: `Kuryr-Kubernetes Network Policy ${ns}/${knp.metadata.name} SG`,
        tags: [tag],
        defaultRules: false,
      }, project),
    );
    for (const r of knp.status.securityGroupRules ?? []) {
      neutron.create("security-group-rules", { ...r, security_group_id: sg.id }, project);
    }
    npSgs.push({ ns, match: knp.spec?.podSelector?.matchLabels ?? {}, sg: sg.id });
  }
  const policySgs = (ns: string, labels: Record<string, string>) => {
    const sgs = npSgs.filter((p) => p.ns === ns && Object.entries(p.match).every(([k, v]) => labels[k] === v));
    return sgs.length ? sgs.map((p) => p.sg) : [podsSg.id];
  };
  for (const kp of store.all("openstack.org/kuryrports")) {
    const vif = kp.status?.vifs?.eth0?.vif?.["versioned_object.data"];
    if (!vif) continue;
    const ns = kp.metadata.namespace;
    const kn = store.get("openstack.org/kuryrnetworks", ns, ns);
    const ip = vif.network["versioned_object.data"].subnets["versioned_object.data"].objects[0]["versioned_object.data"]
      .ips["versioned_object.data"].objects[0]["versioned_object.data"].address;
    const port = made(
      "ports",
      neutron.create("ports", {
        id: vif.id,
        network_id: kn?.status.netId ?? vif.network["versioned_object.data"].id,
        mac_address: vif.address,
        fixed_ips: [{ subnet_id: kn?.status.subnetId, ip_address: ip }],
        device_owner: "kuryr:container",
        tags: [tag],
        security_groups: policySgs(ns, store.get("core/pods", ns, kp.metadata.name)?.metadata.labels ?? {}),
        "binding:host_id": kp.spec.podNodeName,
      }, project),
    );
    const trunk = trunkOf.get(kp.spec.podNodeName);
    if (trunk) {
      neutron.addSubports(trunk.id, [{ port_id: port.id, segmentation_type: "vlan", segmentation_id: vif.vlan_id }]);
    }
  }

  // Kuryr: a load balancer per KuryrLoadBalancer, and floating IPs for LoadBalancer Services.
  for (const klb of store.all("openstack.org/kuryrloadbalancers")) {
    const st = klb.status;
    const lbTags = legacy ? {} : { tags: [tag] };
    const lbDesc = legacy ? tag : "";
    const lb = made(
      "loadbalancers",
      octavia.createLoadBalancer(
        {
          id: st.loadbalancer.id,
          name: st.loadbalancer.name,
          description: lbDesc,
          vip_subnet_id: st.loadbalancer.subnet_id,
          vip_address: st.loadbalancer.ip,
          vip_port_id_seed: st.loadbalancer.port_id,
          provider: "ovn",
          ...lbTags,
        },
        project,
        { active: true },
      ),
    );
    for (const l of st.listeners ?? []) {
      made(
        "listeners",
        octavia.createListener({
          id: l.id,
          name: l.name,
          description: lbDesc,
          loadbalancer_id: lb.id,
          protocol: l.protocol,
          protocol_port: l.port,
          ...lbTags,
        }, project),
      );
    }
    for (const p of st.pools ?? []) {
      made(
        "pools",
        octavia.createPool({
          id: p.id,
          name: p.name,
          description: lbDesc,
          listener_id: p.listener_id,
          loadbalancer_id: lb.id,
          protocol: p.protocol,
          lb_algorithm: "SOURCE_IP_PORT",
          ...lbTags,
        }, project),
      );
    }
    for (const mem of st.members ?? []) {
      made(
        "members",
        octavia.createMember(mem.pool_id, {
          id: mem.id,
          name: mem.name,
          address: mem.ip,
          protocol_port: mem.port,
          subnet_id: mem.subnet_id,
          ...lbTags,
        }, project),
      );
    }
    const info = st.service_pub_ip_info;
    if (info) {
      const user = info.alloc_method === "user";
      made(
        "floatingips",
        neutron.create("floatingips", {
          id: info.ip_id,
          floating_network_id: pub.netId,
          floating_ip_address: info.ip_addr,
          description: user ? `Reserved for ${klb.metadata.namespace}/${klb.metadata.name}` : "",
          tags: user ? [] : [tag],
          port_id: st.loadbalancer.port_id,
        }, project),
        user ? "a user-supplied floating IP (alloc_method: user)" : "",
      );
      region.net("floatingips").get(info.ip_id)!.router_id = router.id;
    }
  }
}

interface ServerInput {
  id: string;
  name: string;
  project: string;
  userId: string;
  networkName: string;
  ip: string;
  mac: string;
  master: boolean;
  infra: string;
  sgName: string;
  created: string;
}

/** A Nova server record (detail view at microversion 2.1, flavor kept by id). */
export function addServer(t: PopulateTarget, s: ServerInput, mark?: Marker): Rec {
  const flavorId = s.master ? "ocp-master" : "ocp-worker";
  if (!t.region.flavors.has("ocp-master")) {
    t.region.flavors.set("ocp-master", {
      id: "ocp-master",
      name: "m1.xlarge",
      vcpus: 4,
      ram: 16384,
      disk: 100,
      "OS-FLV-EXT-DATA:ephemeral": 0,
      swap: "",
      rxtx_factor: 1,
      "os-flavor-access:is_public": true,
    });
    t.region.flavors.set("ocp-worker", {
      id: "ocp-worker",
      name: "m1.large",
      vcpus: 8,
      ram: 32768,
      disk: 100,
      "OS-FLV-EXT-DATA:ephemeral": 0,
      swap: "",
      rxtx_factor: 1,
      "os-flavor-access:is_public": true,
    });
  }
  const imageId = openstackId(`region/${t.region.name}`, `image/${s.infra}-rhcos`);
  if (!t.region.images.has(imageId)) {
    t.region.images.set(imageId, {
      id: imageId,
      name: `${s.infra}-rhcos`,
      status: "active",
      visibility: "private",
      container_format: "bare",
      disk_format: "qcow2",
      owner: s.project,
      tags: [`openshiftClusterID=${s.infra}`],
      created_at: s.created,
      updated_at: s.created,
    });
  }
  const rec: Rec = {
    id: s.id,
    name: s.name,
    status: "ACTIVE",
    tenant_id: s.project,
    user_id: s.userId,
    metadata: { Name: s.name, openshiftClusterID: s.infra },
    hostId: openstackId("nova", `host/${s.name}`).replaceAll("-", "").slice(0, 28),
    image: { id: imageId, links: [] },
    flavorId,
    created: s.created,
    updated: s.created,
    addresses: {
      [s.networkName]: [{ version: 4, addr: s.ip, "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": s.mac }],
    },
    accessIPv4: "",
    accessIPv6: "",
    "OS-DCF:diskConfig": "MANUAL",
    progress: 0,
    "OS-EXT-AZ:availability_zone": "nova",
    config_drive: "",
    key_name: null,
    "OS-SRV-USG:launched_at": s.created.replace("Z", ".000000"),
    "OS-SRV-USG:terminated_at": null,
    "OS-EXT-STS:task_state": null,
    "OS-EXT-STS:vm_state": "active",
    "OS-EXT-STS:power_state": 1,
    "os-extended-volumes:volumes_attached": [],
    security_groups: [{ name: s.sgName }],
    tags: [`openshiftClusterID=${s.infra}`],
    locked: false,
  };
  t.region.servers.set(rec.id, rec);
  mark?.("servers", rec, "");
  return rec;
}

/** `[section] key = value` lines of kuryr.conf, keyed `section.key`. */
function parseIni(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let section = "";
  for (const line of text.split("\n")) {
    const sec = /^\[(.+)\]$/.exec(line.trim());
    if (sec) section = sec[1];
    const kv = /^([a-z_]+)\s*=\s*(.*)$/.exec(line.trim());
    if (kv && kv[2] !== '""') out[`${section}.${kv[1]}`] = kv[2];
  }
  return out;
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
