/**
 * Octavia v2 (`/v2/lbaas/…`, `/v2.0/lbaas/…` as an alias): version discovery, providers, load balancers with
 * listeners, pools and members. A load balancer's VIP port lives in Neutron; cascade deletion is asynchronous
 * (PENDING_DELETE for `loadBalancerDeleteSeconds` of simulated time, then gone with its VIP port), and any
 * change while PENDING_* gets Octavia's 409 (octavia/api/v2/controllers/load_balancer.py _test_lb_status,
 * LBPendingStateError). The legacy mode plays Octavia before 2.5: no `tags` attribute, tag filters refused
 * (octavia 3.x pagination.py: InvalidFilterArgument).
 */
import type { SimClock } from "../clock.ts";
import type { Rec, RegionCloud } from "./cloud.ts";
import { octaviaError } from "./errors.ts";
import { listQuery } from "./listing.ts";
import type { Neutron } from "./neutron.ts";
import { isoSeconds, type ServiceRequest, type ServiceResponse } from "./service.ts";

/** Octavia's API versions (octavia/api/root_controller.py), the newest we announce per mode. */
const VERSION_DATES: [string, string][] = [
  ["v2.0", "2016-12-11T00:00:00Z"],
  ["v2.1", "2018-04-20T00:00:00Z"],
  ["v2.2", "2018-07-31T00:00:00Z"],
  ["v2.3", "2018-12-18T00:00:00Z"],
  ["v2.4", "2018-12-19T00:00:00Z"],
  ["v2.5", "2019-01-21T00:00:00Z"],
  ["v2.6", "2019-01-25T00:00:00Z"],
  ["v2.7", "2018-01-25T12:00:00Z"],
  ["v2.8", "2019-02-12T00:00:00Z"],
  ["v2.9", "2019-03-04T00:00:00Z"],
  ["v2.10", "2019-03-05T00:00:00Z"],
  ["v2.11", "2019-06-24T00:00:00Z"],
  ["v2.12", "2019-09-11T00:00:00Z"],
  ["v2.13", "2019-09-13T00:00:00Z"],
];
/** RHOSP 16.2 (Train) announces up to 2.13; "legacy" stops at 2.4, before tags. */
export const OCTAVIA_MAX = { current: "v2.13", legacy: "v2.4" };

export interface OctaviaOptions {
  clock: SimClock;
  /** Octavia < 2.5 (read per request: a run-time fault). */
  legacy: () => boolean;
  /** Simulated seconds a deletion stays PENDING_DELETE. */
  deleteSeconds: () => number;
  /** Simulated seconds a new load balancer stays PENDING_CREATE. */
  createSeconds: () => number;
  /** Answer 409 to changes while PENDING_* (the real behaviour). */
  pendingConflict: () => boolean;
}

export class Octavia {
  /** Load balancers being deleted: when the deletion started (simulated ms) and its timer. */
  readonly #deleting = new Map<string, { startedMs: number; timer?: ReturnType<SimClock["after"]> }>();

  constructor(readonly region: RegionCloud, readonly neutron: Neutron, readonly opts: OctaviaOptions) {}

  /** Re-times pending deletions after `loadBalancerDeleteSeconds` changed (shorter or longer). */
  retimeDeletions(): void {
    for (const id of this.#deleting.keys()) this.#scheduleDelete(id);
  }

  #scheduleDelete(id: string): void {
    const d = this.#deleting.get(id);
    if (!d) return;
    this.opts.clock.cancel(d.timer);
    const left = d.startedMs + this.opts.deleteSeconds() * 1000 - this.opts.clock.now();
    d.timer = this.opts.clock.after(Math.max(0, left), () => this.#finishDelete(id));
  }

  #now = () => isoSeconds(this.opts.clock.now());

  get(c: "loadbalancers" | "listeners" | "pools" | "members", id: string): Rec {
    const rec = this.region.lbaas(c).get(id);
    const names = { loadbalancers: "Load Balancer", listeners: "Listener", pools: "Pool", members: "Member" };
    if (!rec) throw octaviaError(404, `${names[c]} ${id} not found.`);
    return rec;
  }

  #assertMutable(lb: Rec): void {
    if (lb.provisioning_status.startsWith("PENDING_") && this.opts.pendingConflict()) {
      throw octaviaError(409, `Invalid state ${lb.provisioning_status} of loadbalancer resource ${lb.id}`);
    }
  }

