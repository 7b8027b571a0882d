/** An in-memory Pick<Kube,…> for collectFacts tests: serves objects by resource and records every call. */
import type { FactsKube } from "../../lib/verify/collect.ts";
import type { AccessAttributes, KubeObject, ListOptions, PartialObject } from "../../lib/kube/types.ts";
import type { ResourceRef } from "../../lib/kube/resources.ts";

export interface Call {
  op: "get" | "list" | "listMetadata" | "canI" | "apiGroups";
  resource?: string;
  name?: string;
  namespace?: string;
}

const key = (ref: ResourceRef) => `${ref.group}/${ref.resource}`;

class NotFound extends Error {
  status = 404;
}

export class FakeKube implements FactsKube {
  readonly server = "https://api.fake.example:6443";
  readonly calls: Call[] = [];
  /** Resources whose CRD is not installed (lists 404). */
  readonly unserved = new Set<string>();
  /** Resources whose reads fail with 403. */
  readonly forbidden = new Set<string>();
  denied = new Set<string>();
  groups = ["apps", "config.openshift.io", "operator.openshift.io"];
  private objects = new Map<string, KubeObject[]>();

  add(ref: ResourceRef, ...objs: KubeObject[]): this {
    this.objects.set(key(ref), [...(this.objects.get(key(ref)) ?? []), ...objs]);
    return this;
  }

  /** Changes stored objects in place (tests tweak a cluster). */
  edit(ref: ResourceRef, name: string, change: (o: KubeObject) => void): this {
    const o = (this.objects.get(key(ref)) ?? []).find((x) => x.metadata.name === name);
    if (!o) throw new Error(`no ${ref.resource} ${name}`);
    change(o);
    return this;
  }

  private check(ref: ResourceRef) {
    if (this.forbidden.has(ref.resource)) {
      throw Object.assign(new Error(`${ref.resource} is forbidden: User "dev" cannot list resource`), { status: 403 });
    }
  }

  get<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, namespace?: string): Promise<T | undefined> {
    this.calls.push({ op: "get", resource: ref.resource, name, namespace });
    this.check(ref);
    const o = (this.objects.get(key(ref)) ?? []).find((x) =>
      x.metadata.name === name && (x.metadata.namespace ?? undefined) === (namespace ?? undefined)
    );
    return Promise.resolve(o ? structuredClone(o) as T : undefined);
  }

  private select(ref: ResourceRef, opts?: ListOptions): KubeObject[] {
    this.check(ref);
    if (this.unserved.has(ref.resource)) throw new NotFound(`the server could not find the requested resource`);
    return (this.objects.get(key(ref)) ?? []).filter((o) =>
      !opts?.namespace || o.metadata.namespace === opts.namespace
    );
  }

  list<T extends KubeObject = KubeObject>(ref: ResourceRef, opts?: ListOptions): Promise<T[]> {
    this.calls.push({ op: "list", resource: ref.resource, namespace: opts?.namespace });
    try {
      return Promise.resolve(structuredClone(this.select(ref, opts)) as T[]);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  listMetadata(ref: ResourceRef, opts?: ListOptions): Promise<PartialObject[]> {
    this.calls.push({ op: "listMetadata", resource: ref.resource, namespace: opts?.namespace });
    try {
      return Promise.resolve(this.select(ref, opts).map((o) => ({ metadata: structuredClone(o.metadata) })));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  canI(questions: AccessAttributes[]) {
    this.calls.push({ op: "canI" });
    return Promise.resolve(questions.map((q) => ({ ...q, allowed: !this.denied.has(`${q.verb} ${q.resource}`) })));
  }

  apiGroups() {
    this.calls.push({ op: "apiGroups" });
    return Promise.resolve(this.groups);
  }
}
