/**
 * Authentication and authorization of the simulated API server. Users come from the scenario; a bearer
 * token or a verified client certificate identifies them; their rules are evaluated the way Kubernetes
 * RBAC evaluates PolicyRules (wildcards, "pods/exec" subresources, resourceNames, list ≠ watch), with the
 * scenario's `namespaces` field standing in for a RoleBinding (absent = a ClusterRoleBinding).
 */
import type { RuleSpec, ScenarioSpec, UserSpec } from "../scenario/schema.ts";
import { StoreError } from "../store.ts";

export interface UserInfo {
  name: string;
  groups: string[];
}

export interface RequestAttributes {
  /** get list watch create update patch delete deletecollection (exec = "create" on pods/exec). */
  verb: string;
  /** "" for core. */
  apiGroup: string;
  /** Plural, e.g. "pods"; "" for non-resource requests. */
  resource: string;
  /** "status", "exec", … */
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Non-resource requests (/api, /apis, /version, /openapi/…). */
  path?: string;
}

export interface Decision {
  allowed: boolean;
  reason?: string;
}

export interface SimCredentials {
  name: string;
  token?: string;
  clientCertificate?: boolean;
}

const AUTHENTICATED = "system:authenticated";
const MASTERS = "system:masters";

/** Rules every authenticated user holds (system:basic-user and system:discovery in a real cluster). */
const BASIC_RULES: RuleSpec[] = [
  {
    apiGroups: ["authorization.k8s.io"],
    resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
    verbs: ["create"],
  },
  { apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"], verbs: ["create"] },
];
const DISCOVERY_URLS = [
  "/api",
  "/api/*",
  "/apis",
  "/apis/*",
  "/healthz",
  "/livez",
  "/openapi",
  "/openapi/*",
  "/readyz",
  "/version",
  "/version/",
];
const READ_ONLY_NON_RESOURCE_VERBS = new Set(["get", "head", "options"]);

/** A token in OpenShift's OAuth format: "sha256~" and 43 URL-safe characters (32 random bytes). */
export function newOpenShiftToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return "sha256~" + btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The message the apiserver puts in a 403, e.g. `pods "x" is forbidden: User "u" cannot get resource …`. */
export function forbiddenMessage(user: UserInfo, attrs: RequestAttributes): string {
  if (!attrs.resource) {
    return `forbidden: User "${user.name}" cannot ${attrs.verb} path "${attrs.path ?? ""}"`;
  }
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const subject = attrs.name ? `${attrs.resource} "${attrs.name}"` : qualified(attrs.resource, attrs.apiGroup);
  const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : "at the cluster scope";
  return `${subject} is forbidden: User "${user.name}" cannot ${attrs.verb} resource "${resource}" ` +
    `in API group "${attrs.apiGroup}" ${scope}`;
}

const qualified = (resource: string, group: string) => group ? `${resource}.${group}` : resource;

function matches(list: readonly string[] | undefined, value: string): boolean {
  return !!list && (list.includes("*") || list.includes(value));
}

/** RBAC's ResourceMatches: "*", the exact "resource/subresource", or "*\/subresource". */
function resourceMatches(rule: RuleSpec, attrs: RequestAttributes): boolean {
  const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  return rule.resources.some((r) =>
    r === "*" || r === combined || (!!attrs.subresource && r === `*/${attrs.subresource}`)
  );
}

/** Does one rule (with its binding scope) allow the request? */
function ruleAllows(rule: RuleSpec, attrs: RequestAttributes): boolean {
  if (rule.namespaces && (!attrs.namespace || !rule.namespaces.includes(attrs.namespace))) return false;
  if (!matches(rule.verbs, attrs.verb)) return false;
  if (!matches(rule.apiGroups, attrs.apiGroup)) return false;
  if (!resourceMatches(rule, attrs)) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0) {
    return !!attrs.name && rule.resourceNames.includes(attrs.name);
  }
  return true;
}

export class Auth {
  readonly #users = new Map<string, UserSpec>();
  readonly #byToken = new Map<string, UserSpec>();
  readonly #credentials: SimCredentials[] = [];

  /** Generates an OpenShift-style token for every user without one that does not use a client certificate. */
  constructor(users: ScenarioSpec["users"]) {
    for (const u of users) {
      this.#users.set(u.name, u);
      if (u.clientCertificate && !u.token) {
        this.#credentials.push({ name: u.name, clientCertificate: true });
        continue;
      }
      const token = u.token ?? newOpenShiftToken();
      this.#byToken.set(token, u);
      this.#credentials.push({ name: u.name, token });
    }
  }

