/**
 * The simulated API server's storage: every object of every resource, with the semantics the real
 * kube-apiserver gives them (resourceVersion, uid, generation, finalizers, status subresources,
 * selectors, paging, watch history with 410 Gone). Objects handed out are frozen: change them only
 * through `update`/`mutate`, which store a new copy.
 */
import type { SimClock } from "./clock.ts";
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector, SelectorError } from "./selectors.ts";

// deno-lint-ignore no-explicit-any
export type Obj = Record<string, any>;

/** One API resource the server serves. `key` is `<group or "core">/<plural>`. */
export interface ResourceDef {
  group: string;
  version: string;
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** The resource has a `/status` subresource: main-resource writes ignore `status`. */
  statusSubresource?: boolean;
  /** Verbs listed in discovery. Default: the full set. */
  verbs?: string[];
  /** Returns validation errors (field path: message); any error rejects the write with 422. */
  validate?: (obj: Obj, old: Obj | undefined) => string[];
}

export const resourceKey = (group: string, resource: string) => `${group || "core"}/${resource}`;

export type StoreReason =
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Invalid"
  | "Forbidden"
  | "Gone"
  | "Expired"
  | "BadRequest"
  | "MethodNotAllowed";

/** A failed storage operation; the server turns it into a metav1.Status with this code. */
export class StoreError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StoreReason,
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string; causes?: { field: string; message: string }[] },
  ) {
    super(message);
  }
}

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: EventType;
  key: string;
  object: Obj;
  /** resourceVersion of this change, as a number for ordering. */
  rv: number;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: Obj[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WriteOptions {
  /** Write only `status` (the `/status` subresource). */
  subresource?: "status";
  dryRun?: boolean;
}

export interface Watcher {
  stop(): void;
}

const HISTORY_LIMIT = 20_000;

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Obj)) deepFreeze(v);
  }
  return o;
}

// Objects are plain JSON (they come from and go to the wire): JSON copies are faster and smaller.
const clone = <T>(o: T): T => (o === undefined ? o : JSON.parse(JSON.stringify(o))) as T;

