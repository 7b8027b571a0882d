/**
 * Neutron (v2.0) calls the product makes: list (with Neutron's filters, every page), get, find by name or
 * id, delete, for networks, subnets, ports, routers, trunks, security groups and rules, subnet pools and
 * floating IPs; a router's `remove_router_interface`, a trunk's `remove_subports`, and creating a security
 * group rule. A 404 of a delete or a remove is an outcome, not an error: whether "already gone" is fine is the
 * caller's choice.
 */
import { z } from "zod";
import { CliError } from "../errors.ts";
import { ExitCode } from "../exit_codes.ts";
import { isNotFound, OpenStackError } from "./errors.ts";
import {
  FloatingIpSchema,
  NetworkSchema,
  PortSchema,
  type RouterInterfaceInfo,
  RouterInterfaceInfoSchema,
  RouterSchema,
  type SecurityGroupRuleCreate,
  SecurityGroupRuleSchema,
  SecurityGroupSchema,
  SubnetPoolSchema,
  SubnetSchema,
  type Trunk,
  TrunkSchema,
} from "./neutron_schemas.ts";
import type { ListOptions, OpenStackSession, Query } from "./session.ts";
import { hasTagFilters, matchesTagFilters } from "./tags.ts";

/**
 * Neutron list filters, under Neutron's own names. `tags` = every tag given, `tags-any` = at least one,
 * `not-tags` = not all of them, `not-tags-any` = none of them; any other attribute (`name`, `network_id`,
 * `device_owner`, `project_id` …) matches exactly, an array meaning any of the values.
 */
export interface NeutronFilters {
  tags?: readonly string[];
  "tags-any"?: readonly string[];
  "not-tags"?: readonly string[];
  "not-tags-any"?: readonly string[];
  name?: string | readonly string[];
  id?: string | readonly string[];
  network_id?: string | readonly string[];
  device_owner?: string | readonly string[];
  device_id?: string | readonly string[];
  project_id?: string | readonly string[];
  description?: string | readonly string[];
  [attribute: string]: string | number | boolean | readonly string[] | undefined;
}

const TAG_FILTERS = new Set(["tags", "tags-any", "not-tags", "not-tags-any"]);

/** Filters as query parameters: tag lists comma-joined (Neutron's syntax), other arrays repeated. */
export function neutronQuery(filters: NeutronFilters = {}, fields?: readonly string[]): Query {
  const q: Query = {};
  for (const [k, v] of Object.entries(filters)) {
    if (v === undefined) continue;
    if (TAG_FILTERS.has(k)) {
      const list = typeof v === "string" ? [v] : v as readonly string[];
      if (list.length > 0) q[k] = list.join(",");
    } else {
      q[k] = v;
    }
  }
  if (fields?.length) q.fields = fields;
  return q;
}

/** What a delete found. */
export type DeleteOutcome = "deleted" | "not-found";

/** More than one resource has the name asked for. */
export class AmbiguousNameError extends CliError {
  constructor(readonly kind: string, readonly nameOrId: string, readonly ids: string[], cloud: string) {
    super(
      `${ids.length} ${kind}s of cloud ${cloud} are named ${nameOrId} (${ids.join(", ")}).`,
      ExitCode.RuntimeError,
      `Use the id of the one you mean, or remove the duplicates.`,
    );
  }
}

// deno-lint-ignore no-explicit-any
type AnyObject = z.ZodObject<any>;

/** One Neutron collection. */
export class NeutronCollection<S extends AnyObject> {
  constructor(
    protected readonly session: OpenStackSession,
    /** URL segment (`security-groups`). */
    readonly path: string,
    /** JSON key of the list (`security_groups`). */
    readonly key: string,
    /** JSON key of one item (`security_group`). */
    readonly singular: string,
    readonly schema: S,
  ) {}

  /** Every resource matching the filters, all pages followed (tag filters checked here too, see tags.ts). */
  async list(filters: NeutronFilters = {}, opts: ListOptions = {}): Promise<z.infer<S>[]> {
    const items = await this.session.list(
      "network",
      `/${this.path}`,
      this.key,
      this.schema,
      neutronQuery(filters),
      opts,
    );
    return this.keepTagged(items, filters);
  }

