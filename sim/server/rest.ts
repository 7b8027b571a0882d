/**
 * The REST verbs on the Store, as kube-apiserver's generic registry serves them: get, list (selectors,
 * limit/continue paging, metadata-only and Table representations), create, update, patch, delete,
 * deletecollection, the status and finalize subresources, pods/eviction, and the access reviews. Also the
 * HTTP plumbing the other handlers share (content negotiation, byte accounting, streaming with backpressure).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { load as loadYaml } from "js-yaml";
import { type Obj, type ResourceDef, resourceKey, type Store, StoreError } from "../store.ts";
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector, SelectorError } from "../selectors.ts";
import type { Auth, UserInfo } from "./auth.ts";
import type { Discovery } from "./discovery.ts";
import type { RequestInfo } from "./router.ts";
import { applyPatch, mergePatch, patchKind, strategicMergePatch } from "./patch.ts";
import { badRequest, HttpError, notFoundPath, success } from "./status.ts";
import { tableFor } from "./table.ts";
import { loadCrds } from "../resources.ts";
import { pruneUnknownFields } from "../schema_validation.ts";

// ---------------------------------------------------------------------------------------------------
// HTTP plumbing

/** Per-request byte counters (the request log records them). */
export interface ByteStats {
  bytesIn: number;
  bytesOut: number;
}

export type Representation = "object" | "metadata" | "table";

/**
 * What the client asked for in `Accept`: the first entry we can serve. `as=PartialObjectMetadata[List]`
 * → metadata; `as=Table` → table; plain JSON or `*\/*` → the object itself.
 */
export function negotiate(accept: string | undefined): Representation {
  if (!accept) return "object";
  let sawJson = false;
  for (const entry of accept.split(",")) {
    const [type, ...params] = entry.split(";").map((s) => s.trim());
    const p: Record<string, string> = Object.fromEntries(params.map((x) => x.split("=").map((s) => s.trim())));
    const json = type === "application/json" || type === "*/*" || type === "application/*";
    if (!json) continue;
    sawJson = true;
    if (!p.as) return "object";
    if (p.g !== "meta.k8s.io") continue;
    if (p.as === "PartialObjectMetadataList" || p.as === "PartialObjectMetadata") return "metadata";
    if (p.as === "Table") return "table";
  }
  if (!sawJson) {
    throw new HttpError(406, "NotAcceptable", "only the following media types are accepted: application/json");
  }
  return "object";
}

export async function readBody(req: IncomingMessage, stats: ByteStats): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const c of req) chunks.push(typeof c === "string" ? new TextEncoder().encode(c) : c);
  const total = chunks.reduce((n, c) => n + c.length, 0);
  stats.bytesIn += total;
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export function sendJson(
  res: ServerResponse,
  stats: ByteStats,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  const buf = Buffer.from(text);
  stats.bytesOut += buf.length;
  res.writeHead(code, {
    "Content-Type": "application/json",
    "Cache-Control": "no-cache, private",
    "Content-Length": String(buf.length),
    ...headers,
  });
  res.end(buf);
}

const encoder = new TextEncoder();
const objectBytes = new WeakMap<object, Uint8Array>();
const metadataBytes = new WeakMap<object, Uint8Array>();

/**
 * The JSON bytes of a stored object in a representation. Stored objects are frozen and replaced on every
 * write, so their encoding is cached per object: repeated lists of 100,000 pods cost copies, not stringify.
 */
export function encodeObject(o: Obj, as: Representation): Uint8Array {
  const meta = as === "metadata";
  const cache = meta ? metadataBytes : objectBytes;
  const key = meta ? o.metadata : o;
  let b = cache.get(key);
  if (!b) {
    b = encoder.encode(JSON.stringify(represent(o, as)));
    if (Object.isFrozen(key)) cache.set(key, b);
  }
  return b;
}

/** Collects writes into ~1 MiB chunks and waits for `drain` when the socket is full. */
export class StreamWriter {
  #buf = new Uint8Array(1 << 20);
  #used = 0;

  constructor(readonly res: ServerResponse, readonly stats: ByteStats) {}