  /**
   * A bound service-account token (TokenRequest, `kubectl create token`): authenticates as
   * system:serviceaccount:<ns>:<name> with the service-account groups and no rules of its own.
   */
  issueServiceAccountToken(namespace: string, name: string): string {
    // Shaped like the apiserver's bound tokens (a JWT); only this server can verify it.
    const b64 = (v: unknown) => btoa(JSON.stringify(v)).replace(/=+$/, "").replaceAll("+", "-").replaceAll("/", "_");
    const sig = newOpenShiftToken().slice("sha256~".length);
    const token = `${b64({ alg: "RS256", kid: "sim" })}.${
      b64({ iss: "https://kubernetes.default.svc", sub: `system:serviceaccount:${namespace}:${name}` })
    }.${sig}`;
    this.#byToken.set(token, {
      name: `system:serviceaccount:${namespace}:${name}`,
      groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`],
      clientCertificate: false,
      clusterAdmin: false,
      rules: [],
    });
    return token;
  }

  /** Per user, for the kubeconfig writer. */
  credentials(): SimCredentials[] {
    return this.#credentials.map((c) => ({ ...c }));
  }

  /**
   * The verified client certificate's CN/O, else the bearer token of the Authorization header. The
   * apiserver's authenticator union tries x509 before tokens, so a certificate wins over any token.
   */
  authenticate(input: { authorization?: string; certCN?: string; certOrgs?: string[] }): UserInfo | undefined {
    if (input.certCN) return { name: input.certCN, groups: withAuthenticated(input.certOrgs ?? []) };
    const m = input.authorization?.match(/^\s*bearer\s+(\S+)\s*$/i);
    const spec = m ? this.#byToken.get(m[1]) : undefined;
    return spec ? { name: spec.name, groups: withAuthenticated(spec.groups) } : undefined;
  }

  /**
   * Applies Impersonate-User / Impersonate-Group as the apiserver does: the caller needs "impersonate" on
   * users (or serviceaccounts) and on each group; the result has exactly the requested groups plus
   * system:authenticated. Throws StoreError(403) when the caller may not impersonate.
   */
  impersonate(user: UserInfo, as?: { user?: string; groups: string[] }): UserInfo {
    if (!as || (!as.user && as.groups.length === 0)) return user;
    if (!as.user) {
      throw new StoreError(400, "BadRequest", "requested impersonation of groups without a user");
    }
    const sa = as.user.match(/^system:serviceaccount:([^:]+):([^:]+)$/);
    const checks: RequestAttributes[] = [
      sa
        ? { verb: "impersonate", apiGroup: "", resource: "serviceaccounts", namespace: sa[1], name: sa[2] }
        : { verb: "impersonate", apiGroup: "", resource: "users", name: as.user },
      ...as.groups.map((g) => ({ verb: "impersonate", apiGroup: "", resource: "groups", name: g })),
    ];
    for (const attrs of checks) {
      if (!this.authorize(user, attrs).allowed) {
        throw new StoreError(403, "Forbidden", forbiddenMessage(user, attrs), {
          name: attrs.name,
          kind: attrs.resource,
        });
      }
    }
    const groups = [...as.groups];
    if (sa) groups.push("system:serviceaccounts", `system:serviceaccounts:${sa[1]}`);
    return { name: as.user, groups: withAuthenticated(groups) };
  }

  /**
   * RBAC: clusterAdmin users and group system:masters may do everything; others hold their own rules plus
   * the basic-user rules. Reading the discovery paths (/api, /apis, /version, /openapi, health checks) is
   * open to every authenticated user; other non-resource requests need an admin.
   */
  authorize(user: UserInfo, attrs: RequestAttributes): Decision {
    const admin = this.#adminReason(user);
    if (admin) return { allowed: true, reason: admin };
    if (!attrs.resource) {
      const discovery = attrs.path === undefined || nonResourcePathAllowed(attrs.path);
      return discovery && READ_ONLY_NON_RESOURCE_VERBS.has(attrs.verb)
        ? {
          allowed: true,
          reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole ' +
            `"system:discovery" to Group "${AUTHENTICATED}"`,
        }
        : { allowed: false, reason: "" };
    }
    const rules = this.#users.get(user.name)?.rules ?? [];
    const index = rules.findIndex((r) => ruleAllows(r, attrs));
    if (index >= 0) {
      const binding = rules[index].namespaces ? `RoleBinding in namespace "${attrs.namespace}"` : "ClusterRoleBinding";
      return { allowed: true, reason: `RBAC: allowed by ${binding} (rule ${index}) to User "${user.name}"` };
    }
    if (BASIC_RULES.some((r) => ruleAllows(r, attrs))) {
      return {
        allowed: true,
        reason: `RBAC: allowed by ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" ` +
          `to Group "${AUTHENTICATED}"`,
      };
    }
    return { allowed: false, reason: "" };
  }

  /** authorization.k8s.io/v1 SelfSubjectAccessReview: echoes spec and adds status {allowed, reason}. */
  selfSubjectAccessReview(user: UserInfo, body: Record<string, unknown>): Record<string, unknown> {
    const spec = asRecord(body.spec);
    const ra = asRecord(spec.resourceAttributes);
    const nra = asRecord(spec.nonResourceAttributes);
    let attrs: RequestAttributes;
    if (spec.resourceAttributes) {
      attrs = {
        verb: str(ra.verb),
        apiGroup: str(ra.group),
        resource: str(ra.resource),
        subresource: str(ra.subresource) || undefined,
        namespace: str(ra.namespace) || undefined,
        name: str(ra.name) || undefined,
      };
    } else if (spec.nonResourceAttributes) {
      attrs = { verb: str(nra.verb), apiGroup: "", resource: "", path: str(nra.path) };
    } else {
      throw new StoreError(
        422,
        "Invalid",
        "SelfSubjectAccessReview.authorization.k8s.io is invalid: " +
          'spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or ' +
          "resourceAttributes must be specified",
        {
          kind: "SelfSubjectAccessReview",
          group: "authorization.k8s.io",
          causes: [{
            field: "spec.resourceAttributes",
            message: "exactly one of nonResourceAttributes or " +
              "resourceAttributes must be specified",
          }],
        },
      );
    }
    const d = this.authorize(user, attrs);
    const status: Record<string, unknown> = { allowed: d.allowed };
    if (d.reason) status.reason = d.reason;
    return review(body, spec, status);
  }

  /** authorization.k8s.io/v1 SelfSubjectRulesReview for spec.namespace. */
  selfSubjectRulesReview(user: UserInfo, body: Record<string, unknown>): Record<string, unknown> {
    const spec = asRecord(body.spec);
    const namespace = str(spec.namespace);
    let resourceRules: Record<string, unknown>[];
    let nonResourceRules: Record<string, unknown>[];
    if (this.#adminReason(user)) {
      resourceRules = [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }];
      nonResourceRules = [{ verbs: ["*"], nonResourceURLs: ["*"] }];
    } else {
      const own = (this.#users.get(user.name)?.rules ?? []).filter((r) =>
        !r.namespaces || (namespace !== "" && r.namespaces.includes(namespace))
      );
      resourceRules = [...own, ...BASIC_RULES].map((r) => {
        const out: Record<string, unknown> = {
          verbs: [...r.verbs],
          apiGroups: [...r.apiGroups],
          resources: [...r.resources],
        };
        if (r.resourceNames && r.resourceNames.length > 0) out.resourceNames = [...r.resourceNames];
        return out;
      });
      nonResourceRules = [{ verbs: ["get"], nonResourceURLs: [...DISCOVERY_URLS] }];
    }
    return {
      kind: "SelfSubjectRulesReview",
      apiVersion: "authorization.k8s.io/v1",
      metadata: { ...asRecord(body.metadata), creationTimestamp: null },
      spec: { ...spec },
      status: { resourceRules, nonResourceRules, incomplete: false },
    };
  }

  /** authentication.k8s.io/v1 SelfSubjectReview (`kubectl auth whoami`): who the server thinks you are. */
  selfSubjectReview(user: UserInfo, body: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      kind: "SelfSubjectReview",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { ...asRecord(body.metadata), creationTimestamp: null },
      status: { userInfo: { username: user.name, groups: [...user.groups] } },
    };
  }

  #adminReason(user: UserInfo): string | undefined {
    if (user.groups.includes(MASTERS)) {
      return `RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "${MASTERS}"`;
    }
    if (this.#users.get(user.name)?.clusterAdmin) {
      return `RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to User "${user.name}"`;
    }
    return undefined;
  }
}

