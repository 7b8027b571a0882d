/**
 * The three PATCH formats kube-apiserver accepts: JSON merge patch (RFC 7386), JSON patch (RFC 6902,
 * including `test`) and strategic merge patch for built-in kinds (lists merged by their patchMergeKey,
 * `$patch` directives). Errors carry the HTTP code the API server answers with.
 */
import { HttpError } from "./status.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const isObject = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** A JSON patch failure: kube-apiserver answers 422 with the library's message as the cause. */
function patchFailed(message: string): HttpError {
  return new HttpError(422, "Invalid", "the server rejected our request due to an error in our request", {
    causes: [{ reason: "UnexpectedServerResponse", message }],
  });
}

function parsePointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw patchFailed(`invalid JSON pointer: ${JSON.stringify(path)}`);
  return path.slice(1).split("/").map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function arrayIndex(arr: Json[], tok: string, forAdd: boolean, path: string): number {
  if (forAdd && tok === "-") return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(tok)) throw patchFailed(`invalid array index ${JSON.stringify(tok)} in ${path}`);
  const i = Number(tok);
  if (i > arr.length || (!forAdd && i === arr.length)) {
    throw patchFailed(`Unable to access invalid index: ${i}: invalid index referenced`);
  }
  return i;
}

function getAt(doc: Json, tokens: string[], path: string): Json {
  let cur = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false, path)];
    else if (isObject(cur) && Object.hasOwn(cur, t)) cur = cur[t];
    else throw patchFailed(`doc is missing path: "${path}": missing value`);
  }
  return cur;
}

function parentOf(doc: Json, tokens: string[], path: string, op: string): Json {
  const parent = getAt(doc, tokens.slice(0, -1), path);
  if (!isObject(parent) && !Array.isArray(parent)) {
    throw patchFailed(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  return parent;
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

interface JsonPatchOp {
  op: string;
  path: string;
  value?: Json;
  from?: string;
}

export function jsonPatch(doc: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) {
    throw new HttpError(400, "BadRequest", "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  }
  let root = structuredClone(doc);
  const add = (path: string, value: Json) => {
    const tokens = parsePointer(path);
    if (tokens.length === 0) {
      root = value;
      return;
    }
    const parent = parentOf(root, tokens, path, "add");
    const last = tokens[tokens.length - 1];
    if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, true, path), 0, value);
    else parent[last] = value;
  };
  const remove = (path: string, op: string): Json => {
    const tokens = parsePointer(path);
    const parent = parentOf(root, tokens, path, op);
    const last = tokens[tokens.length - 1];
    if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, last, false, path), 1)[0];
    if (!Object.hasOwn(parent, last)) {
      throw patchFailed(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
    }
    const v = parent[last];
    delete parent[last];
    return v;
  };
  for (const raw of ops as JsonPatchOp[]) {
    if (!isObject(raw) || typeof raw.op !== "string" || typeof raw.path !== "string") {
      throw new HttpError(400, "BadRequest", "invalid JSON patch operation");
    }
    switch (raw.op) {
      case "add":
        add(raw.path, structuredClone(raw.value));
        break;
      case "remove":
        remove(raw.path, "remove");
        break;
      case "replace": {
        const tokens = parsePointer(raw.path);
        if (tokens.length === 0) {
          root = structuredClone(raw.value);
          break;
        }
        getAt(root, tokens, raw.path);
        const parent = parentOf(root, tokens, raw.path, "replace");
        const last = tokens[tokens.length - 1];
        if (Array.isArray(parent)) parent[arrayIndex(parent, last, false, raw.path)] = structuredClone(raw.value);
        else parent[last] = structuredClone(raw.value);
        break;
      }
      case "move": {
        const v = remove(raw.from ?? "", "move");
        add(raw.path, v);
        break;
      }
      case "copy":
        add(raw.path, structuredClone(getAt(root, parsePointer(raw.from ?? ""), raw.from ?? "")));
        break;
      case "test": {
        let actual: Json;
        try {
          actual = getAt(root, parsePointer(raw.path), raw.path);
        } catch {
          actual = undefined;
        }
        if (!deepEqual(actual ?? null, raw.value ?? null) || (actual === undefined && raw.value !== null)) {
          throw patchFailed(`testing value ${raw.path} failed: test failed`);
        }
        break;
      }
      default:
        throw patchFailed(`Unexpected kind: ${raw.op}`);
    }
  }
  return root;
}

/**
 * patchMergeKey of the list fields of built-in kinds (k8s.io/api struct tags). Lists not named here
 * are replaced as a whole, as for fields without a patchStrategy.
 */
const mergeKeys: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  imagePullSecrets: "name",
  conditions: "type",
  hostAliases: "ip",
  ownerReferences: "uid",
  podIPs: "ip",
  hostIPs: "ip",
  topologySpreadConstraints: "topologyKey",
  resourceClaims: "name",
  schedulingGates: "name",
  addresses: "type",
};

