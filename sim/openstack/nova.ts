/**
 * Nova v2.1: version documents, servers (`GET /servers`, `/servers/detail` with Nova's `name` regex filter,
 * `GET /servers/{id}`), flavors, and `POST /servers/{id}/action {"reboot": {"type": "SOFT"|"HARD"}}` → 202.
 * A reboot hands the server's Kubernetes node to the simulation's reboot (NotReady, new bootID, Ready) while
 * the server shows REBOOT/HARD_REBOOT until the guest is back. Microversions from `OpenStack-API-Version`
 * change the flavor (2.47) and tags (2.26) attributes as Nova does.
 */
import type { SimClock } from "../clock.ts";
import type { Rec, RegionCloud } from "./cloud.ts";
import { novaError } from "./errors.ts";
import { listQuery } from "./listing.ts";
import { isoSeconds, type ServiceRequest, type ServiceResponse } from "./service.ts";

export const NOVA_MAX_MICROVERSION = "2.79";

export interface NovaOptions {
  clock: SimClock;
  /** Starts the guest's reboot; calls `back` when the hypervisor reports the server ACTIVE again. */
  reboot: (server: Rec, type: "SOFT" | "HARD", back: () => void) => void;
}

function microversion(headers: Headers): [number, number] {
  const raw = headers.get("openstack-api-version")?.replace(/^compute\s+/i, "") ??
    headers.get("x-openstack-nova-api-version") ?? "2.1";
  const v = raw.trim().toLowerCase() === "latest" ? NOVA_MAX_MICROVERSION : raw.trim();
  const m = /^2\.(\d+)$/.exec(v);
  if (!m || Number(m[1]) > 79) {
    throw novaError(
      406,
      `Version ${raw} is not supported by the API. Minimum is 2.1 and maximum is ${NOVA_MAX_MICROVERSION}.`,
    );
  }
  return [2, Number(m[1])];
}

export class Nova {
  constructor(readonly region: RegionCloud, readonly opts: NovaOptions) {}

  get(id: string): Rec {
    const s = this.region.servers.get(id);
    if (!s) throw novaError(404, `Instance ${id} could not be found.`);
    return s;
  }

  reboot(id: string, type: "SOFT" | "HARD"): void {
    const s = this.get(id);
    const task = s["OS-EXT-STS:task_state"];
    // nova/compute/api.py reboot: a soft reboot needs an idle ACTIVE server; a hard one may interrupt a soft one.
    if (type === "SOFT" && (s.status !== "ACTIVE" || task)) {
      throw novaError(409, `Cannot 'reboot' instance ${id} while it is in task_state ${task ?? "None"}`);
    }
    if (
      type === "HARD" && (s.status === "HARD_REBOOT" || !["ACTIVE", "REBOOT", "SHUTOFF", "ERROR"].includes(s.status))
    ) {
      throw novaError(409, `Cannot 'reboot' instance ${id} while it is in task_state ${task ?? "None"}`);
    }
    Object.assign(s, {
      status: type === "SOFT" ? "REBOOT" : "HARD_REBOOT",
      "OS-EXT-STS:task_state": type === "SOFT" ? "reboot_started" : "reboot_started_hard",
      updated: isoSeconds(this.opts.clock.now()),
    });
    this.opts.reboot(s, type, () => {
      Object.assign(s, {
        status: "ACTIVE",
        "OS-EXT-STS:task_state": null,
        "OS-EXT-STS:power_state": 1,
        updated: isoSeconds(this.opts.clock.now()),
      });
    });
  }

  render(s: Rec, base: string, mv: [number, number], detail: boolean): Rec {
    const links = [{ rel: "self", href: `${base}/v2.1/servers/${s.id}` }, {
      rel: "bookmark",
      href: `${base}/servers/${s.id}`,
    }];
    if (!detail) return { id: s.id, name: s.name, links };
    const out: Rec = { ...s, links };
    delete out.flavorId;
    const flavor = this.region.flavors.get(s.flavorId);
    out.flavor = mv[1] >= 47
      ? {
        vcpus: flavor?.vcpus,
        ram: flavor?.ram,
        disk: flavor?.disk,
        ephemeral: 0,
        swap: 0,
        original_name: flavor?.name,
        extra_specs: {},
      }
      : { id: s.flavorId, links: [{ rel: "bookmark", href: `${base}/flavors/${s.flavorId}` }] };
    if (mv[1] < 26) delete out.tags;
    return out;
  }
}