function nonResourcePathAllowed(path: string): boolean {
  return DISCOVERY_URLS.some((u) => u.endsWith("*") ? path.startsWith(u.slice(0, -1)) : path === u);
}

function review(
  body: Record<string, unknown>,
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
): Record<string, unknown> {
  return {
    kind: "SelfSubjectAccessReview",
    apiVersion: "authorization.k8s.io/v1",
    metadata: { ...asRecord(body.metadata), creationTimestamp: null },
    spec: { ...spec },
    status,
  };
}

function withAuthenticated(groups: readonly string[]): string[] {
  return groups.includes(AUTHENTICATED) ? [...groups] : [...groups, AUTHENTICATED];
}

function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : {};
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** The media type kubectl's typed clients (auth can-i, auth whoami) use for request bodies. */
export const PROTOBUF_MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

/**
 * Decodes the protobuf body of a SelfSubjectAccessReview, SelfSubjectRulesReview or SelfSubjectReview
 * (the "k8s\0" envelope around runtime.Unknown) into the object its JSON form would give. kubectl sends
 * these reviews as protobuf; it accepts JSON back. Throws StoreError(415) for anything else.
 */
export function decodeReviewProtobuf(bytes: Uint8Array): Record<string, unknown> {
  const unsupported = (why: string) =>
    new StoreError(415, "BadRequest", `the body of the request could not be decoded as protobuf: ${why}`);
  if (bytes.length < 4 || bytes[0] !== 0x6b || bytes[1] !== 0x38 || bytes[2] !== 0x73 || bytes[3] !== 0) {
    throw unsupported("missing the k8s envelope");
  }
  const unknown = protoFields(bytes.subarray(4));
  const typeMeta = protoFields(unknown.get(1)?.[0]);
  const apiVersion = protoString(typeMeta, 1);
  const kind = protoString(typeMeta, 2);
  const object = protoFields(unknown.get(2)?.[0]);
  const spec = protoFields(object.get(2)?.[0]);
  const out: Record<string, unknown> = { apiVersion, kind, metadata: {} };
  if (kind === "SelfSubjectAccessReview") {
    const result: Record<string, unknown> = {};
    const ra = spec.get(1)?.[0];
    const nra = spec.get(2)?.[0];
    if (ra) {
      result.resourceAttributes = protoStrings(protoFields(ra), [
        "namespace",
        "verb",
        "group",
        "version",
        "resource",
        "subresource",
        "name",
      ]);
    }
    if (nra) result.nonResourceAttributes = protoStrings(protoFields(nra), ["path", "verb"]);
    out.spec = result;
  } else if (kind === "SelfSubjectRulesReview") {
    out.spec = protoStrings(spec, ["namespace"]);
  } else if (kind === "SelfSubjectReview") {
    // no spec
  } else {
    throw unsupported(`unsupported kind ${JSON.stringify(kind)}`);
  }
  return out;
}

