/**
 * Neutron v2.0 resources as the product reads them. Loose: unknown fields pass through, fields Neutron may
 * leave out (extensions not loaded, `fields=` lists, older releases) are optional, lists default to empty.
 */
import { z } from "zod";

const str = z.string().optional();
const nstr = z.string().nullish();
const tags = z.array(z.string()).default([]);
const common = {
  id: z.string(),
  name: z.string().default(""),
  description: z.string().nullish(),
  project_id: str,
  tenant_id: str,
  tags,
  created_at: str,
  updated_at: str,
};

export const NetworkSchema = z.looseObject({
  ...common,
  status: str,
  subnets: z.array(z.string()).default([]),
  admin_state_up: z.boolean().optional(),
  shared: z.boolean().optional(),
  "router:external": z.boolean().optional(),
  mtu: z.number().optional(),
});
export type Network = z.infer<typeof NetworkSchema>;

export const SubnetSchema = z.looseObject({
  ...common,
  network_id: z.string(),
  cidr: z.string(),
  ip_version: z.number().optional(),
  gateway_ip: nstr,
  subnetpool_id: nstr,
  enable_dhcp: z.boolean().optional(),
  allocation_pools: z.array(z.looseObject({ start: z.string(), end: z.string() })).optional(),
});
export type Subnet = z.infer<typeof SubnetSchema>;

export const FixedIpSchema = z.looseObject({ subnet_id: z.string().optional(), ip_address: z.string().optional() });

export const PortSchema = z.looseObject({
  ...common,
  network_id: z.string(),
  device_owner: z.string().default(""),
  device_id: z.string().default(""),
  mac_address: str,
  status: str,
  fixed_ips: z.array(FixedIpSchema).default([]),
  security_groups: z.array(z.string()).default([]),
  admin_state_up: z.boolean().optional(),
  trunk_details: z.looseObject({
    trunk_id: z.string(),
    sub_ports: z.array(z.looseObject({ port_id: z.string() })).default([]),
  }).nullish(),
});
export type Port = z.infer<typeof PortSchema>;

export const RouterSchema = z.looseObject({
  ...common,
  status: str,
  admin_state_up: z.boolean().optional(),
  external_gateway_info: z.looseObject({
    network_id: z.string(),
    external_fixed_ips: z.array(FixedIpSchema).optional(),
  }).nullish(),
  routes: z.array(z.looseObject({ destination: z.string(), nexthop: z.string() })).optional(),
});
export type Router = z.infer<typeof RouterSchema>;

/** The answer of `PUT /routers/{id}/remove_router_interface` (and add_router_interface). */
export const RouterInterfaceInfoSchema = z.looseObject({
  id: z.string(),
  port_id: str,
  subnet_id: str,
  subnet_ids: z.array(z.string()).optional(),
  network_id: str,
  project_id: str,
  tenant_id: str,
});
export type RouterInterfaceInfo = z.infer<typeof RouterInterfaceInfoSchema>;

export const SubportSchema = z.looseObject({
  port_id: z.string(),
  segmentation_type: str,
  segmentation_id: z.number().optional(),
});
export type Subport = z.infer<typeof SubportSchema>;

export const TrunkSchema = z.looseObject({
  ...common,
  port_id: z.string(),
  status: str,
  admin_state_up: z.boolean().optional(),
  sub_ports: z.array(SubportSchema).default([]),
});
export type Trunk = z.infer<typeof TrunkSchema>;

export const SecurityGroupRuleSchema = z.looseObject({
  id: z.string(),
  security_group_id: z.string(),
  direction: z.string(),
  ethertype: str,
  protocol: nstr,
  port_range_min: z.number().nullish(),
  port_range_max: z.number().nullish(),
  remote_ip_prefix: nstr,
  remote_group_id: nstr,
  description: nstr,
  project_id: str,
  tenant_id: str,
  tags,
});
export type SecurityGroupRule = z.infer<typeof SecurityGroupRuleSchema>;

export const SecurityGroupSchema = z.looseObject({
  ...common,
  security_group_rules: z.array(SecurityGroupRuleSchema).optional(),
  stateful: z.boolean().optional(),
});
export type SecurityGroup = z.infer<typeof SecurityGroupSchema>;

export const SubnetPoolSchema = z.looseObject({
  ...common,
  prefixes: z.array(z.string()).default([]),
  default_prefixlen: z.union([z.number(), z.string()]).optional(),
  ip_version: z.number().optional(),
  shared: z.boolean().optional(),
});
export type SubnetPool = z.infer<typeof SubnetPoolSchema>;

export const FloatingIpSchema = z.looseObject({
  id: z.string(),
  floating_ip_address: z.string(),
  floating_network_id: z.string(),
  fixed_ip_address: nstr,
  port_id: nstr,
  router_id: nstr,
  status: str,
  description: nstr,
  project_id: str,
  tenant_id: str,
  tags,
});
export type FloatingIp = z.infer<typeof FloatingIpSchema>;

/** A rule to create (POST /security-group-rules); Neutron fills the rest. */
export interface SecurityGroupRuleCreate {
  security_group_id: string;
  direction: "ingress" | "egress";
  ethertype?: "IPv4" | "IPv6";
  protocol?: string | null;
  port_range_min?: number | null;
  port_range_max?: number | null;
  remote_ip_prefix?: string | null;
  remote_group_id?: string | null;
  description?: string;
}