  /** Creates a load balancer and its VIP port on the VIP subnet (as the amphora/OVN drivers do). */
  createLoadBalancer(attrs: Rec, projectId: string, opts: { active?: boolean } = {}): Rec {
    if (!attrs.vip_subnet_id && !attrs.vip_network_id && !attrs.vip_port_id) {
      throw octaviaError(
        400,
        "Validation failure: VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id.",
      );
    }
    const id = attrs.id ?? crypto.randomUUID();
    const project = attrs.project_id ?? projectId;
    const subnet = attrs.vip_subnet_id
      ? this.region.net("subnets").get(attrs.vip_subnet_id)
      : this.region.all("subnets").find((s) => s.network_id === attrs.vip_network_id);
    if (!subnet) {
      throw octaviaError(400, `Validation failure: Subnet ${attrs.vip_subnet_id ?? attrs.vip_network_id} not found.`);
    }
    const port = this.neutron.create("ports", {
      id: attrs.vip_port_id_seed,
      name: `octavia-lb-${id}`,
      network_id: subnet.network_id,
      fixed_ips: [{ subnet_id: subnet.id, ...(attrs.vip_address ? { ip_address: attrs.vip_address } : {}) }],
      device_owner: "Octavia",
      device_id: `lb-${id}`,
      security_groups: [],
      project_id: project,
    }, project);
    const t = this.#now();
    const lb: Rec = {
      id,
      name: attrs.name ?? "",
      description: attrs.description ?? "",
      provisioning_status: opts.active ? "ACTIVE" : "PENDING_CREATE",
      operating_status: opts.active ? "ONLINE" : "OFFLINE",
      admin_state_up: attrs.admin_state_up ?? true,
      project_id: project,
      created_at: t,
      updated_at: t,
      vip_address: port.fixed_ips[0].ip_address,
      vip_port_id: port.id,
      vip_subnet_id: subnet.id,
      vip_network_id: subnet.network_id,
      vip_qos_policy_id: null,
      provider: attrs.provider ?? "amphora",
      flavor_id: null,
      availability_zone: null,
      tags: attrs.tags ?? [],
    };
    this.region.lbaas("loadbalancers").set(id, lb);
    if (!opts.active) {
      this.opts.clock.after(this.opts.createSeconds() * 1000, () => {
        if (lb.provisioning_status === "PENDING_CREATE") {
          Object.assign(lb, { provisioning_status: "ACTIVE", operating_status: "ONLINE" });
        }
      });
    }
    return lb;
  }

  createListener(attrs: Rec, projectId: string): Rec {
    const lb = this.get("loadbalancers", attrs.loadbalancer_id);
    this.#assertMutable(lb);
    const t = this.#now();
    const rec: Rec = {
      id: attrs.id ?? crypto.randomUUID(),
      name: attrs.name ?? "",
      description: attrs.description ?? "",
      provisioning_status: "ACTIVE",
      operating_status: "ONLINE",
      admin_state_up: true,
      protocol: attrs.protocol,
      protocol_port: attrs.protocol_port,
      connection_limit: -1,
      default_tls_container_ref: null,
      sni_container_refs: [],
      project_id: attrs.project_id ?? lb.project_id ?? projectId,
      default_pool_id: attrs.default_pool_id ?? null,
      l7policies: [],
      insert_headers: {},
      created_at: t,
      updated_at: t,
      loadbalancer_id: lb.id,
      timeout_client_data: 50000,
      timeout_member_connect: 5000,
      timeout_member_data: 50000,
      timeout_tcp_inspect: 0,
      allowed_cidrs: attrs.allowed_cidrs ?? null,
      tags: attrs.tags ?? [],
    };
    this.region.lbaas("listeners").set(rec.id, rec);
    return rec;
  }