/** Lists of scalars merged as sets (patchStrategy "merge" without a key). */
const mergedScalarLists = new Set(["finalizers"]);

function mergeKeyFor(field: string, items: Json[]): string | undefined {
  if (field === "ports") {
    const sample = items.find(isObject);
    return sample && "containerPort" in sample ? "containerPort" : "port";
  }
  return mergeKeys[field];
}

export function strategicMergePatch(target: Json, patch: Json): Json {
  return smpObject(isObject(target) ? target : {}, patch);
}

function smpObject(target: Record<string, Json>, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === "replace") {
    const { $patch: _p, ...rest } = patch;
    return stripDirectives(rest);
  }
  if (patch.$patch === "delete") return undefined;
  const out: Record<string, Json> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (k === "$patch" || k === "$retainKeys" || k.startsWith("$setElementOrder/")) continue;
    if (k.startsWith("$deleteFromPrimitiveList/")) {
      const field = k.slice("$deleteFromPrimitiveList/".length);
      if (Array.isArray(out[field]) && Array.isArray(v)) {
        out[field] = out[field].filter((x: Json) => !v.some((d: Json) => deepEqual(d, x)));
      }
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    if (Array.isArray(v)) {
      out[k] = smpList(k, Array.isArray(out[k]) ? out[k] : [], v);
    } else if (isObject(v)) {
      const merged = smpObject(isObject(out[k]) ? out[k] : {}, v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else out[k] = v;
  }
  return out;
}

function smpList(field: string, target: Json[], patch: Json[]): Json[] {
  if (patch.some((p) => isObject(p) && p.$patch === "replace")) {
    return patch.filter((p) => !(isObject(p) && p.$patch === "replace")).map(stripDirectives);
  }
  if (mergedScalarLists.has(field)) {
    const out = [...target];
    for (const p of patch) if (!out.some((x) => deepEqual(x, p))) out.push(p);
    return out;
  }
  const key = mergeKeyFor(field, [...patch, ...target]);
  if (!key || !patch.every(isObject)) return patch.map(stripDirectives);
  const out = target.map((t) => t);
  for (const p of patch) {
    const idx = out.findIndex((t) => isObject(t) && deepEqual(t[key], p[key]));
    if (p.$patch === "delete") {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = smpObject(out[idx], p);
    else out.push(stripDirectives(p));
  }
  return out;
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObject(v)) return v;
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith("$")) out[k] = stripDirectives(x);
  return out;
}

export type PatchKind = "merge" | "json" | "strategic" | "apply";

/** The patch kind of a Content-Type, or undefined (415). */
export function patchKind(contentType: string | undefined): PatchKind | undefined {
  const ct = (contentType ?? "").split(";")[0].trim().toLowerCase();
  switch (ct) {
    case "application/merge-patch+json":
      return "merge";
    case "application/json-patch+json":
      return "json";
    case "application/strategic-merge-patch+json":
      return "strategic";
    case "application/apply-patch+yaml":
    case "application/apply-patch+json":
      return "apply";
  }
  return undefined;
}

export function applyPatch(kind: Exclude<PatchKind, "apply">, current: Json, patch: Json): Json {
  switch (kind) {
    case "merge":
      return mergePatch(current, patch);
    case "json":
      return jsonPatch(current, patch);
    case "strategic":
      return strategicMergePatch(current, patch);
  }
}
