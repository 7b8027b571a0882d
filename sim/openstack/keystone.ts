/**
 * Keystone v3: version documents, `POST /v3/auth/tokens` (password by name+domain or id, application
 * credential by id or name+user), token validation, revocation and `GET /v3/auth/projects`. Tokens expire
 * after the fault `tokenTtlSeconds` of simulated time; services then answer 401.
 */
import type { Cloud, Project, Rec, User } from "./cloud.ts";
import { keystoneError, OpenStackHttpError } from "./errors.ts";
import type { SimClock } from "../clock.ts";

/** An issued token (never logged: the id is a bearer credential). */
export interface Token {
  id: string;
  user: User;
  project?: Project;
  roles: string[];
  methods: string[];
  appCredentialId?: string;
  issuedMs: number;
  expiresMs: number;
}

/** One catalog entry's endpoint URLs, by region and interface. */
export interface CatalogEndpoint {
  region: string;
  interface: "public" | "internal";
  url: string;
}

/** Service type → name and path suffix in the catalog. */
export const SERVICES = [
  { type: "identity", name: "keystone", path: "/identity" },
  { type: "network", name: "neutron", path: "/network" },
  { type: "load-balancer", name: "octavia", path: "/load-balancer" },
  { type: "compute", name: "nova", path: "/compute/v2.1" },
  { type: "image", name: "glance", path: "/image" },
] as const;

/** Path prefix of a region and interface: RegionOne public is served at the root. */
export function endpointPrefix(region: string, iface: "public" | "internal", mainRegion: string): string {
  return `${region === mainRegion ? "" : `/${region}`}${iface === "internal" ? "/internal" : ""}`;
}

const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "000Z");

function randomToken(): string {
  const b = crypto.getRandomValues(new Uint8Array(96));
  // Fernet-looking (`gAAAAA…`, URL-safe base64), as real Keystone issues them.
  return "gAAAAA" + btoa(String.fromCharCode(...b)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

const hexId = (seed: string) => {
  let h = 0x811c9dc5;
  let out = "";
  for (let round = 0; out.length < 32; round++) {
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i) ^ round, 0x01000193);
    out += (h >>> 0).toString(16).padStart(8, "0");
  }
  return out.slice(0, 32);
};

export class Keystone {
  readonly #tokens = new Map<string, Token>();

  constructor(
    readonly cloud: Cloud,
    readonly clock: SimClock,
    /** Simulated seconds a new token lives (read on each issue, so a fault change applies to the next token). */
    readonly ttlSeconds: () => number,
    /** Catalog endpoints for a service type, given the server's base URL. */
    readonly endpoints: (type: string) => CatalogEndpoint[],
    readonly baseUrl: () => string,
  ) {}

  /** The valid, unexpired token with this id. */
  validate(id: string | undefined): Token | undefined {
    if (!id) return undefined;
    const t = this.#tokens.get(id);
    if (!t) return undefined;
    if (this.clock.now() >= t.expiresMs) return undefined;
    return t;
  }

  isAdmin(t: Token): boolean {
    return t.roles.includes("admin");
  }

  /** Number of tokens issued so far (tests check re-authentication). */
  get issued(): number {
    return this.#tokens.size;
  }

  /** Makes every token issued so far expire now (a fault: "the token expired mid-run"). */
  expireAll(): void {
    const now = this.clock.now();
    for (const t of this.#tokens.values()) t.expiresMs = Math.min(t.expiresMs, now);
  }

  versionDoc(): Record<string, unknown> {
    return {
      id: "v3.14",
      status: "stable",
      updated: "2020-04-07T00:00:00Z",
      links: [{ rel: "self", href: `${this.baseUrl()}/identity/v3/` }],
      "media-types": [{ base: "application/json", type: "application/vnd.openstack.identity-v3+json" }],
    };
  }

  #findDomain(ref: { id?: string; name?: string } | undefined): string | undefined {
    if (!ref) return undefined;
    if (ref.id) return this.cloud.identity.domains.has(ref.id) ? ref.id : undefined;
    for (const d of this.cloud.identity.domains.values()) if (d.name === ref.name) return d.id;
    return undefined;
  }