/** Length-delimited fields of one protobuf message by field number (other wire types are skipped). */
function protoFields(buf: Uint8Array | undefined): Map<number, Uint8Array[]> {
  const fields = new Map<number, Uint8Array[]>();
  if (!buf) return fields;
  let at = 0;
  const varint = () => {
    let result = 0, shift = 0;
    while (at < buf.length) {
      const b = buf[at++];
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
    throw new StoreError(400, "BadRequest", "truncated protobuf varint");
  };
  while (at < buf.length) {
    const key = varint();
    const wire = key % 8, field = Math.floor(key / 8);
    if (wire === 0) varint();
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const len = varint();
      if (at + len > buf.length) throw new StoreError(400, "BadRequest", "truncated protobuf field");
      const list = fields.get(field) ?? [];
      list.push(buf.subarray(at, at + len));
      fields.set(field, list);
      at += len;
    } else throw new StoreError(400, "BadRequest", `unsupported protobuf wire type ${wire}`);
  }
  return fields;
}

function protoString(fields: Map<number, Uint8Array[]>, n: number): string {
  const v = fields.get(n)?.[0];
  return v ? new TextDecoder().decode(v) : "";
}

/** Non-empty string fields 1..n named in order, as JSON's omitempty would leave them. */
function protoStrings(fields: Map<number, Uint8Array[]>, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  names.forEach((name, i) => {
    const v = protoString(fields, i + 1);
    if (v) out[name] = v;
  });
  return out;
}
