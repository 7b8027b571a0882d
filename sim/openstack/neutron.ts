/**
 * Neutron v2.0: networks, subnets, ports, routers (+ add/remove_router_interface), trunks (+ add/remove/get
 * subports), security groups and rules, subnet pools, floating IPs, the tags sub-API, version and extension
 * documents. Conflicts and 404s carry Neutron's real types and messages (neutron_lib/exceptions, neutron
 * db_base_plugin_v2.py, l3_db.py, services/trunk/rules.py). An admin sees every project, others only their
 * own (plus shared and external networks).
 */
import {
  NEUTRON_COLLECTIONS,
  type NeutronCollection,
  PLURAL_KEY,
  type Rec,
  type RegionCloud,
  SINGULAR,
} from "./cloud.ts";
import { NEUTRON_NOT_FOUND, neutronBadRequest, neutronError, OpenStackHttpError } from "./errors.ts";
import { inCidr, nextFreeAddress, nthPrefix, subnetDefaults } from "./ipam.ts";
import { macFor } from "../scenario/generate.ts";
import { listQuery } from "./listing.ts";
import { isoSeconds, type ServiceRequest, type ServiceResponse } from "./service.ts";

/** Ports Neutron deletes along with their network (neutron/common/_constants.py AUTO_DELETE_PORT_OWNERS). */
export const AUTO_DELETE_PORT_OWNERS = ["network:dhcp", "network:distributed", "network:floatingip_agent_gateway"];
/** Ports only the L3 API may delete (l3_db.py prevent_l3_port_deletion). */
const L3_OWNERS = [
  "network:router_interface",
  "network:router_gateway",
  "network:router_interface_distributed",
  "network:ha_router_replicated_interface",
];

const EXTENSIONS = [
  ["trunk", "Trunk Extension"],
  ["trunk-details", "Trunk port details"],
  ["tag", "Tag support"],
  [
    "standard-attr-tag",
    "Tag support for resources with standard attribute: subnet, trunk, network_segment_range, router, network, policy, subnetpool, port, security_group, floatingip",
  ],
  ["standard-attr-description", "standard-attr-description"],
  ["standard-attr-timestamp", "Resource timestamps"],
  ["standard-attr-revisions", "Resource revision numbers"],
  ["router", "Neutron L3 Router"],
  ["ext-gw-mode", "Neutron L3 Configurable external gateway mode"],
  ["external-net", "Neutron external network"],
  ["security-group", "security-group"],
  ["subnet_allocation", "Subnet Allocation"],
  ["binding", "Port Binding"],
  ["allowed-address-pairs", "Allowed Address Pairs"],
  ["net-mtu", "Network MTU"],
  ["project-id", "project_id field enabled"],
  ["pagination", "Pagination support"],
  ["sorting", "Sorting support"],
  ["fip-port-details", "Floating IP Port Details Extension"],
  ["filter-validation", "Filter parameters validation"],
];

/** Creates, changes and deletes Neutron resources with Neutron's defaults and rules (also used to build a scenario). */
export class Neutron {
  constructor(readonly region: RegionCloud, readonly now: () => number) {}