  #findUser(ref: Rec | undefined): User | undefined {
    if (!ref) return undefined;
    if (ref.id) return this.cloud.identity.users.get(ref.id);
    const domain = this.#findDomain(ref.domain);
    if (!domain) return undefined;
    for (const u of this.cloud.identity.users.values()) if (u.name === ref.name && u.domainId === domain) return u;
    return undefined;
  }

  #findProject(ref: Rec | undefined): Project | undefined {
    if (!ref) return undefined;
    if (ref.id) return this.cloud.identity.projects.get(ref.id);
    const domain = this.#findDomain(ref.domain);
    if (!domain) return undefined;
    for (const p of this.cloud.identity.projects.values()) if (p.name === ref.name && p.domainId === domain) return p;
    return undefined;
  }

  /** `POST /v3/auth/tokens`: the new token, or 401 with Keystone's body. */
  authenticate(body: Rec | undefined): Token {
    const denied = () => keystoneError(401, "The request you have made requires authentication.");
    const identity = body?.auth?.identity;
    const methods: string[] = identity?.methods ?? [];
    if (!Array.isArray(methods) || methods.length === 0) {
      throw keystoneError(400, "Invalid input for field 'identity': 'methods' is a required property");
    }
    let user: User | undefined;
    let project: Project | undefined;
    let appCredentialId: string | undefined;
    if (methods[0] === "password") {
      const u = identity.password?.user;
      user = this.#findUser(u);
      if (!user || typeof u?.password !== "string" || u.password !== user.password) throw denied();
      const scope = body?.auth?.scope;
      if (scope?.project) {
        project = this.#findProject(scope.project);
        if (!project || !user.roles[project.id]?.length) throw denied();
      } else if (scope && !scope.project) {
        throw keystoneError(400, "The simulator only issues project-scoped or unscoped tokens.");
      }
    } else if (methods[0] === "application_credential") {
      const ac = identity.application_credential;
      let cred = ac?.id ? this.cloud.identity.appCredentials.get(ac.id) : undefined;
      if (!cred && ac?.name) {
        const owner = this.#findUser(ac.user);
        cred = [...this.cloud.identity.appCredentials.values()].find((c) =>
          c.name === ac.name && c.userId === owner?.id
        );
      }
      if (!cred || ac?.secret !== cred.secret) throw denied();
      if (body?.auth?.scope) {
        throw keystoneError(401, "Application credentials cannot request a scope.");
      }
      user = this.cloud.identity.users.get(cred.userId);
      project = this.cloud.identity.projects.get(cred.projectId);
      appCredentialId = cred.id;
    } else {
      throw keystoneError(401, `Attempted to authenticate with an unsupported method.`);
    }
    if (!user) throw denied();
    const now = this.clock.now();
    const token: Token = {
      id: randomToken(),
      user,
      project,
      roles: project ? [...(user.roles[project.id] ?? [])] : [],
      methods: [methods[0]],
      appCredentialId,
      issuedMs: now,
      expiresMs: now + this.ttlSeconds() * 1000,
    };
    this.#tokens.set(token.id, token);
    return token;
  }

  revoke(id: string): boolean {
    return this.#tokens.delete(id);
  }

  /** The token body (`{"token": …}`) with the catalog for a project-scoped token. */
  tokenBody(t: Token): Record<string, unknown> {
    const domainRef = (id: string) => ({ id, name: this.cloud.identity.domains.get(id)?.name ?? id });
    const token: Record<string, unknown> = {
      methods: t.methods,
      user: { domain: domainRef(t.user.domainId), id: t.user.id, name: t.user.name, password_expires_at: null },
      audit_ids: [hexId(t.id).slice(0, 22)],
      expires_at: iso(t.expiresMs),
      issued_at: iso(t.issuedMs),
    };
    if (t.project) {
      token.project = { domain: domainRef(t.project.domainId), id: t.project.id, name: t.project.name };
      token.is_domain = false;
      token.roles = t.roles.map((r) => ({ id: hexId(`role/${r}`), name: r }));
      token.catalog = SERVICES.map((s) => ({
        endpoints: this.endpoints(s.type).map((e) => ({
          id: hexId(`endpoint/${s.type}/${e.region}/${e.interface}`),
          interface: e.interface,
          region: e.region,
          region_id: e.region,
          url: e.url,
        })),
        id: hexId(`service/${s.type}`),
        type: s.type,
        name: s.name,
      }));
    }
    if (t.appCredentialId) {
      const c = this.cloud.identity.appCredentials.get(t.appCredentialId)!;
      token.application_credential = { id: c.id, name: c.name, restricted: true };
    }
    return { token };
  }

  /** Routes one request under `/identity`. */
  handle(
    method: string,
    path: string,
    headers: Headers,
    body: Rec | undefined,
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    const p = path.replace(/\/+$/, "");
    if (p === "" && method === "GET") {
      return { status: 300, body: { versions: { values: [this.versionDoc()] } } };
    }
    if (p === "/v3" && method === "GET") return { status: 200, body: { version: this.versionDoc() } };
    if (p === "/v3/auth/tokens" && method === "POST") {
      const t = this.authenticate(body);
      return { status: 201, body: this.tokenBody(t), headers: { "X-Subject-Token": t.id } };
    }
    const caller = this.validate(headers.get("x-auth-token") ?? undefined);
    if (!caller) throw keystoneError(401, "The request you have made requires authentication.");
    if (p === "/v3/auth/tokens") {
      const subjectId = headers.get("x-subject-token") ?? "";
      const subject = this.validate(subjectId);
      if (!subject || (subject.user.id !== caller.user.id && !this.isAdmin(caller))) {
        throw keystoneError(404, `Could not find token: ${subjectId.slice(0, 8)}….`);
      }
      if (method === "GET") {
        return { status: 200, body: this.tokenBody(subject), headers: { "X-Subject-Token": subject.id } };
      }
      if (method === "HEAD") return { status: 200, headers: { "X-Subject-Token": subject.id } };
      if (method === "DELETE") {
        this.revoke(subject.id);
        return { status: 204 };
      }
    }
    if (p === "/v3/auth/projects" && method === "GET") {
      const projects = [...this.cloud.identity.projects.values()]
        .filter((pr) => caller.user.roles[pr.id]?.length)
        .map((pr) => ({
          id: pr.id,
          name: pr.name,
          domain_id: pr.domainId,
          description: pr.description,
          enabled: true,
          is_domain: false,
          parent_id: pr.domainId,
          links: { self: `${this.baseUrl()}/identity/v3/projects/${pr.id}` },
        }));
      return { status: 200, body: { projects, links: { self: `${this.baseUrl()}/identity/v3/auth/projects` } } };
    }
    throw new OpenStackHttpError(
      404,
      { error: { code: 404, message: "The resource could not be found.", title: "Not Found" } },
      "not found",
    );
  }
}
