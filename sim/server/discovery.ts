/**
 * Legacy discovery documents (/version, /api, /apis, /api/v1, /apis/<g>, /apis/<g>/<v>) built from the
 * Store's resource definitions, plus the few virtual resources the server answers itself (access reviews,
 * pods/exec, pods/eviction, the status subresources). Aggregated discovery (apidiscovery.k8s.io/v2) is not served: client-go
 * falls back to these documents when the response is plain application/json.
 */
import type { ResourceDef, Store } from "../store.ts";

export interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  group?: string;
  version?: string;
}

export const allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

/** Resources the HTTP layer implements itself (not stored). */
const virtualResources: { group: string; version: string; resources: ApiResource[] }[] = [
  {
    group: "authorization.k8s.io",
    version: "v1",
    resources: [
      {
        name: "selfsubjectaccessreviews",
        singularName: "selfsubjectaccessreview",
        namespaced: false,
        kind: "SelfSubjectAccessReview",
        verbs: ["create"],
      },
      {
        name: "selfsubjectrulesreviews",
        singularName: "selfsubjectrulesreview",
        namespaced: false,
        kind: "SelfSubjectRulesReview",
        verbs: ["create"],
      },
    ],
  },
  {
    group: "authentication.k8s.io",
    version: "v1",
    resources: [
      {
        name: "selfsubjectreviews",
        singularName: "selfsubjectreview",
        namespaced: false,
        kind: "SelfSubjectReview",
        verbs: ["create"],
      },
    ],
  },
];

/** Kubernetes minor of an OpenShift 4.x release (4.16 → 1.29); other versions are taken as Kubernetes ones. */
export function kubeVersion(version: string): { major: string; minor: string; gitVersion: string } {
  const m = version.match(/^4\.(\d+)/);
  if (m) {
    const minor = String(13 + Number(m[1]));
    return { major: "1", minor, gitVersion: `v1.${minor}.8+f10c92d` };
  }
  const k = version.match(/^v?1\.(\d+)(?:\.(\d+))?/);
  if (k) return { major: "1", minor: k[1], gitVersion: `v1.${k[1]}.${k[2] ?? "0"}` };
  return { major: "1", minor: "29", gitVersion: "v1.29.8+f10c92d" };
}

export class Discovery {
  readonly #store: Store;
  readonly #version: string;

  /** `version`: the cluster's OpenShift (or Kubernetes) version. The Store holds only served resources. */
  constructor(store: Store, opts: { version: string }) {
    this.#store = store;
    this.#version = opts.version;
  }

  served(def: ResourceDef): boolean {
    return !def.verbs || def.verbs.length > 0;
  }