  createPool(attrs: Rec, projectId: string): Rec {
    const listener = attrs.listener_id ? this.get("listeners", attrs.listener_id) : undefined;
    const lb = this.get("loadbalancers", attrs.loadbalancer_id ?? listener?.loadbalancer_id);
    this.#assertMutable(lb);
    const t = this.#now();
    const rec: Rec = {
      id: attrs.id ?? crypto.randomUUID(),
      name: attrs.name ?? "",
      description: attrs.description ?? "",
      provisioning_status: "ACTIVE",
      operating_status: "ONLINE",
      admin_state_up: true,
      protocol: attrs.protocol,
      lb_algorithm: attrs.lb_algorithm ?? "ROUND_ROBIN",
      session_persistence: null,
      project_id: attrs.project_id ?? lb.project_id ?? projectId,
      loadbalancer_id: lb.id,
      listener_id: listener?.id ?? null,
      healthmonitor_id: null,
      created_at: t,
      updated_at: t,
      tls_enabled: false,
      tags: attrs.tags ?? [],
    };
    this.region.lbaas("pools").set(rec.id, rec);
    if (listener) listener.default_pool_id = rec.id;
    return rec;
  }

  createMember(poolId: string, attrs: Rec, projectId: string): Rec {
    const pool = this.get("pools", poolId);
    this.#assertMutable(this.get("loadbalancers", pool.loadbalancer_id));
    const t = this.#now();
    const rec: Rec = {
      id: attrs.id ?? crypto.randomUUID(),
      name: attrs.name ?? "",
      operating_status: "NO_MONITOR",
      provisioning_status: "ACTIVE",
      admin_state_up: true,
      address: attrs.address,
      protocol_port: attrs.protocol_port,
      weight: 1,
      backup: false,
      subnet_id: attrs.subnet_id ?? null,
      project_id: attrs.project_id ?? pool.project_id ?? projectId,
      pool_id: pool.id,
      created_at: t,
      updated_at: t,
      monitor_address: null,
      monitor_port: null,
      tags: attrs.tags ?? [],
    };
    this.region.lbaas("members").set(rec.id, rec);
    return rec;
  }