  async write(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    if (this.#used + bytes.length > this.#buf.length) {
      await this.flush();
      if (bytes.length > this.#buf.length) return await this.#send(bytes);
    }
    this.#buf.set(bytes, this.#used);
    this.#used += bytes.length;
  }

  /** Writes what is buffered now (watch events must not wait for more). */
  async flush(): Promise<void> {
    if (!this.#used) return;
    const chunk = this.#buf.slice(0, this.#used);
    this.#used = 0;
    await this.#send(chunk);
  }

  async #send(chunk: Uint8Array): Promise<void> {
    this.stats.bytesOut += chunk.length;
    if (this.res.destroyed || this.res.writableEnded) return;
    if (!this.res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.res.off("drain", done);
          this.res.off("close", done);
          resolve();
        };
        this.res.on("drain", done);
        this.res.on("close", done);
      });
    }
  }

  async end(): Promise<void> {
    await this.flush();
    if (!this.res.destroyed && !this.res.writableEnded) this.res.end();
  }
}

// ---------------------------------------------------------------------------------------------------
// Sorted index for paging: kept up to date from store events so each page is a binary search, not a sort.

interface SortedEntries {
  keys: string[];
  objs: Obj[];
}

const lowerBound = (keys: string[], k: string) => {
  let lo = 0, hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

export class ListIndex {
  readonly #store: Store;
  readonly #cache = new Map<string, SortedEntries>();
  readonly #unsubscribe: () => void;

  constructor(store: Store) {
    this.#store = store;
    this.#unsubscribe = store.subscribe((e) => {
      const c = this.#cache.get(e.key);
      if (!c) return;
      const def = store.def(e.key);
      const k = sortKey(def, e.object);
      const i = lowerBound(c.keys, k);
      const present = i < c.keys.length && c.keys[i] === k;
      if (e.type === "DELETED") {
        if (present) {
          c.keys.splice(i, 1);
          c.objs.splice(i, 1);
        }
      } else if (present) c.objs[i] = e.object;
      else {
        c.keys.splice(i, 0, k);
        c.objs.splice(i, 0, e.object);
      }
    });
  }

  sorted(key: string): SortedEntries {
    let c = this.#cache.get(key);
    if (!c) {
      const def = this.#store.def(key);
      const pairs = this.#store.all(key).map((o) => [sortKey(def, o), o] as const);
      pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      c = { keys: pairs.map(([k]) => k), objs: pairs.map(([, o]) => o) };
      this.#cache.set(key, c);
    }
    return c;
  }

  stop(): void {
    this.#unsubscribe();
    this.#cache.clear();
  }
}

const sortKey = (def: ResourceDef, o: Obj) =>
  def.namespaced ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;