  /** The stored resource a request names, when served. */
  find(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.#store.defs().find((d) =>
      d.group === group && d.version === version && d.resource === resource && this.served(d)
    );
  }

  isVirtual(group: string, version: string, resource: string): ApiResource | undefined {
    return virtualResources.find((g) => g.group === group && g.version === version)?.resources.find((r) =>
      r.name === resource
    );
  }

  #groupVersions(): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    const add = (g: string, v: string) => {
      if (!out.has(g)) out.set(g, new Set());
      out.get(g)!.add(v);
    };
    for (const d of this.#store.defs()) if (this.served(d)) add(d.group, d.version);
    for (const v of virtualResources) add(v.group, v.version);
    return out;
  }

  #virtual(group: string, version: string): ApiResource[] {
    const stored = new Set(this.#store.defs().filter((d) => d.group === group).map((d) => d.resource));
    return (virtualResources.find((g) => g.group === group && g.version === version)?.resources ?? [])
      .filter((r) => !stored.has(r.name));
  }

  version(): Record<string, string> {
    const v = kubeVersion(this.#version);
    return {
      ...v,
      gitCommit: "f10c92d8c8d1a3e9e2bb3a3cf6b1a4b9d5f5c0e1",
      gitTreeState: "clean",
      buildDate: "2024-10-01T00:00:00Z",
      goVersion: "go1.21.13",
      compiler: "gc",
      platform: "linux/amd64",
    };
  }

  apiVersions(serverAddress: string): Record<string, unknown> {
    return {
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
    };
  }

  #group(name: string, versions: Set<string>): Record<string, unknown> {
    const vs = [...versions].sort().reverse().map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
    return { name, versions: vs, preferredVersion: vs[0] };
  }

  apiGroupList(): Record<string, unknown> {
    const groups = [...this.#groupVersions()].filter(([g]) => g !== "").sort(([a], [b]) => a.localeCompare(b));
    return { kind: "APIGroupList", apiVersion: "v1", groups: groups.map(([g, vs]) => this.#group(g, vs)) };
  }

  apiGroup(name: string): Record<string, unknown> | undefined {
    const vs = this.#groupVersions().get(name);
    if (!vs || name === "") return undefined;
    return { kind: "APIGroup", apiVersion: "v1", ...this.#group(name, vs) };
  }

  /** Every served resource of a group version, with its subresources. */
  resources(group: string, version: string): ApiResource[] {
    const out: ApiResource[] = [];
    for (const d of this.#store.defs()) {
      if (d.group !== group || d.version !== version || !this.served(d)) continue;
      const r: ApiResource = {
        name: d.resource,
        singularName: d.singular,
        namespaced: d.namespaced,
        kind: d.kind,
        verbs: d.verbs ?? allVerbs,
      };
      if (d.shortNames?.length) r.shortNames = d.shortNames;
      if (d.categories?.length) r.categories = d.categories;
      out.push(r);
      const sub = (name: string, verbs: string[], kind = d.kind, g?: string, v?: string) =>
        out.push({
          name: `${d.resource}/${name}`,
          singularName: "",
          namespaced: d.namespaced,
          kind,
          verbs,
          ...(g !== undefined ? { group: g, version: v } : {}),
        });
      if (d.statusSubresource) sub("status", ["get", "patch", "update"]);
      if (group === "" && d.resource === "pods") {
        sub("exec", ["create", "get"], "PodExecOptions");
        sub("log", ["get"], "Pod");
        sub("eviction", ["create"], "Eviction", "policy", "v1");
      }
      if (group === "" && d.resource === "namespaces") sub("finalize", ["update"], "Namespace");
      if (group === "" && d.resource === "serviceaccounts") {
        sub("token", ["create"], "TokenRequest", "authentication.k8s.io", "v1");
      }
    }
    out.push(...this.#virtual(group, version));
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  resourceList(group: string, version: string): Record<string, unknown> | undefined {
    const resources = this.resources(group, version);
    if (!resources.length) return undefined;
    return {
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion: group ? `${group}/${version}` : version,
      resources,
    };
  }

  /** GET /openapi/v3: one entry per served group version. */
  openapiV3Root(): Record<string, unknown> {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [g, vs] of this.#groupVersions()) {
      for (const v of vs) {
        const gv = g ? `apis/${g}/${v}` : `api/${v}`;
        paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${hash(JSON.stringify(this.resources(g, v)))}` };
      }
    }
    return { paths };
  }

  /**
   * GET /openapi/v3/<gv>: a minimal OpenAPI document — for each resource the PATCH operation with its
   * x-kubernetes-group-version-kind and the `fieldValidation` parameter. That is what kubectl's
   * QueryParamVerifierV3 looks for before it trusts the server to validate (`--validate=strict`); schemas
   * are not served, so kubectl computes apply patches from its compiled-in types or as JSON merge patches.
   */
  openapiV3Doc(group: string, version: string): Record<string, unknown> | undefined {
    const resources = this.resources(group, version).filter((r) => !r.name.includes("/"));
    if (!resources.length) return undefined;
    const paths: Record<string, unknown> = {};
    const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const param = (name: string, where: string) => ({ name, in: where, schema: { type: "string", uniqueItems: true } });
    for (const r of resources) {
      const gvk = { group, version, kind: r.kind };
      const itemPath = r.namespaced ? `${base}/namespaces/{namespace}/${r.name}/{name}` : `${base}/${r.name}/{name}`;
      const content = Object.fromEntries(
        ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"].map((
          t,
        ) => [t, { schema: { type: "object" } }]),
      );
      paths[itemPath] = {
        parameters: [param("name", "path"), ...(r.namespaced ? [param("namespace", "path")] : [])],
        patch: {
          operationId: `patch${r.kind}`,
          parameters: [param("dryRun", "query"), param("fieldManager", "query"), param("fieldValidation", "query")],
          requestBody: { content, required: true },
          responses: { "200": { description: "OK" } },
          "x-kubernetes-action": "patch",
          "x-kubernetes-group-version-kind": gvk,
        },
      };
    }
    return {
      openapi: "3.0.0",
      info: { title: "Kubernetes", version: kubeVersion(this.#version).gitVersion },
      paths,
      components: { schemas: {} },
    };
  }
}

/** A short stable hash for OpenAPI cache-busting URLs. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).toUpperCase().padStart(8, "0");
}
