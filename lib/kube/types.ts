/**
 * The cluster access facade. Every command talks to the cluster through `Kube`; each consumer
 * declares the narrow slice it needs (`Pick<Kube, "list" | "get">`), so unit tests can hand it a
 * small fake and integration tests the real client pointed at the simulated cluster.
 */
import type { z } from "zod";

// deno-lint-ignore no-explicit-any
export type KubeObject = { apiVersion?: string; kind?: string; metadata: ObjectMeta } & Record<string, any>;

export interface ResourceRef<M extends z.ZodType = z.ZodType> {
  group: string;
  version: string;
  /** Plural resource name, as in the URL. */
  resource: string;
  kind: string;
  namespaced: boolean;
  /** The model of its objects; absent = objects pass through unparsed. */
  schema?: M;
}

/** What a read of `Ref` returns: its schema's model (the fields the product reads, typed), over any object. */
export type ObjectOf<Ref extends ResourceRef> = Ref extends ResourceRef<infer M> ? z.infer<M> & KubeObject
  : KubeObject;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
}

/** What a metadata-only list (`as=PartialObjectMetadataList`) returns per object. */
export interface PartialObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size for `limit`/`continue` paging (default 500). */
  pageSize?: number;
}

export type PatchType = "merge" | "json" | "strategic";

export interface WriteOptions {
  namespace?: string;
  subresource?: "status";
  /** Server-side dry run (`dryRun=All`): validated, not stored. */
  dryRun?: boolean;
  /**
   * Repeating this write cannot do harm (e.g. a merge patch that sets fixed values), so it may be retried
   * after a 5xx or a reset connection. Default false: writes are retried only on 429 or when the request
   * never left (connection refused). See lib/kube/retry.ts.
   */
  idempotent?: boolean;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface WatchOptions<T extends KubeObject = KubeObject> extends Omit<ListOptions, "pageSize"> {
  /** Start after this resourceVersion; absent = list first, then watch from the list's version. */
  resourceVersion?: string;
  signal?: AbortSignal;
  /** Called after a re-list (410 Gone, or the start): the full current set. */
  onSync?: (items: T[]) => void;
}

export interface ExecOptions {
  stdin?: string;
  /** Give up after this many milliseconds. */
  timeoutMs?: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** The command's exit code as kubelet reports it on the status channel. */
  exitCode: number;
}

/** One question for SelfSubjectAccessReview. */
export interface AccessAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface AccessDecision extends AccessAttributes {
  allowed: boolean;
  reason?: string;
}

export interface Kube {
  /** The API server URL (for messages). */
  readonly server: string;
  /** The object as its resource's model (parsed: a malformed object is an error), or undefined when it is absent. */
  get<Ref extends ResourceRef>(ref: Ref, name: string, namespace?: string): Promise<ObjectOf<Ref> | undefined>;
  /** Every matching object, read page by page, each parsed as its resource's model. */
  list<Ref extends ResourceRef>(ref: Ref, opts?: ListOptions): Promise<ObjectOf<Ref>[]>;
  /** Names, labels and annotations only (`as=PartialObjectMetadataList`), paged. */
  listMetadata(ref: ResourceRef, opts?: ListOptions): Promise<PartialObject[]>;
  create<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: KubeObject, opts?: WriteOptions): Promise<T>;
  replace<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: KubeObject, opts?: WriteOptions): Promise<T>;
  patch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    name: string,
    patch: unknown,
    type: PatchType,
    opts?: WriteOptions,
  ): Promise<T>;
  /** Deletes; resolves false when the object was already gone. */
  delete(ref: ResourceRef, name: string, opts?: WriteOptions): Promise<boolean>;
  /**
   * Watches until `signal` aborts: resumes from the last resourceVersion after a dropped
   * connection and re-lists on 410 Gone.
   */
  watch<Ref extends ResourceRef>(
    ref: Ref,
    opts: WatchOptions<ObjectOf<Ref>>,
    onEvent: (type: WatchEventType, obj: ObjectOf<Ref>) => void,
  ): Promise<void>;
  exec(namespace: string, pod: string, container: string, command: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** SelfSubjectAccessReview for each question, in parallel. */
  canI(questions: AccessAttributes[]): Promise<AccessDecision[]>;
  /** API groups the server serves (discovery), e.g. to tell an OpenShift cluster. */
  apiGroups(): Promise<string[]>;
  /** Releases connections (tests and long-lived callers; the CLI just exits). Optional for fakes. */
  close?(): Promise<void>;
}