  #children(lbId: string) {
    const listeners = [...this.region.lbaas("listeners").values()].filter((l) => l.loadbalancer_id === lbId);
    const pools = [...this.region.lbaas("pools").values()].filter((p) => p.loadbalancer_id === lbId);
    const poolIds = new Set(pools.map((p) => p.id));
    const members = [...this.region.lbaas("members").values()].filter((m) => poolIds.has(m.pool_id));
    return { listeners, pools, members };
  }

  deleteLoadBalancer(id: string, cascade: boolean): void {
    const lb = this.get("loadbalancers", id);
    const kids = this.#children(id);
    if ((kids.listeners.length || kids.pools.length) && !cascade) {
      throw octaviaError(400, `Validation failure: Cannot delete Load Balancer ${id} - it has children`);
    }
    if (lb.provisioning_status.startsWith("PENDING_")) {
      if (this.opts.pendingConflict()) this.#assertMutable(lb);
      return; // conflicts off: a repeated delete is accepted and changes nothing
    }
    lb.provisioning_status = "PENDING_DELETE";
    lb.updated_at = this.#now();
    for (const k of [...kids.listeners, ...kids.pools, ...kids.members]) k.provisioning_status = "PENDING_DELETE";
    this.#deleting.set(id, { startedMs: this.opts.clock.now() });
    this.#scheduleDelete(id);
  }

  #finishDelete(id: string): void {
    this.#deleting.delete(id);
    const lb = this.region.lbaas("loadbalancers").get(id);
    if (!lb) return;
    const kids = this.#children(id);
    for (const m of kids.members) this.region.lbaas("members").delete(m.id);
    for (const p of kids.pools) this.region.lbaas("pools").delete(p.id);
    for (const l of kids.listeners) this.region.lbaas("listeners").delete(l.id);
    this.region.lbaas("loadbalancers").delete(id);
    const port = this.region.net("ports").get(lb.vip_port_id);
    if (port) this.neutron.delete("ports", port.id, { admin: true });
  }

  deleteChild(c: "listeners" | "pools" | "members", id: string): void {
    const rec = this.get(c, id);
    const lbId = c === "members" ? this.get("pools", rec.pool_id).loadbalancer_id : rec.loadbalancer_id;
    this.#assertMutable(this.get("loadbalancers", lbId));
    this.region.lbaas(c).delete(id);
    if (c === "pools") {
      for (const m of [...this.region.lbaas("members").values()]) {
        if (m.pool_id === id) this.region.lbaas("members").delete(m.id);
      }
      for (const l of this.region.lbaas("listeners").values()) if (l.default_pool_id === id) l.default_pool_id = null;
    }
  }

  render(c: "loadbalancers" | "listeners" | "pools" | "members", rec: Rec): Rec {
    const out: Rec = { ...rec, tenant_id: rec.project_id };
    if (c === "loadbalancers") {
      const k = this.#children(rec.id);
      out.listeners = k.listeners.map((l) => ({ id: l.id }));
      out.pools = k.pools.map((p) => ({ id: p.id }));
    } else if (c === "listeners") {
      out.loadbalancers = [{ id: rec.loadbalancer_id }];
      delete out.loadbalancer_id;
    } else if (c === "pools") {
      out.loadbalancers = [{ id: rec.loadbalancer_id }];
      out.listeners = rec.listener_id ? [{ id: rec.listener_id }] : [];
      out.members = [...this.region.lbaas("members").values()].filter((m) => m.pool_id === rec.id).map((m) => ({
        id: m.id,
      }));
      delete out.loadbalancer_id;
      delete out.listener_id;
    } else {
      delete out.pool_id;
    }
    if (this.opts.legacy()) delete out.tags;
    return out;
  }
}

