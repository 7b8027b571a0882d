/**
 * Turns a request path and method into kube-apiserver's request info (RequestInfoFactory in
 * k8s.io/apiserver/pkg/endpoints/request): API group/version, namespace, resource, name, subresource and
 * the authorization verb (GET on a collection = list, `?watch=1` or `/watch/` = watch, DELETE on a
 * collection = deletecollection).
 */

export interface RequestInfo {
  /** True for /api/v1/… and /apis/<group>/<version>/… paths that name a resource. */
  isResource: boolean;
  verb: string;
  /** "api" or "apis" for API paths; "" otherwise. */
  prefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  path: string;
}

const methodVerbs: Record<string, string> = {
  GET: "get",
  HEAD: "get",
  POST: "create",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};

/** Subresources that follow `namespaces/{name}` directly (the namespace is the object, not the scope). */
const namespaceSubresources = new Set(["status", "finalize"]);

export function parseRequest(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResource: false,
    verb: methodVerbs[method] ?? method.toLowerCase(),
    prefix: "",
    apiGroup: "",
    apiVersion: "",
    resource: "",
    path,
  };
  const parts = path.split("/").filter((p) => p !== "").map(decodeURIComponent);
  if (parts[0] !== "api" && parts[0] !== "apis") return info;
  info.prefix = parts[0];
  let rest = parts.slice(1);
  if (info.prefix === "api") {
    if (rest.length < 1) return info;
    info.apiVersion = rest[0];
    rest = rest.slice(1);
  } else {
    if (rest.length < 2) {
      if (rest.length === 1) info.apiGroup = rest[0];
      return info;
    }
    info.apiGroup = rest[0];
    info.apiVersion = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length === 0) return info;
  info.isResource = true;
  let watchPath = false;
  if (rest[0] === "watch") {
    watchPath = true;
    rest = rest.slice(1);
  }
  if (rest[0] === "namespaces") {
    if (rest.length > 1) {
      info.namespace = rest[1];
      if (rest.length > 2 && !namespaceSubresources.has(rest[2])) rest = rest.slice(2);
    }
  }
  info.resource = rest[0] ?? "";
  if (rest.length >= 2) info.name = rest[1];
  if (rest.length >= 3) info.subresource = rest[2];
  if (info.resource === "namespaces" && info.name) info.namespace = info.name;

  if (watchPath) info.verb = "watch";
  else if (info.verb === "get" && !info.name) {
    const w = query.get("watch");
    info.verb = w === "1" || w === "true" ? "watch" : "list";
  } else if (info.verb === "get" && info.name) {
    const w = query.get("watch");
    if (w === "1" || w === "true") info.verb = "watch";
  } else if (info.verb === "delete" && !info.name) info.verb = "deletecollection";
  return info;
}