/** Serves one request under `/compute`. */
export function handleNova(req: ServiceRequest, nova: Nova): ServiceResponse {
  const path = req.path.replace(/\/+$/, "");
  const m = req.method;
  const base = `${req.origin}${req.prefix}`;
  const v21 = {
    id: "v2.1",
    status: "CURRENT",
    version: NOVA_MAX_MICROVERSION,
    min_version: "2.1",
    updated: "2013-07-23T11:33:21Z",
    links: [{ rel: "self", href: `${base}/v2.1/` }],
  };
  if (path === "" && m === "GET") {
    return {
      status: 200,
      body: {
        versions: [{
          id: "v2.0",
          status: "SUPPORTED",
          version: "",
          min_version: "",
          updated: "2011-01-21T11:33:21Z",
          links: [{ rel: "self", href: `${base}/v2/` }],
        }, v21],
      },
    };
  }
  if (path === "/v2.1" && m === "GET") {
    return {
      status: 200,
      body: {
        version: {
          ...v21,
          "media-types": [{ base: "application/json", type: "application/vnd.openstack.compute+json;version=2.1" }],
        },
      },
    };
  }
  const mv = microversion(req.headers);
  const headers = {
    "OpenStack-API-Version": `compute 2.${mv[1]}`,
    "X-OpenStack-Nova-API-Version": `2.${mv[1]}`,
    Vary: "OpenStack-API-Version, X-OpenStack-Nova-API-Version",
  };
  const seg = path.replace(/^\/v2\.1/, "").split("/").slice(1);
  const project = req.token.project?.id;
  const q = req.url.searchParams;

  if (seg[0] === "servers") {
    if (!seg[1] || seg[1] === "detail") {
      if (m !== "GET") throw novaError(405, "The method is not allowed.");
      const allTenants = req.isAdmin && ["1", "true", "True"].includes(q.get("all_tenants") ?? "");
      let servers = [...nova.region.servers.values()].filter((s) => allTenants || s.tenant_id === project);
      const name = q.get("name");
      if (name !== null) {
        let re: RegExp;
        try {
          re = new RegExp(name); // Nova matches `name` as a regular expression anywhere in the name (re.search)
        } catch {
          throw novaError(400, `Invalid filter: name ${name}`);
        }
        servers = servers.filter((s) => re.test(s.name));
      }
      for (const k of ["status", "host", "flavor", "image"]) {
        const v = q.get(k);
        if (v !== null) {
          servers = servers.filter((s) =>
            (k === "flavor"
              ? s.flavorId
              : k === "image"
              ? s.image?.id
              : k === "host"
              ? s["OS-EXT-SRV-ATTR:host"]
              : s.status) === v
          );
        }
      }
      const url = new URL(req.url);
      for (const k of ["name", "status", "host", "flavor", "image", "all_tenants", "deleted", "changes-since"]) {
        url.searchParams.delete(k);
      }
      const { items, links } = listQuery(servers, {
        flavor: "neutron",
        url,
        publicBase: req.origin,
        tagsSupported: true,
      });
      const body: Rec = { servers: items.map((s) => nova.render(s, base, mv, seg[1] === "detail")) };
      if (q.has("limit") && links.some((l) => l.rel === "next") && items.length) {
        body.servers_links = [{
          rel: "next",
          href: `${base}/v2.1/servers${seg[1] ? "/detail" : ""}?limit=${q.get("limit")}&marker=${items.at(-1)!.id}`,
        }];
      }
      return { status: 200, body, headers };
    }
    const s = nova.get(seg[1]);
    if (!req.isAdmin && s.tenant_id !== project) throw novaError(404, `Instance ${seg[1]} could not be found.`);
    if (!seg[2] && m === "GET") return { status: 200, body: { server: nova.render(s, base, mv, true) }, headers };
    if (seg[2] === "action" && m === "POST") {
      const reboot = req.body?.reboot;
      if (!reboot) throw novaError(400, "There is no such action: " + Object.keys(req.body ?? {}).join(","));
      const type = String(reboot.type ?? "").toUpperCase();
      if (type !== "SOFT" && type !== "HARD") {
        throw novaError(
          400,
          `Invalid input for field/attribute type. Value: ${reboot.type}. '${reboot.type}' is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']`,
        );
      }
      nova.reboot(s.id, type);
      return { status: 202, headers };
    }
    if (seg[2] === "os-interface" && m === "GET") return { status: 200, body: { interfaceAttachments: [] }, headers };
  }
  if (seg[0] === "flavors" && m === "GET") {
    const all = [...nova.region.flavors.values()];
    if (!seg[1] || seg[1] === "detail") {
      return {
        status: 200,
        body: { flavors: all.map((f) => (seg[1] ? { ...f, links: [] } : { id: f.id, name: f.name, links: [] })) },
        headers,
      };
    }
    const f = nova.region.flavors.get(seg[1]);
    if (!f) throw novaError(404, `Flavor ${seg[1]} could not be found.`);
    return { status: 200, body: { flavor: { ...f, links: [] } }, headers };
  }
  throw novaError(404, "The resource could not be found.");
}

/** Glance v2, only what `openstack server list` reads to name images. */
export function handleGlance(req: ServiceRequest): ServiceResponse {
  const path = req.path.replace(/\/+$/, "");
  const base = `${req.origin}${req.prefix}`;
  if (path === "" && req.method === "GET") {
    return {
      status: 300,
      body: { versions: [{ id: "v2.9", status: "CURRENT", links: [{ rel: "self", href: `${base}/v2/` }] }] },
    };
  }
  if (path === "/v2/images" && req.method === "GET") {
    return {
      status: 200,
      body: { images: [...req.region.images.values()], schema: "/v2/schemas/images", first: "/v2/images" },
    };
  }
  const m = /^\/v2\/images\/([^/]+)$/.exec(path);
  if (m && req.method === "GET") {
    const img = req.region.images.get(m[1]);
    if (img) return { status: 200, body: img };
  }
  return { status: 404, body: { code: 404, title: "Not Found", message: "The resource could not be found." } };
}