/** Serves one request under `/load-balancer`. */
export function handleOctavia(req: ServiceRequest, octavia: Octavia): ServiceResponse {
  const path = req.path.replace(/\/+$/, "");
  const m = req.method;
  const base = `${req.origin}${req.prefix}`;
  const legacy = octavia.opts.legacy();
  if ((path === "" || path === "/v2" || path === "/v2.0") && m === "GET") {
    const max = legacy ? OCTAVIA_MAX.legacy : OCTAVIA_MAX.current;
    const upto = VERSION_DATES.findIndex(([v]) => v === max);
    const versions = VERSION_DATES.slice(0, upto + 1).map(([id, updated], i) => ({
      id,
      status: i === upto ? "CURRENT" : "SUPPORTED",
      updated,
      links: [{ href: `${base}/v2`, rel: "self" }],
    }));
    return { status: 200, body: { versions } };
  }
  const mm = /^\/v2(?:\.0)?\/lbaas\/(.*)$/.exec(path);
  if (!mm) throw octaviaError(404, "The resource could not be found.");
  const seg = mm[1].split("/");
  const project = req.token.project?.id ?? "";
  const visible = (r: Rec) => req.isAdmin || r.project_id === project;

  if (seg[0] === "providers" && m === "GET") {
    return {
      status: 200,
      body: {
        providers: [{ name: "amphora", description: "The Octavia Amphora driver." }, {
          name: "octavia",
          description: "Deprecated alias of the Octavia Amphora driver.",
        }, { name: "ovn", description: "Octavia OVN driver." }],
      },
    };
  }
  const list = (c: "loadbalancers" | "listeners" | "pools" | "members", items: Rec[]) => {
    const rendered = items.filter(visible).map((r) => octavia.render(c, r));
    const { items: page, links } = listQuery(rendered, {
      flavor: "octavia",
      url: req.url,
      publicBase: req.origin,
      tagsSupported: !legacy,
    });
    return { status: 200, body: { [c]: page, [`${c}_links`]: links } };
  };
  const one = (c: "loadbalancers" | "listeners" | "pools" | "members", id: string) => {
    const rec = octavia.get(c, id);
    if (!visible(rec)) octavia.get(c, "\u0000" + id); // 404 with the same message shape
    return rec;
  };
  const attrsOf = (key: string) => {
    const a = req.body?.[key];
    if (!a || typeof a !== "object") {
      throw octaviaError(400, `Invalid input for field/attribute ${key}. Value: None. Mandatory field missing.`);
    }
    if (legacy && a.tags) throw octaviaError(400, "Invalid input for field/attribute tags. Value: unknown attribute.");
    return a;
  };

  const c = seg[0];
  if (c === "loadbalancers") {
    if (!seg[1]) {
      if (m === "GET") return list(c, [...octavia.region.lbaas(c).values()]);
      if (m === "POST") {
        return {
          status: 201,
          body: { loadbalancer: octavia.render(c, octavia.createLoadBalancer(attrsOf("loadbalancer"), project)) },
        };
      }
    } else {
      const lb = one(c, seg[1]);
      if (seg[2] === "status" && m === "GET") {
        return {
          status: 200,
          body: {
            statuses: {
              loadbalancer: {
                id: lb.id,
                name: lb.name,
                provisioning_status: lb.provisioning_status,
                operating_status: lb.operating_status,
              },
            },
          },
        };
      }
      if (!seg[2] && m === "GET") return { status: 200, body: { loadbalancer: octavia.render(c, lb) } };
      if (!seg[2] && m === "PUT") {
        if (lb.provisioning_status.startsWith("PENDING_") && octavia.opts.pendingConflict()) {
          throw octaviaError(409, `Invalid state ${lb.provisioning_status} of loadbalancer resource ${lb.id}`);
        }
        const a = attrsOf("loadbalancer");
        for (const k of ["name", "description", "admin_state_up", "tags"]) if (k in a) lb[k] = a[k];
        return { status: 200, body: { loadbalancer: octavia.render(c, lb) } };
      }
      if (!seg[2] && m === "DELETE") {
        const cascade = ["true", "1", "yes", "on"].includes((req.url.searchParams.get("cascade") ?? "").toLowerCase());
        octavia.deleteLoadBalancer(lb.id, cascade);
        return { status: 204 };
      }
    }
  } else if (c === "listeners" || c === "pools") {
    if (seg[2] === "members" && c === "pools") {
      const pool = one("pools", seg[1]);
      if (!seg[3]) {
        if (m === "GET") {
          return list(
            "members",
            [...octavia.region.lbaas("members").values()].filter((x) => x.pool_id === pool.id),
          );
        }
        if (m === "POST") {
          return {
            status: 201,
            body: { member: octavia.render("members", octavia.createMember(pool.id, attrsOf("member"), project)) },
          };
        }
      } else {
        const mem = one("members", seg[3]);
        if (mem.pool_id !== pool.id) octavia.get("members", "\u0000" + seg[3]);
        if (m === "GET") return { status: 200, body: { member: octavia.render("members", mem) } };
        if (m === "DELETE") {
          octavia.deleteChild("members", mem.id);
          return { status: 204 };
        }
      }
    } else if (!seg[1]) {
      if (m === "GET") return list(c, [...octavia.region.lbaas(c).values()]);
      if (m === "POST") {
        const key = c === "listeners" ? "listener" : "pool";
        const rec = c === "listeners"
          ? octavia.createListener(attrsOf(key), project)
          : octavia.createPool(attrsOf(key), project);
        return { status: 201, body: { [key]: octavia.render(c, rec) } };
      }
    } else {
      const rec = one(c, seg[1]);
      if (m === "GET") {
        return { status: 200, body: { [c === "listeners" ? "listener" : "pool"]: octavia.render(c, rec) } };
      }
      if (m === "DELETE") {
        octavia.deleteChild(c, rec.id);
        return { status: 204 };
      }
    }
  }
  throw octaviaError(404, "The resource could not be found.");
}