  #stamp(rec: Rec): Rec {
    const t = isoSeconds(this.now());
    rec.created_at ??= t;
    rec.updated_at = t;
    rec.revision_number ??= 0;
    return rec;
  }

  #touch(rec: Rec): void {
    rec.updated_at = isoSeconds(this.now());
    rec.revision_number = (rec.revision_number ?? 0) + 1;
  }

  get(c: NeutronCollection, id: string): Rec {
    const r = this.region.net(c).get(id);
    if (!r) throw NEUTRON_NOT_FOUND[c](id);
    return r;
  }

  #usedIps(networkId: string): Set<string> {
    const used = new Set<string>();
    for (const p of this.region.all("ports")) {
      if (p.network_id === networkId) { for (const ip of p.fixed_ips ?? []) used.add(ip.ip_address); }
    }
    return used;
  }

  /** POST semantics: fills the attributes Neutron would and stores the resource. */
  create(c: NeutronCollection, attrs: Rec, projectId: string): Rec {
    const id = attrs.id ?? crypto.randomUUID();
    const project = attrs.project_id ?? attrs.tenant_id ?? projectId;
    const base: Rec = {
      id,
      name: attrs.name ?? "",
      description: attrs.description ?? "",
      project_id: project,
      tenant_id: project,
      tags: attrs.tags ?? [],
    };
    let rec: Rec;
    switch (c) {
      case "networks":
        rec = {
          ...base,
          admin_state_up: attrs.admin_state_up ?? true,
          status: "ACTIVE",
          shared: attrs.shared ?? false,
          "router:external": attrs["router:external"] ?? false,
          mtu: attrs.mtu ?? 1442,
          availability_zone_hints: [],
          availability_zones: ["nova"],
          ipv4_address_scope: null,
          ipv6_address_scope: null,
          port_security_enabled: attrs.port_security_enabled ?? true,
          is_default: false,
          "provider:network_type": attrs["provider:network_type"] ?? "geneve",
          "provider:physical_network": attrs["provider:physical_network"] ?? null,
          "provider:segmentation_id": attrs["provider:segmentation_id"] ?? null,
        };
        break;
      case "subnets": {
        const net = this.get("networks", attrs.network_id);
        let cidr: string | undefined = attrs.cidr;
        if (!cidr && attrs.subnetpool_id) {
          const pool = this.get("subnetpools", attrs.subnetpool_id);
          const plen = attrs.prefixlen ?? pool.default_prefixlen;
          const taken = new Set(
            this.region.all("subnets").filter((s) => s.subnetpool_id === pool.id).map((s) => s.cidr),
          );
          for (let i = 0; !cidr; i++) {
            const candidate = nthPrefix(pool.prefixes[0], plen, i);
            if (!inCidr(candidate.split("/")[0], pool.prefixes[0])) {
              throw neutronBadRequest("subnet", "Insufficient prefix space to allocate subnet size /" + plen);
            }
            if (!taken.has(candidate)) cidr = candidate;
          }
        }
        if (!cidr) throw neutronBadRequest("subnet", "a cidr must be specified in the absence of a subnet pool");
        const d = subnetDefaults(cidr, attrs.gateway_ip);
        rec = {
          ...base,
          network_id: net.id,
          ip_version: attrs.ip_version ?? 4,
          cidr,
          gateway_ip: d.gateway_ip,
          allocation_pools: attrs.allocation_pools ?? d.allocation_pools,
          enable_dhcp: attrs.enable_dhcp ?? true,
          dns_nameservers: attrs.dns_nameservers ?? [],
          host_routes: attrs.host_routes ?? [],
          ipv6_address_mode: null,
          ipv6_ra_mode: null,
          subnetpool_id: attrs.subnetpool_id ?? null,
          service_types: [],
          segment_id: null,
          dns_publish_fixed_ip: null,
        };
        break;
      }
      case "ports": {
        const net = this.get("networks", attrs.network_id);
        const used = this.#usedIps(net.id);
        let fixed: Rec[] = attrs.fixed_ips ?? [];
        if (!attrs.fixed_ips) {
          const subnet = this.region.all("subnets").find((s) => s.network_id === net.id);
          fixed = subnet ? [{ subnet_id: subnet.id, ip_address: nextFreeAddress(subnet, used) }] : [];
        } else {
          fixed = fixed.map((f) => {
            const subnet = f.subnet_id
              ? this.get("subnets", f.subnet_id)
              : this.region.all("subnets").find((s) =>
                s.network_id === net.id && f.ip_address && inCidr(f.ip_address, s.cidr)
              );
            if (!subnet) {
              throw neutronBadRequest(
                "port",
                `Invalid input for operation: IP address ${f.ip_address} is not a valid IP for the specified subnet.`,
              );
            }
            const ip = f.ip_address ?? nextFreeAddress(subnet, used);
            if (used.has(ip)) {
              throw neutronError(
                409,
                "IpAddressAlreadyAllocated",
                `IP address ${ip} already allocated in subnet ${subnet.id}`,
              );
            }
            used.add(ip);
            return { subnet_id: subnet.id, ip_address: ip };
          });
        }
        const sgDefault = this.region.all("security-groups").find((g) =>
          g.name === "default" && g.project_id === project
        );
        rec = {
          ...base,
          network_id: net.id,
          admin_state_up: attrs.admin_state_up ?? true,
          status: attrs.device_id ? "ACTIVE" : "DOWN",
          mac_address: attrs.mac_address ?? macFor(id),
          fixed_ips: fixed,
          device_id: attrs.device_id ?? "",
          device_owner: attrs.device_owner ?? "",
          security_groups: attrs.security_groups ??
            (attrs.device_owner?.startsWith("network:") ? [] : sgDefault ? [sgDefault.id] : []),
          allowed_address_pairs: attrs.allowed_address_pairs ?? [],
          extra_dhcp_opts: attrs.extra_dhcp_opts ?? [],
          port_security_enabled: attrs.port_security_enabled ?? true,
          "binding:host_id": attrs["binding:host_id"] ?? "",
          "binding:vif_type": attrs.device_id ? "ovs" : "unbound",
          "binding:vnic_type": "normal",
          "binding:profile": {},
          "binding:vif_details": {},
          propagate_uplink_status: false,
          dns_name: "",
          dns_assignment: [],
          qos_policy_id: null,
          qos_network_policy_id: null,
          ip_allocation: "immediate",
        };
        break;
      }
      case "routers":
        rec = {
          ...base,
          admin_state_up: attrs.admin_state_up ?? true,
          status: "ACTIVE",
          external_gateway_info: attrs.external_gateway_info ?? null,
          routes: [],
          distributed: false,
          ha: false,
          availability_zone_hints: [],
          availability_zones: ["nova"],
          flavor_id: null,
        };
        break;
      case "trunks": {
        const parent = this.get("ports", attrs.port_id);
        if (this.region.all("trunks").some((t) => t.port_id === parent.id)) {
          throw neutronError(409, "TrunkPortInUse", `Port ${parent.id} is in use by another trunk.`);
        }
        rec = {
          ...base,
          port_id: parent.id,
          admin_state_up: attrs.admin_state_up ?? true,
          status: parent.device_id ? "ACTIVE" : "DOWN",
          sub_ports: attrs.sub_ports ?? [],
        };
        break;
      }
      case "security-groups":
        rec = { ...base, stateful: attrs.stateful ?? true, shared: false };
        this.#storeNew(c, rec);
        if (attrs.defaultRules !== false) {
          for (const ethertype of ["IPv4", "IPv6"]) {
            this.create("security-group-rules", { security_group_id: id, direction: "egress", ethertype }, project);
          }
        }
        return rec;
      case "security-group-rules": {
        const sg = this.get("security-groups", attrs.security_group_id);
        const rule: Rec = {
          id,
          project_id: sg.project_id,
          tenant_id: sg.project_id,
          security_group_id: sg.id,
          direction: attrs.direction ?? "ingress",
          ethertype: attrs.ethertype ?? "IPv4",
          protocol: attrs.protocol ?? null,
          port_range_min: attrs.port_range_min ?? null,
          port_range_max: attrs.port_range_max ?? null,
          remote_ip_prefix: attrs.remote_ip_prefix ?? null,
          remote_group_id: attrs.remote_group_id ?? null,
          remote_address_group_id: null,
          normalized_cidr: attrs.remote_ip_prefix ?? null,
          description: attrs.description ?? "",
          tags: [],
        };
        const same = (r: Rec) =>
          [
            "security_group_id",
            "direction",
            "ethertype",
            "protocol",
            "port_range_min",
            "port_range_max",
            "remote_ip_prefix",
            "remote_group_id",
          ].every((k) => (r[k] ?? null) === (rule[k] ?? null));
        const dup = this.region.all("security-group-rules").find(same);
        if (dup) {
          throw neutronError(
            409,
            "SecurityGroupRuleExists",
            `Security group rule already exists. Rule id is ${dup.id}.`,
          );
        }
        rec = rule;
        break;
      }
      case "subnetpools":
        rec = {
          ...base,
          prefixes: attrs.prefixes ?? [],
          default_prefixlen: attrs.default_prefixlen ?? 24,
          min_prefixlen: attrs.min_prefixlen ?? 8,
          max_prefixlen: attrs.max_prefixlen ?? 32,
          ip_version: 4,
          shared: attrs.shared ?? false,
          is_default: false,
          address_scope_id: null,
          default_quota: null,
        };
        break;
      case "floatingips": {
        const ext = this.get("networks", attrs.floating_network_id);
        const subnet = this.region.all("subnets").find((s) => s.network_id === ext.id);
        const used = new Set(this.region.all("floatingips").map((f) => f.floating_ip_address));
        const address = attrs.floating_ip_address ?? (subnet ? nextFreeAddress(subnet, used) : "0.0.0.0");
        const port = attrs.port_id ? this.get("ports", attrs.port_id) : undefined;
        rec = {
          ...base,
          floating_ip_address: address,
          floating_network_id: ext.id,
          router_id: null,
          port_id: port?.id ?? null,
          fixed_ip_address: port ? (attrs.fixed_ip_address ?? port.fixed_ips[0]?.ip_address ?? null) : null,
          status: port ? "ACTIVE" : "DOWN",
          port_details: null,
          dns_domain: "",
          dns_name: "",
          port_forwardings: [],
          qos_policy_id: null,
        };
        break;
      }
    }
    return this.#storeNew(c, rec);
  }

  #storeNew(c: NeutronCollection, rec: Rec): Rec {
    if (this.region.net(c).has(rec.id)) throw neutronError(409, "Conflict", `${SINGULAR[c]} ${rec.id} already exists`);
    if (c === "security-group-rules") delete rec.tags;
    this.#stamp(rec);
    this.region.net(c).set(rec.id, rec);
    return rec;
  }

  /** PUT semantics: changes the given attributes (never id or project). */
  update(c: NeutronCollection, id: string, attrs: Rec): Rec {
    const rec = this.get(c, id);
    for (const [k, v] of Object.entries(attrs ?? {})) {
      if (["id", "project_id", "tenant_id", "created_at", "updated_at", "revision_number", "network_id"].includes(k)) {
        continue;
      }
      rec[k] = v;
    }
    this.#touch(rec);
    return rec;
  }

  /** DELETE semantics, with Neutron's conflicts. */
  delete(c: NeutronCollection, id: string, opts: { admin?: boolean } = {}): void {
    const rec = this.get(c, id);
    const ports = this.region.net("ports");
    switch (c) {
      case "networks": {
        const inUse = [...ports.values()].filter((p) =>
          p.network_id === id && !AUTO_DELETE_PORT_OWNERS.includes(p.device_owner)
        );
        if (inUse.length) {
          throw neutronError(
            409,
            "NetworkInUse",
            `Unable to complete operation on network ${id}. There are one or more ports still in use on the network, id for these ports is: ${
              inUse.map((p) => p.id).join(",")
            }.`,
          );
        }
        for (const p of [...ports.values()]) if (p.network_id === id) ports.delete(p.id);
        for (const s of this.region.all("subnets")) if (s.network_id === id) this.region.net("subnets").delete(s.id);
        break;
      }
      case "subnets": {
        const inUse = [...ports.values()].filter((p) =>
          !AUTO_DELETE_PORT_OWNERS.includes(p.device_owner) && (p.fixed_ips ?? []).some((f: Rec) => f.subnet_id === id)
        );
        if (inUse.length) {
          throw neutronError(
            409,
            "SubnetInUse",
            `Unable to complete operation on subnet ${id}: One or more ports have an IP allocation from this subnet.`,
          );
        }
        for (const p of ports.values()) p.fixed_ips = (p.fixed_ips ?? []).filter((f: Rec) => f.subnet_id !== id);
        break;
      }
      case "ports": {
        if (L3_OWNERS.includes(rec.device_owner)) {
          throw neutronError(
            409,
            "ServicePortInUse",
            `Port ${id} cannot be deleted directly via the port API: has device owner ${rec.device_owner}.`,
          );
        }
        // neutron/services/trunk/rules.py enforce_port_deletion_rules (raised as-is by ml2 _pre_delete_port).
        const asSub = this.region.all("trunks").find((t) => t.sub_ports.some((s: Rec) => s.port_id === id));
        if (asSub) {
          throw neutronError(409, "PortInUseAsSubPort", `Port ${id} is currently a subport for trunk ${asSub.id}.`);
        }
        const asParent = this.region.all("trunks").find((t) => t.port_id === id);
        if (asParent) {
          throw neutronError(
            409,
            "PortInUseAsTrunkParent",
            `Port ${id} is currently a parent port for trunk ${asParent.id}.`,
          );
        }
        for (const f of this.region.all("floatingips")) {
          if (f.port_id === id) {
            Object.assign(f, { port_id: null, fixed_ip_address: null, router_id: null, status: "DOWN" });
          }
        }
        break;
      }
      case "routers": {
        const attached = [...ports.values()].filter((p) =>
          p.device_id === id && p.device_owner === "network:router_interface"
        );
        if (attached.length) {
          throw neutronError(
            409,
            "RouterInUse",
            `Router ${id} has ports still attached: ${attached.map((p) => p.id).join(", ")}`,
          );
        }
        for (const p of [...ports.values()]) {
          if (p.device_id === id && p.device_owner === "network:router_gateway") ports.delete(p.id);
        }
        break;
      }
      case "security-groups": {
        if (rec.name === "default" && !opts.admin) {
          throw neutronError(
            409,
            "SecurityGroupCannotRemoveDefault",
            "Insufficient rights for removing default security group.",
          );
        }
        if ([...ports.values()].some((p) => (p.security_groups ?? []).includes(id))) {
          throw neutronError(409, "SecurityGroupInUse", `Security Group ${id} in use.`);
        }
        const rules = this.region.net("security-group-rules");
        for (const r of [...rules.values()]) {
          if (r.security_group_id === id || r.remote_group_id === id) rules.delete(r.id);
        }
        break;
      }
      case "subnetpools":
        // neutron/db/db_base_plugin_v2.py delete_subnetpool: a 400, not SubnetPoolInUse.
        if (this.region.all("subnets").some((s) => s.subnetpool_id === id)) {
          throw neutronError(
            400,
            "SubnetPoolDeleteError",
            "Unable to delete subnet pool: Subnet pool has existing allocations.",
          );
        }
        break;
      case "trunks":
        if (rec.status === "ACTIVE" && this.get("ports", rec.port_id).device_id) {
          throw neutronError(409, "TrunkInUse", `Trunk ${id} is currently in use.`);
        }
        break;
    }
    this.region.net(c).delete(id);
  }

  addRouterInterface(routerId: string, body: Rec): Rec {
    const router = this.get("routers", routerId);
    let port: Rec;
    if (body?.port_id) {
      port = this.get("ports", body.port_id);
      if (port.device_id) {
        throw neutronError(
          409,
          "PortInUse",
          `Unable to complete operation on port ${port.id} for network ${port.network_id}. Port already has an attached device ${port.device_id}.`,
        );
      }
      Object.assign(port, { device_id: router.id, device_owner: "network:router_interface", status: "ACTIVE" });
      this.#touch(port);
    } else if (body?.subnet_id) {
      const subnet = this.get("subnets", body.subnet_id);
      const exists = this.region.all("ports").some((p) =>
        p.device_id === router.id && p.device_owner === "network:router_interface" &&
        p.fixed_ips.some((f: Rec) => f.subnet_id === subnet.id)
      );
      if (exists) throw neutronBadRequest("router", `Router already has a port on subnet ${subnet.id}`);
      port = this.create("ports", {
        network_id: subnet.network_id,
        fixed_ips: [{ subnet_id: subnet.id, ip_address: subnet.gateway_ip }],
        device_id: router.id,
        device_owner: "network:router_interface",
        security_groups: [],
        project_id: router.project_id,
      }, router.project_id);
    } else throw neutronBadRequest("router", "Either subnet_id or port_id must be specified");
    this.#touch(router);
    return interfaceInfo(router, port);
  }

  removeRouterInterface(routerId: string, body: Rec): Rec {
    const router = this.get("routers", routerId);
    const ports = this.region.net("ports");
    const own = (p: Rec) => p.device_id === router.id && p.device_owner === "network:router_interface";
    let port: Rec | undefined;
    if (body?.port_id) {
      port = ports.get(body.port_id);
      if (!port || !own(port)) {
        throw neutronError(
          404,
          "RouterInterfaceNotFound",
          `Router ${router.id} does not have an interface with id ${body.port_id}`,
        );
      }
    } else if (body?.subnet_id) {
      const subnet = this.get("subnets", body.subnet_id);
      port = [...ports.values()].find((p) => own(p) && p.fixed_ips.some((f: Rec) => f.subnet_id === subnet.id));
      if (!port) {
        throw neutronError(
          404,
          "RouterInterfaceNotFoundForSubnet",
          `Router ${router.id} has no interface on subnet ${subnet.id}`,
        );
      }
    } else throw neutronBadRequest("router", "Either subnet_id or port_id must be specified");
    ports.delete(port.id);
    this.#touch(router);
    return interfaceInfo(router, port);
  }

  addSubports(trunkId: string, subPorts: Rec[]): Rec {
    const trunk = this.get("trunks", trunkId);
    for (const s of subPorts ?? []) {
      this.get("ports", s.port_id);
      const other = this.region.all("trunks").find((t) =>
        t.port_id === s.port_id || t.sub_ports.some((x: Rec) => x.port_id === s.port_id)
      );
      if (other) {
        throw neutronError(
          409,
          "PortInUseAsSubPort",
          `Port ${s.port_id} is currently a subport for trunk ${other.id}.`,
        );
      }
      if (trunk.sub_ports.some((x: Rec) => x.segmentation_id === s.segmentation_id)) {
        throw neutronError(
          409,
          "DuplicateSubPort",
          `segmentation_type ${s.segmentation_type} and segmentation_id ${s.segmentation_id} already in use on trunk ${trunk.id}.`,
        );
      }
      trunk.sub_ports.push({
        port_id: s.port_id,
        segmentation_type: s.segmentation_type ?? "vlan",
        segmentation_id: s.segmentation_id,
      });
    }
    this.#touch(trunk);
    return trunk;
  }

  removeSubports(trunkId: string, subPorts: Rec[]): Rec {
    const trunk = this.get("trunks", trunkId);
    for (const s of subPorts ?? []) {
      if (!trunk.sub_ports.some((x: Rec) => x.port_id === s.port_id)) {
        throw neutronError(404, "SubPortNotFound", `SubPort ${s.port_id} on trunk ${trunk.id} could not be found.`);
      }
    }
    const gone = new Set((subPorts ?? []).map((s) => s.port_id));
    trunk.sub_ports = trunk.sub_ports.filter((x: Rec) => !gone.has(x.port_id));
    this.#touch(trunk);
    return trunk;
  }

  /** The API view of a stored resource (derived attributes filled in). */
  render(c: NeutronCollection, rec: Rec): Rec {
    if (c === "networks") {
      return {
        ...rec,
        subnets: this.region.all("subnets").filter((s) => s.network_id === rec.id).map((s) => s.id),
      };
    }
    if (c === "security-groups") {
      return {
        ...rec,
        security_group_rules: this.region.all("security-group-rules").filter((r) => r.security_group_id === rec.id).map(
          (r) => ({ ...r }),
        ),
      };
    }
    if (c === "trunks") return { ...rec, sub_ports: rec.sub_ports.map((s: Rec) => ({ ...s })) };
    return { ...rec };
  }

  /** Whether the token's project may see the resource. */
  visible(c: NeutronCollection, rec: Rec, req: Pick<ServiceRequest, "isAdmin" | "token">): boolean {
    if (req.isAdmin) return true;
    if (rec.project_id === req.token.project?.id) return true;
    return c === "networks" && (rec.shared || rec["router:external"]);
  }
}

