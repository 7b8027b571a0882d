/**
 * A small garbage collector (kube-controller-manager's, background propagation only): when an object is
 * deleted, the objects whose ownerReferences name its uid are deleted too. Owners that never existed are
 * not looked for, and orphan propagation is not modelled.
 */
import type { Obj, StoreEvent } from "../../store.ts";
import { resourceKey, StoreError } from "../../store.ts";
import type { Controller, SimContext } from "../../types.ts";

interface Ref {
  key: string;
  namespace?: string;
  name: string;
}

const refId = (r: Ref) => `${r.key}|${r.namespace ?? ""}|${r.name}`;

export class GarbageCollector implements Controller {
  readonly name = "garbage-collector";
  #ctx?: SimContext;
  #unsubscribe?: () => void;
  /** owner uid → dependents (by id). */
  readonly #dependents = new Map<string, Map<string, Ref>>();
  /** dependent id → the owner uids it was indexed under. */
  readonly #owners = new Map<string, string[]>();
  readonly #pending: string[] = [];
  #scheduled = false;

  start(ctx: SimContext): void {
    this.#ctx = ctx;
    for (const def of ctx.store.defs()) {
      const key = resourceKey(def.group, def.resource);
      for (const o of ctx.store.all(key)) if (o.metadata.ownerReferences?.length) this.#index(key, o);
    }
    this.#unsubscribe = ctx.store.subscribe((e) => this.#onEvent(e));
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#dependents.clear();
    this.#owners.clear();
    this.#pending.length = 0;
  }

  #onEvent(e: StoreEvent): void {
    const o = e.object;
    if (e.type === "DELETED") {
      this.#unindex({ key: e.key, namespace: o.metadata.namespace, name: o.metadata.name });
      if (this.#dependents.has(o.metadata.uid)) {
        this.#pending.push(o.metadata.uid);
        this.#schedule();
      }
    } else if (
      o.metadata.ownerReferences?.length ||
      this.#owners.has(refId({ key: e.key, namespace: o.metadata.namespace, name: o.metadata.name }))
    ) {
      this.#index(e.key, o);
    }
  }

  #index(key: string, o: Obj): void {
    const ref: Ref = { key, namespace: o.metadata.namespace, name: o.metadata.name };
    this.#unindex(ref);
    const uids: string[] = (o.metadata.ownerReferences ?? []).map((r: Obj) => r.uid).filter(Boolean);
    if (!uids.length) return;
    const id = refId(ref);
    this.#owners.set(id, uids);
    for (const uid of uids) {
      let m = this.#dependents.get(uid);
      if (!m) this.#dependents.set(uid, m = new Map());
      m.set(id, ref);
    }
  }

  #unindex(ref: Ref): void {
    const id = refId(ref);
    for (const uid of this.#owners.get(id) ?? []) {
      const m = this.#dependents.get(uid);
      m?.delete(id);
      if (m && m.size === 0) this.#dependents.delete(uid);
    }
    this.#owners.delete(id);
  }

  #schedule(): void {
    if (this.#scheduled || !this.#ctx) return;
    this.#scheduled = true;
    this.#ctx.clock.after(0, () => {
      this.#scheduled = false;
      this.#collect();
    });
  }

  #collect(): void {
    const ctx = this.#ctx;
    if (!ctx) return;
    while (this.#pending.length) {
      const uid = this.#pending.shift()!;
      const deps = [...(this.#dependents.get(uid)?.values() ?? [])];
      this.#dependents.delete(uid);
      for (const d of deps) {
        const cur = ctx.store.get(d.key, d.namespace, d.name);
        if (!cur || cur.metadata.deletionTimestamp) continue;
        // Another owner still alive keeps the dependent (the real GC deletes only when all owners are gone).
        const others = (cur.metadata.ownerReferences ?? []).filter((r: Obj) => r.uid !== uid);
        if (others.some((r: Obj) => this.#ownerAlive(r.uid))) continue;
        try {
          ctx.store.delete(d.key, d.namespace, d.name);
        } catch (err) {
          if (!(err instanceof StoreError && err.code === 404)) ctx.log(this.name, `delete ${d.key} ${d.name}: ${err}`);
        }
      }
    }
  }

  /** Whether some object with this uid is indexed as an owner with dependents (cheap approximation). */
  #ownerAlive(uid: string): boolean {
    return this.#dependents.has(uid);
  }
}
