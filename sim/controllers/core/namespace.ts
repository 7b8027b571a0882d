/**
 * The namespace lifecycle controller of kube-controller-manager: a deleted namespace is Terminating; its
 * contents are deleted; while some remain (finalizers) the namespace carries NamespaceContentRemaining /
 * NamespaceFinalizersRemaining conditions; once empty, the "kubernetes" spec finalizer is removed and the
 * namespace goes away.
 */
import type { Obj, StoreEvent } from "../../store.ts";
import { resourceKey, StoreError } from "../../store.ts";
import type { Controller, SimContext } from "../../types.ts";

const NS = "core/namespaces";
const FINALIZER = "kubernetes";

export class NamespaceController implements Controller {
  readonly name = "namespace-lifecycle";
  #ctx?: SimContext;
  #unsubscribe?: () => void;
  readonly #terminating = new Set<string>();
  readonly #scheduled = new Set<string>();

  start(ctx: SimContext): void {
    this.#ctx = ctx;
    this.#unsubscribe = ctx.store.subscribe((e) => this.#onEvent(e));
    for (const ns of ctx.store.all(NS)) if (isTerminating(ns)) this.#track(ns.metadata.name);
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#terminating.clear();
    this.#scheduled.clear();
  }

  #onEvent(e: StoreEvent): void {
    if (e.key === NS) {
      const name = e.object.metadata.name;
      if (e.type === "DELETED") this.#terminating.delete(name);
      else if (isTerminating(e.object) && !this.#terminating.has(name)) this.#track(name);
      return;
    }
    const ns = e.object.metadata?.namespace;
    if (e.type === "DELETED" && ns && this.#terminating.has(ns)) this.#schedule(ns);
  }

  #track(name: string): void {
    this.#terminating.add(name);
    this.#schedule(name);
  }

  /** Runs the cleanup on the next tick, once per burst of events. */
  #schedule(name: string): void {
    if (this.#scheduled.has(name) || !this.#ctx) return;
    this.#scheduled.add(name);
    this.#ctx.clock.after(0, () => {
      this.#scheduled.delete(name);
      this.#cleanup(name);
    });
  }

  #cleanup(name: string): void {
    const ctx = this.#ctx;
    if (!ctx) return;
    const { store } = ctx;
    const ns = store.get(NS, undefined, name);
    if (!ns || !isTerminating(ns)) return;
    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    for (const def of store.defs()) {
      if (!def.namespaced) continue;
      const key = resourceKey(def.group, def.resource);
      for (const o of store.all(key, name)) {
        if (!o.metadata.deletionTimestamp) {
          try {
            store.delete(key, name, o.metadata.name);
          } catch (err) {
            if (!(err instanceof StoreError && err.code === 404)) {
              ctx.log(this.name, `delete ${key} ${name}/${o.metadata.name}: ${err}`);
            }
          }
        }
      }
      const left = store.all(key, name);
      if (left.length) {
        const label = `${def.resource}.${def.group}`; // "pods." for the core group, as the real message prints it
        remaining.set(label, left.length);
        for (const o of left) {
          for (const f of o.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
        }
      }
    }
    if (remaining.size === 0) {
      store.mutate(NS, undefined, name, (o) => {
        const list: string[] = o.spec?.finalizers ?? [];
        if (!list.includes(FINALIZER)) return false;
        o.spec = { ...o.spec, finalizers: list.filter((f) => f !== FINALIZER) };
      });
      return;
    }
    this.#setConditions(ns, remaining, finalizers);
  }

  #setConditions(ns: Obj, remaining: Map<string, number>, finalizers: Map<string, number>): void {
    const { store, clock } = this.#ctx!;
    const now = clock.iso();
    const content = [...remaining].map(([r, n]) => `${r} has ${n} resource instances`).join(", ");
    const fin = [...finalizers].map(([f, n]) => `${f} in ${n} resource instances`).join(", ");
    const wanted: Obj[] = [
      {
        type: "NamespaceDeletionDiscoveryFailure",
        status: "False",
        reason: "ResourcesDiscovered",
        message: "All resources successfully discovered",
      },
      {
        type: "NamespaceDeletionGroupVersionParsingFailure",
        status: "False",
        reason: "ParsedGroupVersions",
        message: "All legacy kube types successfully parsed",
      },
      {
        type: "NamespaceDeletionContentFailure",
        status: "False",
        reason: "ContentDeleted",
        message: "All content successfully deleted, may be waiting on finalization",
      },
      {
        type: "NamespaceContentRemaining",
        status: "True",
        reason: "SomeResourcesRemain",
        message: `Some resources are remaining: ${content}`,
      },
      fin
        ? {
          type: "NamespaceFinalizersRemaining",
          status: "True",
          reason: "SomeFinalizersRemain",
          message: `Some content in the namespace has finalizers remaining: ${fin}`,
        }
        : {
          type: "NamespaceFinalizersRemaining",
          status: "False",
          reason: "ContentHasNoFinalizers",
          message: "All content-preserving finalizers finished",
        },
    ];
    const old: Obj[] = ns.status?.conditions ?? [];
    const conditions = wanted.map((c) => {
      const prev = old.find((o) => o.type === c.type);
      const same = prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message;
      return same
        ? prev
        : { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now };
    });
    if (JSON.stringify(conditions) === JSON.stringify(old)) return;
    store.mutate(NS, undefined, ns.metadata.name, (o) => {
      o.status = { ...o.status, conditions };
    }, { subresource: "status" });
  }
}

const isTerminating = (ns: Obj) => !!ns.metadata.deletionTimestamp && (ns.spec?.finalizers ?? []).includes(FINALIZER);