function interfaceInfo(router: Rec, port: Rec): Rec {
  const subnets = port.fixed_ips.map((f: Rec) => f.subnet_id);
  return {
    id: router.id,
    tenant_id: router.project_id,
    project_id: router.project_id,
    port_id: port.id,
    network_id: port.network_id,
    subnet_id: subnets[0],
    subnet_ids: subnets,
  };
}

const COLLECTION_SET = new Set<string>(NEUTRON_COLLECTIONS);

/** Serves one request under `/network`. */
export function handleNeutron(req: ServiceRequest, neutron: Neutron): ServiceResponse {
  const path = req.path.replace(/\.json$/, "").replace(/\/+$/, "");
  const m = req.method;
  const base = `${req.origin}${req.prefix}`;
  if (path === "" && m === "GET") {
    return {
      status: 200,
      body: { versions: [{ status: "CURRENT", id: "v2.0", links: [{ href: `${base}/v2.0/`, rel: "self" }] }] },
    };
  }
  if (path === "/v2.0" && m === "GET") {
    return {
      status: 200,
      body: {
        resources: NEUTRON_COLLECTIONS.map((c) => ({
          links: [{ href: `${base}/v2.0/${c}`, rel: "self" }],
          name: SINGULAR[c],
          collection: PLURAL_KEY(c),
        })),
      },
    };
  }
  if (path === "/v2.0/extensions" && m === "GET") {
    return {
      status: 200,
      body: {
        extensions: EXTENSIONS.map(([alias, name]) => ({
          alias,
          name,
          description: name,
          links: [],
          updated: "2019-01-01T10:00:00-00:00",
        })),
      },
    };
  }
  const seg = path.split("/").slice(1); // ["v2.0", coll, id, sub, tag]
  if (seg[0] !== "v2.0" || !COLLECTION_SET.has(seg[1])) throw notFound();
  const c = seg[1] as NeutronCollection;
  const key = SINGULAR[c];
  const [id, sub, tag] = [seg[2], seg[3], seg[4]];
  const project = req.token.project?.id ?? "";
  const visibleGet = (rid: string) => {
    const rec = neutron.get(c, rid);
    if (!neutron.visible(c, rec, req)) throw NEUTRON_NOT_FOUND[c](rid);
    return rec;
  };

  if (!id) {
    if (m === "GET") {
      const items = [...neutron.region.net(c).values()].filter((r) => neutron.visible(c, r, req)).map((r) =>
        neutron.render(c, r)
      );
      const { items: page, links } = listQuery(items, {
        flavor: "neutron",
        url: req.url,
        publicBase: req.origin,
        tagsSupported: true,
      });
      const body: Rec = { [PLURAL_KEY(c)]: page };
      if (req.url.searchParams.has("limit")) body[`${PLURAL_KEY(c)}_links`] = links;
      return { status: 200, body };
    }
    if (m === "POST") {
      const bulk = req.body?.[PLURAL_KEY(c)];
      if (Array.isArray(bulk)) {
        return {
          status: 201,
          body: { [PLURAL_KEY(c)]: bulk.map((a) => neutron.render(c, neutron.create(c, a, project))) },
        };
      }
      const attrs = req.body?.[key];
      if (!attrs || typeof attrs !== "object") throw neutronBadRequest("resource", `Resource body required`);
      if (!req.isAdmin && attrs.project_id && attrs.project_id !== project) {
        throw neutronError(
          403,
          "HTTPForbidden",
          "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin privileges",
        );
      }
      return { status: 201, body: { [key]: neutron.render(c, neutron.create(c, attrs, project)) } };
    }
    throw methodNotAllowed();
  }

  if (sub === "tags") {
    const rec = visibleGet(id);
    rec.tags ??= [];
    if (tag === undefined) {
      if (m === "GET") return { status: 200, body: { tags: [...rec.tags] } };
      if (m === "PUT") {
        const tags = req.body?.tags;
        if (!Array.isArray(tags)) throw neutronBadRequest("tags", "Invalid input for tags");
        rec.tags = [...new Set(tags.map(String))];
        return { status: 200, body: { tags: [...rec.tags] } };
      }
      if (m === "DELETE") {
        rec.tags = [];
        return { status: 204 };
      }
    } else {
      const t = decodeURIComponent(tag);
      if (m === "GET") {
        if (!rec.tags.includes(t)) {
          throw neutronError(404, "TagNotFound", `Tag ${t} could not be found for ${key} ${id}.`);
        }
        return { status: 204 };
      }
      if (m === "PUT") {
        if (!rec.tags.includes(t)) rec.tags.push(t);
        return { status: 201 };
      }
      if (m === "DELETE") {
        if (!rec.tags.includes(t)) {
          throw neutronError(404, "TagNotFound", `Tag ${t} could not be found for ${key} ${id}.`);
        }
        rec.tags = rec.tags.filter((x: string) => x !== t);
        return { status: 204 };
      }
    }
    throw methodNotAllowed();
  }

  if (sub) {
    visibleGet(id);
    if (c === "routers" && m === "PUT" && sub === "add_router_interface") {
      return { status: 200, body: neutron.addRouterInterface(id, req.body) };
    }
    if (c === "routers" && m === "PUT" && sub === "remove_router_interface") {
      return { status: 200, body: neutron.removeRouterInterface(id, req.body) };
    }
    if (c === "trunks" && m === "PUT" && sub === "add_subports") {
      return { status: 200, body: neutron.render(c, neutron.addSubports(id, req.body?.sub_ports)) };
    }
    if (c === "trunks" && m === "PUT" && sub === "remove_subports") {
      return { status: 200, body: neutron.render(c, neutron.removeSubports(id, req.body?.sub_ports)) };
    }
    if (c === "trunks" && m === "GET" && sub === "get_subports") {
      return { status: 200, body: { sub_ports: neutron.get(c, id).sub_ports.map((s: Rec) => ({ ...s })) } };
    }
    throw notFound();
  }

  if (m === "GET") {
    const rec = neutron.render(c, visibleGet(id));
    const fields = req.url.searchParams.getAll("fields");
    return {
      status: 200,
      body: { [key]: fields.length ? Object.fromEntries(fields.filter((f) => f in rec).map((f) => [f, rec[f]])) : rec },
    };
  }
  if (m === "PUT") {
    visibleGet(id);
    return { status: 200, body: { [key]: neutron.render(c, neutron.update(c, id, req.body?.[key] ?? {})) } };
  }
  if (m === "DELETE") {
    visibleGet(id);
    neutron.delete(c, id, { admin: req.isAdmin });
    return { status: 204 };
  }
  throw methodNotAllowed();
}

const notFound = () =>
  new OpenStackHttpError(404, {
    NeutronError: { type: "HTTPNotFound", message: "The resource could not be found.", detail: "" },
  }, "not found");
const methodNotAllowed = () =>
  new OpenStackHttpError(405, {
    NeutronError: {
      type: "HTTPMethodNotAllowed",
      message: "The method is not allowed for the requested resource.",
      detail: "",
    },
  }, "method not allowed");