export interface ListPage {
  items: Obj[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** One page of a list, in the API server's order (namespace/name), with an opaque continue token. */
export function listPage(
  store: Store,
  index: ListIndex,
  key: string,
  opts: { namespace?: string; labelSelector?: string; fieldSelector?: string; limit?: number; continue?: string },
): ListPage {
  let labels, fields;
  try {
    labels = parseLabelSelector(opts.labelSelector);
    fields = parseFieldSelector(opts.fieldSelector);
  } catch (e) {
    throw new HttpError(400, "BadRequest", (e as SelectorError).message);
  }
  const def = store.def(key);
  let rv = store.resourceVersion();
  let after: string | undefined;
  if (opts.continue) {
    try {
      const tok = JSON.parse(atob(opts.continue));
      after = String(tok.start);
      rv = String(tok.rv);
    } catch {
      throw new HttpError(400, "BadRequest", "continue key is not valid: illegal base64 data at input byte 0");
    }
  }
  const { keys, objs } = index.sorted(key);
  let from = 0, to = keys.length;
  if (def.namespaced && opts.namespace) {
    from = lowerBound(keys, `${opts.namespace}/`);
    to = lowerBound(keys, `${opts.namespace}0`); // "0" follows "/" in ASCII: the end of the namespace's range
  }
  if (after !== undefined) from = Math.max(from, lowerBound(keys, after + "\u0000"));
  const filtered = labels.length > 0 || fields.length > 0;
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
  const items: Obj[] = [];
  let i = from;
  for (; i < to && items.length < limit; i++) {
    const o = objs[i];
    if (!filtered || (matchLabels(o.metadata.labels, labels) && matchFields(o, fields))) items.push(o);
  }
  // More to come? With selectors, look ahead for one more match before promising a next page.
  let more = false;
  for (let j = i; j < to; j++) {
    const o = objs[j];
    if (!filtered || (matchLabels(o.metadata.labels, labels) && matchFields(o, fields))) {
      more = true;
      break;
    }
  }
  if (items.length >= limit && more) {
    const last = items[items.length - 1];
    const page: ListPage = {
      items,
      resourceVersion: rv,
      continue: btoa(JSON.stringify({ rv: Number(rv), start: sortKey(def, last) })),
    };
    if (!filtered) page.remainingItemCount = to - i;
    return page;
  }
  return { items, resourceVersion: rv };
}

// ---------------------------------------------------------------------------------------------------
// Handlers

export interface RestDeps {
  store: Store;
  auth: Auth;
  discovery: Discovery;
  index: ListIndex;
  /** Current simulated time (for Table ages). */
  now(): number;
}

export interface RestRequest {
  req: IncomingMessage;
  res: ServerResponse;
  info: RequestInfo;
  query: URLSearchParams;
  user: UserInfo;
  stats: ByteStats;
}

/** Built-in groups accept strategic merge patches; custom resources do not (415). */
const BUILTIN_GROUPS = new Set([
  "",
  "apps",
  "policy",
  "batch",
  "admissionregistration.k8s.io",
  "rbac.authorization.k8s.io",
  "networking.k8s.io",
  "storage.k8s.io",
  "coordination.k8s.io",
]);

const metaGV = "meta.k8s.io/v1";

function partial(o: Obj): Obj {
  return { kind: "PartialObjectMetadata", apiVersion: metaGV, metadata: o.metadata };
}

/** The object as the client asked to see it (plain, metadata-only). Tables are built per list. */
export function represent(o: Obj, as: Representation): Obj {
  return as === "metadata" ? partial(o) : o;
}

async function jsonBody(r: RestRequest): Promise<Obj> {
  const bytes = await readBody(r.req, r.stats);
  const text = new TextDecoder().decode(bytes);
  if (!text.trim()) throw badRequest("the body of the request was empty");
  try {
    const ct = String(r.req.headers["content-type"] ?? "");
    return (ct.includes("yaml") ? loadYaml(text) : JSON.parse(text)) as Obj;
  } catch (e) {
    throw badRequest(`the body of the request could not be decoded: ${(e as Error).message}`);
  }
}

const isDryRun = (q: URLSearchParams) => q.getAll("dryRun").includes("All");

function listKind(def: ResourceDef, as: Representation): { kind: string; apiVersion: string } {
  if (as === "metadata") return { kind: "PartialObjectMetadataList", apiVersion: metaGV };
  return { kind: `${def.kind}List`, apiVersion: def.group ? `${def.group}/${def.version}` : def.version };
}

export async function handleResource(r: RestRequest, deps: RestDeps): Promise<void> {
  const { info, query } = r;
  const { store } = deps;

  // Virtual resources answered here: the access reviews.
  if (info.verb === "create" && !info.name) {
    if (info.apiGroup === "authorization.k8s.io" && info.resource === "selfsubjectaccessreviews") {
      return sendJson(r.res, r.stats, 201, deps.auth.selfSubjectAccessReview(r.user, await jsonBody(r)));
    }
    if (info.apiGroup === "authorization.k8s.io" && info.resource === "selfsubjectrulesreviews") {
      return sendJson(r.res, r.stats, 201, deps.auth.selfSubjectRulesReview(r.user, await jsonBody(r)));
    }
    if (info.apiGroup === "authentication.k8s.io" && info.resource === "selfsubjectreviews") {
      return sendJson(r.res, r.stats, 201, {
        kind: "SelfSubjectReview",
        apiVersion: "authentication.k8s.io/v1",
        metadata: { creationTimestamp: null },
        status: { userInfo: { username: r.user.name, groups: r.user.groups } },
      });
    }
  }

  const def = deps.discovery.find(info.apiGroup, info.apiVersion, info.resource);
  if (!def) throw notFoundPath();
  const key = resourceKey(def.group, def.resource);
  const ns = def.namespaced ? info.namespace : undefined;
  if (def.namespaced && info.name && !ns) throw notFoundPath();
  const sub = info.subresource;
  if (sub) {
    const ok = (sub === "status" && def.statusSubresource) ||
      (sub === "finalize" && key === "core/namespaces") ||
      (key === "core/pods" && (sub === "eviction" || sub === "log")) ||
      (key === "core/serviceaccounts" && sub === "token");
    if (!ok) throw notFoundPath();
  }
  const as = negotiate(r.req.headers.accept);

  switch (info.verb) {
    case "get": {
      const o = store.mustGet(key, ns, info.name!);
      if (sub === "log") {
        // Simulated containers print nothing; the pod must exist (404 otherwise), as for a real log request.
        r.res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": "0" });
        r.res.end();
        return;
      }
      if (as === "table") {
        return sendJson(r.res, r.stats, 200, tableFor(def, [o], store.resourceVersion(), query, deps.now()));
      }
      return sendJson(r.res, r.stats, 200, represent(o, as));
    }
    case "list": {
      const rvParam = query.get("resourceVersion");
      const limitParam = query.get("limit");
      const cont = query.get("continue") ?? undefined;
      // resourceVersion=0 is served from the watch cache, which ignores limit (as kube-apiserver does).
      const limit = limitParam && !(rvParam === "0" && !cont) ? Number(limitParam) : undefined;
      if (limit !== undefined && !Number.isFinite(limit)) throw badRequest(`invalid limit: ${limitParam}`);
      const page = listPage(store, deps.index, key, {
        namespace: ns,
        labelSelector: query.get("labelSelector") ?? undefined,
        fieldSelector: query.get("fieldSelector") ?? undefined,
        limit,
        continue: cont,
      });
      if (as === "table") {
        const t = tableFor(def, page.items, page.resourceVersion, query, deps.now());
        if (page.continue) (t.metadata as Obj).continue = page.continue;
        if (page.remainingItemCount !== undefined) (t.metadata as Obj).remainingItemCount = page.remainingItemCount;
        return sendJson(r.res, r.stats, 200, t);
      }
      return await streamList(r, def, page, as);
    }
    case "create": {
      if (sub === "eviction") return await evict(r, deps, key, ns!, info.name!);
      if (sub === "token") return await tokenRequest(r, deps, key, ns!, info.name!);
      if (info.name) {
        throw new HttpError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
      }
      if (def.namespaced && !ns) throw notFoundPath();
      const body = await jsonBody(r);
      checkKind(body, def);
      body.metadata ??= {};
      if (def.namespaced) {
        if (body.metadata.namespace && body.metadata.namespace !== ns) {
          throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        body.metadata.namespace = ns;
      }
      // With a status subresource, a create cannot set status (the strategies' PrepareForCreate drop it; a
      // new pod starts Pending).
      if (def.statusSubresource) {
        delete body.status;
        if (key === "core/pods") body.status = { phase: "Pending" };
      }
      const created = store.create(key, fieldValidation(r, def, body), { dryRun: isDryRun(query) });
      return sendJson(r.res, r.stats, 201, represent(created, as === "table" ? "object" : as));
    }
    case "update": {
      const body = await jsonBody(r);
      checkKind(body, def);
      body.metadata ??= {};
      if (body.metadata.name && body.metadata.name !== info.name) {
        throw badRequest(
          `the name of the object (${body.metadata.name}) does not match the name on the URL (${info.name})`,
        );
      }
      body.metadata.name = info.name;
      if (def.namespaced) {
        if (body.metadata.namespace && body.metadata.namespace !== ns) {
          throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        body.metadata.namespace = ns;
      }
      let input = body;
      if (sub === "finalize") {
        const cur = store.mustGet(key, ns, info.name!);
        input = {
          ...structuredClone(cur),
          spec: { ...(cur.spec ?? {}), finalizers: body.spec?.finalizers ?? [] },
          metadata: { ...structuredClone(cur.metadata), resourceVersion: body.metadata.resourceVersion },
        };
      }
      const updated = store.update(key, fieldValidation(r, def, input), {
        subresource: sub === "status" ? "status" : undefined,
        dryRun: isDryRun(query),
      });
      return sendJson(r.res, r.stats, 200, represent(updated, as === "table" ? "object" : as));
    }
    case "patch":
      return await patch(r, deps, def, key, ns, as);
    case "delete": {
      const opts = await deleteOptions(r);
      const before = store.mustGet(key, ns, info.name!);
      const out = store.delete(key, ns, info.name!, {
        uid: opts.preconditions?.uid,
        resourceVersion: opts.preconditions?.resourceVersion,
        dryRun: isDryRun(query) || (opts.dryRun ?? []).includes("All"),
      });
      const stillThere = store.get(key, ns, info.name!);
      if (stillThere || isDryRun(query)) return sendJson(r.res, r.stats, 200, represent(stillThere ?? out, as));
      if (key === "core/pods") return sendJson(r.res, r.stats, 200, represent(out, as));
      return sendJson(
        r.res,
        r.stats,
        200,
        success({ name: info.name, group: def.group, kind: def.resource, uid: before.metadata.uid }),
      );
    }
    case "deletecollection": {
      const opts = await deleteOptions(r);
      const dryRun = isDryRun(query) || (opts.dryRun ?? []).includes("All");
      const page = listPage(store, deps.index, key, {
        namespace: ns,
        labelSelector: query.get("labelSelector") ?? undefined,
        fieldSelector: query.get("fieldSelector") ?? undefined,
      });
      const items: Obj[] = [];
      for (const o of [...page.items]) {
        try {
          items.push(store.delete(key, o.metadata.namespace, o.metadata.name, { dryRun }));
        } catch (e) {
          if (!(e instanceof StoreError && e.code === 404)) throw e;
        }
      }
      return sendJson(r.res, r.stats, 200, {
        ...listKind(def, as === "metadata" ? "metadata" : "object"),
        metadata: { resourceVersion: store.resourceVersion() },
        items: items.map((o) => represent(o, as)),
      });
    }
    default:
      throw new HttpError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  }
}

let crdSchemas: Map<string, Obj> | undefined;

/**
 * Unknown fields of a custom resource, handled per `fieldValidation` as kube-apiserver does: Strict → 400,
 * Warn (the default) → pruned with a `Warning` header each, Ignore → pruned silently. Built-in kinds pass.
 */
function fieldValidation(r: RestRequest, def: ResourceDef, obj: Obj): Obj {
  if (!crdSchemas) {
    crdSchemas = new Map();
    for (const c of loadCrds()) if (c.schema) crdSchemas.set(resourceKey(c.def.group, c.def.resource), c.schema);
  }
  const schema = crdSchemas.get(resourceKey(def.group, def.resource));
  if (!schema || typeof obj !== "object" || obj === null || Array.isArray(obj)) return obj;
  const { pruned, unknown } = pruneUnknownFields(schema, obj);
  if (!unknown.length) return obj;
  const mode = r.query.get("fieldValidation") ?? "Warn";
  if (mode === "Strict") {
    throw badRequest(
      `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${
        unknown.map((u) => `unknown field "${u}"`).join(", ")
      }`,
    );
  }
  if (mode !== "Ignore") r.res.setHeader("Warning", unknown.map((u) => `299 - "unknown field \\"${u}\\""`));
  return pruned;
}

function checkKind(body: Obj, def: ResourceDef): void {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("the body of the request must be a JSON object");
  }
  const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
  if (body.kind && body.kind !== def.kind) {
    throw badRequest(
      `the API version in the data (${body.apiVersion ?? ""}) does not match the expected API version (${apiVersion})`,
    );
  }
}

interface DeleteOptions {
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
  gracePeriodSeconds?: number;
}

async function deleteOptions(r: RestRequest): Promise<DeleteOptions> {
  const bytes = await readBody(r.req, r.stats);
  const text = new TextDecoder().decode(bytes).trim();
  let opts: DeleteOptions = {};
  if (text) {
    try {
      opts = JSON.parse(text);
    } catch {
      throw badRequest("the body of the request could not be decoded as DeleteOptions");
    }
  }
  const pp = r.query.get("propagationPolicy");
  if (pp) opts.propagationPolicy = pp;
  if (opts.propagationPolicy && !["Orphan", "Background", "Foreground"].includes(opts.propagationPolicy)) {
    throw new HttpError(
      422,
      "Invalid",
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
    );
  }
  return opts;
}

async function patch(
  r: RestRequest,
  deps: RestDeps,
  def: ResourceDef,
  key: string,
  ns: string | undefined,
  as: Representation,
): Promise<void> {
  const { store } = deps;
  const name = r.info.name!;
  const builtin = BUILTIN_GROUPS.has(def.group);
  const kind = patchKind(r.req.headers["content-type"]);
  if (!kind || (kind === "strategic" && !builtin)) {
    const accepted = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];
    if (builtin) accepted.push("application/strategic-merge-patch+json");
    throw new HttpError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
    );
  }
  const body = await jsonBody(r);
  const dryRun = isDryRun(r.query);
  const sub = r.info.subresource === "status" ? "status" as const : undefined;
  const current = store.get(key, ns, name);
  if (kind === "apply") {
    // Server-side apply, approximated: create when absent, else merge the applied configuration in.
    if (!current) {
      if (sub) store.mustGet(key, ns, name); // throws the 404: status cannot be applied to a missing object
      body.metadata = { ...(body.metadata ?? {}), name, ...(def.namespaced ? { namespace: ns } : {}) };
      return sendJson(
        r.res,
        r.stats,
        201,
        represent(store.create(key, fieldValidation(r, def, body), { dryRun }), as === "table" ? "object" : as),
      );
    }
    const merged = builtin ? strategicMergePatch(current, body) : mergePatch(current, body);
    merged.metadata.resourceVersion = current.metadata.resourceVersion;
    const out = store.update(key, fieldValidation(r, def, merged), { subresource: sub, dryRun });
    return sendJson(r.res, r.stats, 200, represent(out, as === "table" ? "object" : as));
  }
  const cur = current ?? store.mustGet(key, ns, name);
  const patched = applyPatch(kind, structuredClone(cur), body);
  if (typeof patched !== "object" || patched === null || Array.isArray(patched)) {
    throw badRequest("the patched object is not a JSON object");
  }
  patched.metadata ??= {};
  if (patched.metadata.name !== name) {
    throw badRequest(`the name of the object (${patched.metadata.name}) does not match the name on the URL (${name})`);
  }
  if (def.namespaced) patched.metadata.namespace = ns;
  patched.metadata.resourceVersion ??= cur.metadata.resourceVersion;
  const out = store.update(key, fieldValidation(r, def, patched), { subresource: sub, dryRun });
  return sendJson(r.res, r.stats, 200, represent(out, as === "table" ? "object" : as));
}

/** policy/v1 Eviction: the pod is deleted (PodDisruptionBudgets are not evaluated). */
/** serviceaccounts/token (TokenRequest): a bound token for an existing service account. */
async function tokenRequest(r: RestRequest, deps: RestDeps, key: string, ns: string, name: string): Promise<void> {
  deps.store.mustGet(key, ns, name);
  const body = JSON.parse(new TextDecoder().decode(await readBody(r.req, r.stats)) || "{}");
  const seconds = Number(body?.spec?.expirationSeconds ?? 3600);
  const token = deps.auth.issueServiceAccountToken(ns, name);
  sendJson(r.res, r.stats, 201, {
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenRequest",
    metadata: { name, namespace: ns, creationTimestamp: new Date(deps.now()).toISOString() },
    spec: { audiences: body?.spec?.audiences ?? ["https://kubernetes.default.svc"], expirationSeconds: seconds },
    status: { token, expirationTimestamp: new Date(deps.now() + seconds * 1000).toISOString() },
  });
}

async function evict(r: RestRequest, deps: RestDeps, key: string, ns: string, name: string): Promise<void> {
  await readBody(r.req, r.stats);
  deps.store.delete(key, ns, name, { dryRun: isDryRun(r.query) });
  sendJson(r.res, r.stats, 201, success());
}

async function streamList(r: RestRequest, def: ResourceDef, page: ListPage, as: Representation): Promise<void> {
  const meta: Obj = { resourceVersion: page.resourceVersion };
  if (page.continue) meta.continue = page.continue;
  if (page.remainingItemCount !== undefined) meta.remainingItemCount = page.remainingItemCount;
  const head = { ...listKind(def, as), metadata: meta };
  r.res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private" });
  const w = new StreamWriter(r.res, r.stats);
  const headText = JSON.stringify(head);
  await w.write(headText.slice(0, -1) + ',"items":[');
  const comma = encoder.encode(",");
  for (let i = 0; i < page.items.length; i++) {
    if (r.res.destroyed) return;
    if (i) await w.write(comma);
    await w.write(encodeObject(page.items[i], as));
  }
  await w.write("]}");
  await w.end();
}