  /** Like list, asking Neutron for some fields only (`fields=`): the items have those (and `tags` with a tag filter). */
  async listFields(
    fields: readonly string[],
    filters: NeutronFilters = {},
    opts: ListOptions = {},
  ): Promise<Partial<z.infer<S>>[]> {
    const tagged = hasTagFilters(filters);
    const asked = tagged && !fields.includes("tags") ? [...fields, "tags"] : fields;
    const partial = this.schema.partial();
    const items = await this.session.list(
      "network",
      `/${this.path}`,
      this.key,
      partial,
      neutronQuery(filters, asked),
      opts,
    );
    return this.keepTagged(items as Partial<z.infer<S>>[], filters);
  }

  private keepTagged<T>(items: T[], filters: NeutronFilters): T[] {
    if (!hasTagFilters(filters)) return items;
    const kept = items.filter((i) => matchesTagFilters((i as { tags?: string[] }).tags ?? [], filters));
    if (kept.length < items.length) {
      this.session.debug(
        2,
        `Neutron returned ${items.length - kept.length} ${this.key} that do not match the tag filter; ignoring them`,
      );
    }
    return kept;
  }

  /** One resource by id; undefined when Neutron answers 404. */
  async get(id: string): Promise<z.infer<S> | undefined> {
    try {
      const doc = await this.session.json(
        "network",
        "GET",
        `/${this.path}/${encodeURIComponent(id)}`,
        z.looseObject({ [this.singular]: this.schema }),
      );
      return (doc as Record<string, unknown>)[this.singular] as z.infer<S>;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * The resource with this id or, failing that, the only one with this name (what the `openstack` CLI does
   * with a name-or-id argument); undefined when there is none, AmbiguousNameError when several share the name.
   */
  async find(nameOrId: string, filters: NeutronFilters = {}): Promise<z.infer<S> | undefined> {
    const byId = await this.get(nameOrId);
    if (byId) return byId;
    const byName = await this.list({ ...filters, name: nameOrId });
    if (byName.length > 1) {
      throw new AmbiguousNameError(
        this.singular.replaceAll("_", " "),
        nameOrId,
        byName.map((x) => String(x.id)),
        this.session.cloud.name,
      );
    }
    return byName[0];
  }

  /** Deletes one resource; "not-found" when Neutron answers 404 (never there, or already deleted). */
  async delete(id: string): Promise<DeleteOutcome> {
    try {
      await this.session.request("network", "DELETE", `/${this.path}/${encodeURIComponent(id)}`);
      return "deleted";
    } catch (err) {
      if (isNotFound(err)) return "not-found";
      throw err;
    }
  }
}

/** What `remove_router_interface` found. */
export type RouterInterfaceRemoval =
  | { removed: true; info: RouterInterfaceInfo }
  /** Neutron's RouterInterfaceNotFoundForSubnet / RouterInterfaceNotFound: nothing of that subnet or port was on the router. */
  | { removed: false; reason: "not-attached"; error: OpenStackError };

const NOT_ATTACHED = new Set(["RouterInterfaceNotFoundForSubnet", "RouterInterfaceNotFound"]);

export class Routers extends NeutronCollection<typeof RouterSchema> {
  /**
   * Detaches a subnet or a port from the router (Neutron deletes the interface port). A router that does not
   * exist is still an error (404 RouterNotFound); an interface that is not there is `removed: false`.
   */
  async removeInterface(
    routerId: string,
    target: { subnetId: string } | { portId: string },
  ): Promise<RouterInterfaceRemoval> {
    const body = "subnetId" in target ? { subnet_id: target.subnetId } : { port_id: target.portId };
    try {
      const info = await this.session.json(
        "network",
        "PUT",
        `/routers/${encodeURIComponent(routerId)}/remove_router_interface`,
        RouterInterfaceInfoSchema,
        { body },
      );
      return { removed: true, info };
    } catch (err) {
      if (err instanceof OpenStackError && err.status === 404 && NOT_ATTACHED.has(err.errorType ?? "")) {
        return { removed: false, reason: "not-attached", error: err };
      }
      throw err;
    }
  }
}

/** What `remove_subports` did. */
export type SubportRemoval =
  | { removed: true; portIds: string[]; trunk?: Trunk }
  /** Neutron's SubPortNotFound: one of the ports is not a subport of the trunk (nothing was removed). */
  | { removed: false; reason: "not-a-subport"; error: OpenStackError };

const TrunkAnswer = z.union([z.looseObject({ trunk: TrunkSchema }), TrunkSchema]);

export class Trunks extends NeutronCollection<typeof TrunkSchema> {
  /** Removes subports (one call for all of them); the trunk itself stays. An empty list makes no call. */
  async removeSubports(trunkId: string, portIds: readonly string[]): Promise<SubportRemoval> {
    if (portIds.length === 0) return { removed: true, portIds: [] };
    try {
      const doc = await this.session.json(
        "network",
        "PUT",
        `/trunks/${encodeURIComponent(trunkId)}/remove_subports`,
        TrunkAnswer,
        { body: { sub_ports: portIds.map((port_id) => ({ port_id })) } },
      );
      const trunk = "trunk" in doc ? doc.trunk as Trunk : doc as Trunk;
      return { removed: true, portIds: [...portIds], trunk };
    } catch (err) {
      if (err instanceof OpenStackError && err.status === 404 && err.errorType === "SubPortNotFound") {
        return { removed: false, reason: "not-a-subport", error: err };
      }
      throw err;
    }
  }
}

export class SecurityGroupRules extends NeutronCollection<typeof SecurityGroupRuleSchema> {
  /**
   * Creates a rule. A POST: not repeated after a 5xx (the rule may exist by then; Neutron answers a second
   * identical one with 409 SecurityGroupRuleExists, which the caller can treat as done).
   */
  async create(rule: SecurityGroupRuleCreate) {
    const doc = await this.session.json(
      "network",
      "POST",
      "/security-group-rules",
      z.looseObject({ security_group_rule: SecurityGroupRuleSchema }),
      { body: { security_group_rule: rule } },
    );
    return doc.security_group_rule;
  }
}

/** The Neutron API of one cloud. */
export class Neutron {
  readonly networks: NeutronCollection<typeof NetworkSchema>;
  readonly subnets: NeutronCollection<typeof SubnetSchema>;
  readonly ports: NeutronCollection<typeof PortSchema>;
  readonly routers: Routers;
  readonly trunks: Trunks;
  readonly securityGroups: NeutronCollection<typeof SecurityGroupSchema>;
  readonly securityGroupRules: SecurityGroupRules;
  readonly subnetPools: NeutronCollection<typeof SubnetPoolSchema>;
  readonly floatingIps: NeutronCollection<typeof FloatingIpSchema>;

  constructor(session: OpenStackSession) {
    this.networks = new NeutronCollection(session, "networks", "networks", "network", NetworkSchema);
    this.subnets = new NeutronCollection(session, "subnets", "subnets", "subnet", SubnetSchema);
    this.ports = new NeutronCollection(session, "ports", "ports", "port", PortSchema);
    this.routers = new Routers(session, "routers", "routers", "router", RouterSchema);
    this.trunks = new Trunks(session, "trunks", "trunks", "trunk", TrunkSchema);
    this.securityGroups = new NeutronCollection(
      session,
      "security-groups",
      "security_groups",
      "security_group",
      SecurityGroupSchema,
    );
    this.securityGroupRules = new SecurityGroupRules(
      session,
      "security-group-rules",
      "security_group_rules",
      "security_group_rule",
      SecurityGroupRuleSchema,
    );
    this.subnetPools = new NeutronCollection(session, "subnetpools", "subnetpools", "subnetpool", SubnetPoolSchema);
    this.floatingIps = new NeutronCollection(session, "floatingips", "floatingips", "floatingip", FloatingIpSchema);
  }
}