function withoutMeta(o: Obj, dropStatus: boolean): Obj {
  const { metadata: _m, status, ...rest } = o;
  return dropStatus ? rest : { ...rest, status };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function pendingFinalizers(key: string, o: Obj): number {
  const meta = (o.metadata?.finalizers ?? []).length;
  return key === "core/namespaces" ? meta + (o.spec?.finalizers ?? []).length : meta;
}

export class Store {
  readonly #defs = new Map<string, ResourceDef>();
  readonly #data = new Map<string, Map<string, Obj>>();
  readonly #history: StoreEvent[] = [];
  readonly #watchers = new Set<{ key: string; fn: (e: StoreEvent) => void }>();
  readonly #subscribers = new Set<(e: StoreEvent) => void>();
  readonly #queue: StoreEvent[] = [];
  #dispatching = false;
  #rv = 1;
  #oldestRv = 1;

  constructor(readonly clock: SimClock, defs: ResourceDef[] = []) {
    for (const d of defs) this.register(d);
  }

  register(def: ResourceDef): void {
    const key = resourceKey(def.group, def.resource);
    this.#defs.set(key, def);
    if (!this.#data.has(key)) this.#data.set(key, new Map());
  }

  defs(): ResourceDef[] {
    return [...this.#defs.values()];
  }

  def(key: string): ResourceDef {
    const d = this.#defs.get(key);
    if (!d) throw new StoreError(404, "NotFound", `the server could not find the requested resource (${key})`);
    return d;
  }

  hasDef(key: string): boolean {
    return this.#defs.has(key);
  }

  resourceVersion(): string {
    return String(this.#rv);
  }

  #bucket(key: string): Map<string, Obj> {
    this.def(key);
    return this.#data.get(key)!;
  }

  #id(key: string, namespace: string | undefined, name: string): string {
    return this.def(key).namespaced ? `${namespace ?? ""}/${name}` : name;
  }

  #notFound(key: string, name: string): StoreError {
    const d = this.def(key);
    return new StoreError(404, "NotFound", `${d.resource}${d.group ? "." + d.group : ""} "${name}" not found`, {
      name,
      group: d.group,
      kind: d.resource,
    });
  }

  /** The stored object (frozen) or undefined. */
  get(key: string, namespace: string | undefined, name: string): Obj | undefined {
    return this.#bucket(key).get(this.#id(key, namespace, name));
  }

  /** Like `get` but throws the API server's 404. */
  mustGet(key: string, namespace: string | undefined, name: string): Obj {
    const o = this.get(key, namespace, name);
    if (!o) throw this.#notFound(key, name);
    return o;
  }

  /** Every object of a resource (frozen), unfiltered and unsorted: the fast path for controllers. */
  all(key: string, namespace?: string): Obj[] {
    const items = [...this.#bucket(key).values()];
    return namespace === undefined ? items : items.filter((o) => o.metadata.namespace === namespace);
  }

  list(key: string, opts: ListOptions = {}): ListResult {
    let labels, fields;
    try {
      labels = parseLabelSelector(opts.labelSelector);
      fields = parseFieldSelector(opts.fieldSelector);
    } catch (e) {
      throw new StoreError(400, "BadRequest", (e as SelectorError).message);
    }
    const def = this.def(key);
    let start = "";
    if (opts.continue) {
      try {
        start = JSON.parse(atob(opts.continue)).start;
      } catch {
        throw new StoreError(400, "BadRequest", "continue key is not valid");
      }
    }
    const sortKey = (o: Obj) => def.namespaced ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
    const matching = this.all(key, opts.namespace || undefined)
      .filter((o) => matchLabels(o.metadata.labels, labels) && matchFields(o, fields))
      .map((o) => [sortKey(o), o] as const)
      .filter(([k]) => !start || k > start)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const rv = this.resourceVersion();
    if (opts.limit && opts.limit > 0 && matching.length > opts.limit) {
      const page = matching.slice(0, opts.limit);
      return {
        items: page.map(([, o]) => o),
        resourceVersion: rv,
        continue: btoa(JSON.stringify({ rv, start: page[page.length - 1][0] })),
        remainingItemCount: matching.length - opts.limit,
      };
    }
    return { items: matching.map(([, o]) => o), resourceVersion: rv };
  }

  #checkNamespace(key: string, obj: Obj): void {
    const def = this.def(key);
    if (!def.namespaced) return;
    const nsName = obj.metadata?.namespace;
    if (!nsName) {
      throw new StoreError(
        400,
        "BadRequest",
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    const ns = this.get("core/namespaces", undefined, nsName);
    if (!ns) {
      throw new StoreError(404, "NotFound", `namespaces "${nsName}" not found`, { name: nsName, kind: "namespaces" });
    }
    if (ns.metadata.deletionTimestamp) {
      throw new StoreError(
        403,
        "Forbidden",
        `${def.resource} "${obj.metadata.name}" is forbidden: unable to create new content in namespace ${nsName} because it is being terminated`,
      );
    }
  }

  #validate(def: ResourceDef, obj: Obj, old: Obj | undefined): void {
    const errs = def.validate?.(obj, old) ?? [];
    if (errs.length) {
      const name = obj.metadata?.name ?? "";
      throw new StoreError(
        422,
        "Invalid",
        `${def.kind}${def.group ? "." + def.group : ""} "${name}" is invalid: ${errs.join(", ")}`,
        {
          name,
          group: def.group,
          kind: def.kind,
          causes: errs.map((e) => ({ field: e.split(":")[0], message: e })),
        },
      );
    }
  }

  create(key: string, input: Obj, opts: WriteOptions = {}): Obj {
    const def = this.def(key);
    const obj = clone(input);
    obj.apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
    obj.kind = def.kind;
    obj.metadata ??= {};
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) {
      meta.name = meta.generateName + Math.random().toString(36).slice(2, 7);
    }
    if (!meta.name) {
      throw new StoreError(
        422,
        "Invalid",
        `${def.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
      );
    }
    if (!def.namespaced) delete meta.namespace;
    this.#checkNamespace(key, obj);
    const id = this.#id(key, meta.namespace, meta.name);
    if (this.#bucket(key).has(id)) {
      throw new StoreError(
        409,
        "AlreadyExists",
        `${def.resource}${def.group ? "." + def.group : ""} "${meta.name}" already exists`,
        {
          name: meta.name,
          group: def.group,
          kind: def.resource,
        },
      );
    }
    if (key === "core/namespaces") {
      obj.spec = { finalizers: ["kubernetes"], ...(obj.spec ?? {}) };
      obj.status = { phase: "Active", ...(obj.status ?? {}) };
      meta.labels = { "kubernetes.io/metadata.name": meta.name, ...(meta.labels ?? {}) };
    }
    this.#validate(def, obj, undefined);
    if (opts.dryRun) return obj;
    meta.uid = crypto.randomUUID();
    meta.creationTimestamp ??= this.clock.iso();
    meta.generation = 1;
    delete meta.deletionTimestamp;
    meta.resourceVersion = String(++this.#rv);
    deepFreeze(obj);
    this.#bucket(key).set(id, obj);
    this.#emit({ type: "ADDED", key, object: obj, rv: this.#rv });
    return obj;
  }

  /**
   * Replaces an object. A `metadata.resourceVersion` on the input is a precondition (409 on mismatch).
   * With `subresource: "status"` only status changes; otherwise status is kept where the resource
   * has a status subresource. Generation follows the API server's rule for the resource.
   */
  update(key: string, input: Obj, opts: WriteOptions = {}): Obj {
    const def = this.def(key);
    const ns = input.metadata?.namespace;
    const name = input.metadata?.name;
    const id = this.#id(key, ns, name);
    const old = this.#bucket(key).get(id);
    if (!old) throw this.#notFound(key, name);
    const wantRv = input.metadata?.resourceVersion;
    if (wantRv && wantRv !== old.metadata.resourceVersion) {
      throw new StoreError(
        409,
        "Conflict",
        `Operation cannot be fulfilled on ${def.resource}${
          def.group ? "." + def.group : ""
        } "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name, group: def.group, kind: def.resource },
      );
    }
    let obj: Obj;
    if (opts.subresource === "status") {
      obj = clone(old) as Obj;
      obj = { ...obj, status: clone(input.status) };
    } else {
      obj = clone(input);
      obj.apiVersion = old.apiVersion;
      obj.kind = old.kind;
      if (def.statusSubresource) obj.status = clone(old.status);
      if (obj.status === undefined) delete obj.status;
      const keep = ["uid", "creationTimestamp", "generation", "deletionTimestamp", "namespace", "name"];
      obj.metadata = { ...obj.metadata };
      for (const k of keep) {
        if (old.metadata[k] !== undefined) obj.metadata[k] = old.metadata[k];
        else delete obj.metadata[k];
      }
      if (!def.namespaced) delete obj.metadata.namespace;
      // A deletion in progress may only lose finalizers, never gain new ones.
      if (old.metadata.deletionTimestamp) {
        const oldF: string[] = old.metadata.finalizers ?? [];
        const newF: string[] = obj.metadata.finalizers ?? [];
        if (newF.some((f) => !oldF.includes(f))) {
          throw new StoreError(
            422,
            "Invalid",
            `${def.kind} "${name}" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted`,
          );
        }
      }
    }
    if (old.metadata.deletionTimestamp) obj.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
    // Spec changes (and, without a status subresource, any non-metadata change) bump generation.
    const changed = !same(withoutMeta(old, !!def.statusSubresource), withoutMeta(obj, !!def.statusSubresource));
    obj.metadata.generation = (old.metadata.generation ?? 1) + (changed ? 1 : 0);
    this.#validate(def, obj, old);
    if (opts.dryRun) return obj;
    if (same(old, { ...obj, metadata: { ...obj.metadata, resourceVersion: old.metadata.resourceVersion } })) {
      return old; // a no-op write changes nothing, as in the API server
    }
    if (obj.metadata.deletionTimestamp && pendingFinalizers(key, obj) === 0) {
      return this.#remove(key, id, obj);
    }
    obj.metadata.resourceVersion = String(++this.#rv);
    deepFreeze(obj);
    this.#bucket(key).set(id, obj);
    this.#emit({ type: "MODIFIED", key, object: obj, rv: this.#rv });
    return obj;
  }

  /** Read-modify-write for controllers: `fn` gets a mutable copy; return false to skip the write. */
  mutate(
    key: string,
    namespace: string | undefined,
    name: string,
    fn: (o: Obj) => void | boolean,
    opts: WriteOptions = {},
  ): Obj {
    const cur = clone(this.mustGet(key, namespace, name)) as Obj;
    if (fn(cur) === false) return this.mustGet(key, namespace, name);
    delete cur.metadata.resourceVersion;
    return this.update(key, cur, opts);
  }

  /** Creates the object or, if it exists, replaces it (keeping status where the resource has a subresource). */
  apply(key: string, obj: Obj): Obj {
    const existing = this.get(key, obj.metadata?.namespace, obj.metadata.name);
    if (!existing) return this.create(key, obj);
    return this.update(key, {
      ...obj,
      metadata: { ...existing.metadata, ...obj.metadata, resourceVersion: undefined },
    });
  }

  /**
   * Deletes an object. With pending finalizers it only gets a deletionTimestamp (and namespaces go
   * Terminating); the object disappears once the last finalizer is removed.
   */
  delete(
    key: string,
    namespace: string | undefined,
    name: string,
    opts: { uid?: string; resourceVersion?: string; dryRun?: boolean } = {},
  ): Obj {
    const def = this.def(key);
    const id = this.#id(key, namespace, name);
    const old = this.#bucket(key).get(id);
    if (!old) throw this.#notFound(key, name);
    if (
      (opts.uid && opts.uid !== old.metadata.uid) ||
      (opts.resourceVersion && opts.resourceVersion !== old.metadata.resourceVersion)
    ) {
      throw new StoreError(
        409,
        "Conflict",
        `Operation cannot be fulfilled on ${def.resource} "${name}": precondition failed`,
      );
    }
    if (opts.dryRun) return old;
    if (pendingFinalizers(key, old) > 0) {
      if (old.metadata.deletionTimestamp) return old;
      const obj = clone(old) as Obj;
      obj.metadata.deletionTimestamp = this.clock.iso();
      obj.metadata.deletionGracePeriodSeconds = 0;
      if (key === "core/namespaces") obj.status = { ...obj.status, phase: "Terminating" };
      obj.metadata.resourceVersion = String(++this.#rv);
      deepFreeze(obj);
      this.#bucket(key).set(id, obj);
      this.#emit({ type: "MODIFIED", key, object: obj, rv: this.#rv });
      return obj;
    }
    return this.#remove(key, id, old);
  }

  #remove(key: string, id: string, last: Obj): Obj {
    const obj = clone(last) as Obj;
    obj.metadata.resourceVersion = String(++this.#rv);
    deepFreeze(obj);
    this.#bucket(key).delete(id);
    this.#emit({ type: "DELETED", key, object: obj, rv: this.#rv });
    return obj;
  }

  #emit(e: StoreEvent): void {
    this.#history.push(e);
    // Trimmed in chunks: dropping one entry per write would copy the whole history every time.
    if (this.#history.length > HISTORY_LIMIT * 1.25) {
      const dropped = this.#history.splice(0, this.#history.length - HISTORY_LIMIT);
      this.#oldestRv = dropped[dropped.length - 1].rv + 1;
    }
    this.#queue.push(e);
    if (this.#dispatching) return;
    this.#dispatching = true;
    try {
      // Writes made by subscribers are queued, so every listener sees events in resourceVersion order.
      while (this.#queue.length) {
        const ev = this.#queue.shift()!;
        for (const s of [...this.#subscribers]) s(ev);
        for (const w of [...this.#watchers]) if (w.key === ev.key) w.fn(ev);
      }
    } finally {
      this.#dispatching = false;
    }
  }

  /** Every change to every resource, in order (controllers). */
  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.#subscribers.add(fn);
    return () => this.#subscribers.delete(fn);
  }

  /**
   * Watches one resource. Without a resourceVersion (or "0") the current matching objects arrive
   * first as ADDED; with one, the changes after it are replayed, or 410 Gone if it is too old.
   */
  watch(
    key: string,
    opts: { namespace?: string; labelSelector?: string; fieldSelector?: string; resourceVersion?: string },
    onEvent: (e: StoreEvent) => void,
  ): Watcher {
    this.def(key);
    let labels, fields;
    try {
      labels = parseLabelSelector(opts.labelSelector);
      fields = parseFieldSelector(opts.fieldSelector);
    } catch (e) {
      throw new StoreError(400, "BadRequest", (e as SelectorError).message);
    }
    const matches = (o: Obj) =>
      (!opts.namespace || o.metadata.namespace === opts.namespace) &&
      matchLabels(o.metadata.labels, labels) && matchFields(o, fields);
    const rvText = opts.resourceVersion;
    const since = rvText && rvText !== "0" ? Number(rvText) : undefined;
    if (since !== undefined) {
      if (!Number.isFinite(since)) throw new StoreError(400, "BadRequest", `invalid resource version: ${rvText}`);
      if (since < this.#oldestRv - 1) {
        throw new StoreError(410, "Expired", `too old resource version: ${since} (${this.#oldestRv - 1})`);
      }
    }
    const initial = since === undefined
      ? this.all(key).filter(matches).map((o) => ({
        type: "ADDED" as const,
        key,
        object: o,
        rv: Number(o.metadata.resourceVersion),
      }))
      : this.#history.filter((e) => e.key === key && e.rv > since && matches(e.object));
    for (const e of initial) onEvent(e);
    const w = {
      key,
      fn: (e: StoreEvent) => {
        if (matches(e.object)) onEvent(e);
      },
    };
    this.#watchers.add(w);
    return { stop: () => this.#watchers.delete(w) };
  }
}
