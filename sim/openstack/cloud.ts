/**
 * The simulated cloud's state: per region a Neutron, an Octavia and a Nova (plus the few Glance images Nova
 * names), and the identity side shared by all regions. Resources are stored as the JSON the API returns for
 * them (Neutron/Octavia/Nova attribute names), minus the attributes derived from other resources at read
 * time (a network's `subnets`, a security group's rules, a load balancer's `listeners`/`pools`).
 */

/** One stored resource, in its API shape. */
// deno-lint-ignore no-explicit-any
export type Rec = Record<string, any>;

/** Neutron collections by their URL name. */
export const NEUTRON_COLLECTIONS = [
  "networks",
  "subnets",
  "ports",
  "routers",
  "trunks",
  "security-groups",
  "security-group-rules",
  "subnetpools",
  "floatingips",
] as const;
export type NeutronCollection = typeof NEUTRON_COLLECTIONS[number];

/** Octavia collections (`/v2/lbaas/<name>`). */
export const OCTAVIA_COLLECTIONS = ["loadbalancers", "listeners", "pools", "members"] as const;
export type OctaviaCollection = typeof OCTAVIA_COLLECTIONS[number];

/** The singular JSON key of each collection (`{"network": …}`, `{"security_group": …}`). */
export const SINGULAR: Record<string, string> = {
  networks: "network",
  subnets: "subnet",
  ports: "port",
  routers: "router",
  trunks: "trunk",
  "security-groups": "security_group",
  "security-group-rules": "security_group_rule",
  subnetpools: "subnetpool",
  floatingips: "floatingip",
  loadbalancers: "loadbalancer",
  listeners: "listener",
  pools: "pool",
  members: "member",
  servers: "server",
  flavors: "flavor",
  images: "image",
};

/** The JSON key of a collection in list bodies (`security_groups`, `floatingips`). */
export const PLURAL_KEY = (c: string) => c.replaceAll("-", "_");

/** One region's services. */
export class RegionCloud {
  readonly neutron = new Map<NeutronCollection, Map<string, Rec>>(
    NEUTRON_COLLECTIONS.map((c) => [c, new Map<string, Rec>()]),
  );
  readonly octavia = new Map<OctaviaCollection, Map<string, Rec>>(
    OCTAVIA_COLLECTIONS.map((c) => [c, new Map<string, Rec>()]),
  );
  readonly servers = new Map<string, Rec>();
  readonly flavors = new Map<string, Rec>();
  readonly images = new Map<string, Rec>();
  /** Server id → Kubernetes node name (the node whose providerID names the server). */
  readonly serverNodes = new Map<string, string>();

  constructor(readonly name: string) {}

  net(c: NeutronCollection): Map<string, Rec> {
    return this.neutron.get(c)!;
  }

  lbaas(c: OctaviaCollection): Map<string, Rec> {
    return this.octavia.get(c)!;
  }

  /** Every Neutron resource of a collection, in creation order. */
  all(c: NeutronCollection): Rec[] {
    return [...this.net(c).values()];
  }
}

/** A Keystone project. */
export interface Project {
  id: string;
  name: string;
  domainId: string;
  description: string;
}

/** A Keystone user with its role names on projects. */
export interface User {
  id: string;
  name: string;
  domainId: string;
  password: string;
  /** project id → role names */
  roles: Record<string, string[]>;
}

/** An application credential: scoped to its user's project, with the user's roles there. */
export interface AppCredential {
  id: string;
  name: string;
  userId: string;
  projectId: string;
  secret: string;
}

export interface Domain {
  id: string;
  name: string;
}

/** Keystone's records. */
export class IdentityState {
  readonly domains = new Map<string, Domain>([["default", { id: "default", name: "Default" }]]);
  readonly projects = new Map<string, Project>();
  readonly users = new Map<string, User>();
  readonly appCredentials = new Map<string, AppCredential>();
}

/** A resource that a correct clean-up must leave alone, and why it looks like a target. */
export interface Decoy {
  region: string;
  /** Neutron or Octavia collection, or "servers". */
  collection: string;
  id: string;
  name: string;
  why: string;
}

/** The whole simulated cloud. */
export class Cloud {
  readonly identity = new IdentityState();
  readonly regions = new Map<string, RegionCloud>();
  readonly decoys: Decoy[] = [];

  constructor(regionNames: string[]) {
    for (const r of regionNames) this.regions.set(r, new RegionCloud(r));
  }

  region(name: string): RegionCloud {
    const r = this.regions.get(name);
    if (!r) throw new Error(`no region ${name}`);
    return r;
  }

  /** The first region: where the scenario's cluster lives. */
  get main(): RegionCloud {
    return this.regions.values().next().value!;
  }

  /** Each decoy's current record (undefined once deleted), keyed `collection/id`: compare before and after. */
  decoyState(): Record<string, Rec | undefined> {
    const out: Record<string, Rec | undefined> = {};
    for (const d of this.decoys) {
      const r = this.region(d.region);
      const rec = d.collection === "servers"
        ? r.servers.get(d.id)
        : (r.neutron.get(d.collection as NeutronCollection) ?? r.octavia.get(d.collection as OctaviaCollection))
          ?.get(d.id);
      out[`${d.collection}/${d.id}`] = rec === undefined ? undefined : structuredClone(rec);
    }
    return out;
  }

  /** Resources (any region, any collection) carrying `tag`, for "nothing tagged is left" checks. */
  tagged(tag: string): { collection: string; id: string; name: string }[] {
    const out: { collection: string; id: string; name: string }[] = [];
    for (const r of this.regions.values()) {
      for (const [c, m] of [...r.neutron.entries(), ...r.octavia.entries()]) {
        for (const rec of m.values()) {
          if ((rec.tags ?? []).includes(tag)) out.push({ collection: c, id: rec.id, name: rec.name ?? "" });
        }
      }
    }
    return out;
  }
}
