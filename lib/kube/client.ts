/**
 * The `Kube` facade over @kubernetes/client-node. This is the only module that imports client-node
 * (connect.ts loads it with a dynamic import, so `--help` and `version` never pay ~0.7 s for it).
 *
 * - Plain requests go through client-node's request machinery (RequestContext + its undici fetch) with
 *   one TLS dispatcher per client (keep-alive reuse), our own headers (token, impersonation, Accept for
 *   metadata-only lists) and retry.ts.
 * - Watches use client-node's `Watch`, resumed from the last resourceVersion after a dropped connection
 *   and re-listed on 410 Gone.
 * - exec uses client-node's `Exec` (WebSocket, v5.channel.k8s.io), exit code from the status channel.
 */
import * as k8s from "@kubernetes/client-node";
import { Readable, Writable } from "node:stream";
import { Buffer } from "node:buffer";
import type { Logger } from "../log.ts";
import { KubeError } from "../errors.ts";
import { redact } from "../redact.ts";
import type { Credentials, CredentialSource } from "./credentials.ts";
import { ApiError, isNotFound, type RequestInfo, statusError, transportError } from "./errors.ts";
import type { ResolvedConfig } from "./kubeconfig.ts";
import { type ObjectOf, qualifiedName, resourcePath, type ResourceRef } from "./resources.ts";
import { parseObject } from "./schemas.ts";
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from "./retry.ts";
import { sleep } from "../sleep.ts";
import type {
  AccessAttributes,
  AccessDecision,
  ExecOptions,
  ExecResult,
  Kube,
  KubeObject,
  ListOptions,
  PartialObject,
  PatchType,
  WatchEventType,
  WatchOptions,
  WriteOptions,
} from "./types.ts";

export interface KubeClientOptions {
  config: ResolvedConfig;
  credentials: CredentialSource;
  log: Logger;
  retry?: RetryPolicy;
  /** SelfSubjectAccessReviews in flight at once (default 8). */
  accessReviewConcurrency?: number;
  /** A watch connection with no data for this long is reopened (default 5 min; bookmarks keep it alive). */
  watchIdleTimeoutMs?: number;
  /** Longest wait between watch reconnection attempts (default 30 s). */
  watchMaxBackoffMs?: number;
}

const PAGE_SIZE = 500;
const METADATA_ACCEPT = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
const PATCH_TYPES: Record<PatchType, string> = {
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
  strategic: "application/strategic-merge-patch+json",
};
const USER_AGENT = "oc-ovn-migrate";

// client-node keeps createDispatcher private; it is the one way to get its TLS/proxy-aware undici agent.
interface Dispatcher {
  close(): Promise<void>;
  destroy(): Promise<void>;
}
type KubeConfigInternals = {
  createDispatcher(cluster: k8s.Cluster | null, agentOptions: Record<string, unknown>): Dispatcher | undefined;
  createDispatcherOptions(cluster: k8s.Cluster | null, agentOptions: unknown): DispatcherOptions;
};
type DispatcherOptions = {
  type: "none" | "agent" | "proxy" | "socks";
  connect?: Record<string, unknown>;
  requestTls?: Record<string, unknown>;
  uri?: string;
};

/**
 * undici (under client-node) offers HTTP/2 by ALPN by default, and Deno's node:http2 (nghttp2) aborts the
 * whole process when a stream is cancelled mid-flight (a watch we stop): "nghttp2_session.c: Assertion
 * `stream->closed_next == NULL' failed". Every dispatcher client-node builds for this KubeConfig, ours and
 * the ones Watch makes per connection, is therefore told to speak HTTP/1.1 only, as kubectl can too.
 */
function http1Only(kc: k8s.KubeConfig): void {
  const internals = kc as unknown as KubeConfigInternals;
  const original = internals.createDispatcherOptions.bind(kc);
  internals.createDispatcherOptions = (cluster, agentOptions) => {
    const o = original(cluster, agentOptions);
    if (o.type === "none") return { type: "agent", connect: { allowH2: false } };
    if (o.type === "agent") return { ...o, connect: { ...o.connect, allowH2: false } };
    if (o.type === "proxy") return { ...o, requestTls: { ...o.requestTls, allowH2: false } };
    return o;
  };
}

interface ListPage<T> {
  items?: T[];
  metadata?: { continue?: string; resourceVersion?: string };
}

type Headers = [string, string][];

interface SendOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Repeating the request cannot do harm (reads, SSAR, caller-declared idempotent writes). */
  safeToRepeat: boolean;
}

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

export class KubeClient implements Kube {
  readonly server: string;
  private kc?: k8s.KubeConfig;
  private dispatcher?: Dispatcher;
  private tlsIdentity?: string;
  private readonly http = new k8s.IsomorphicFetchHttpLibrary();
  private readonly retry: RetryPolicy;
  private readonly log: Logger;
  private closed = false;

  constructor(private readonly opts: KubeClientOptions) {
    this.server = opts.config.server;
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.log = { debug: (level, message) => opts.log.debug(level, redact(message)) };
  }

  /** Releases the TLS connections (tests; the CLI simply exits). */
  async close(): Promise<void> {
    this.closed = true;
    const d = this.dispatcher;
    this.dispatcher = undefined;
    this.kc = undefined;
    await d?.destroy().catch(() => {});
  }

  // ---- configuration -------------------------------------------------------------------------------

  /** The client-node KubeConfig for the current client certificate (rebuilt if an exec plugin rotates it). */
  private kubeConfig(creds: Credentials): k8s.KubeConfig {
    const identity = `${creds.clientCertPem ?? ""}\n${creds.clientKeyPem ?? ""}`;
    if (this.kc && identity === this.tlsIdentity) return this.kc;
    const old = this.dispatcher;
    const c = this.opts.config;
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [{
        name: "cluster",
        server: c.server,
        caData: c.caPem ? b64(c.caPem) : undefined,
        skipTLSVerify: c.insecureSkipTlsVerify,
        tlsServerName: c.tlsServerName,
        proxyUrl: c.proxyUrl,
      }],
      users: [{
        name: "user",
        certData: creds.clientCertPem ? b64(creds.clientCertPem) : undefined,
        keyData: creds.clientKeyPem ? b64(creds.clientKeyPem) : undefined,
      }],
      contexts: [{ name: "context", cluster: "cluster", user: "user" }],
      currentContext: "context",
    });
    http1Only(kc);
    // Our authenticator: client-node's Watch and Exec call it for headers, so token refresh from an exec
    // plugin and impersonation apply there too.
    kc.addAuthenticator({
      isAuthProvider: () => true,
      applyAuthentication: async (_user, httpsOpts) => {
        const headers = (httpsOpts.headers ??= {}) as Record<string, string | string[]>;
        const current = await this.opts.credentials.current();
        for (const [name, value] of this.authHeaders(current)) {
          const prev = headers[name];
          headers[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
        }
      },
    });
    // client-node's Watch copies headers as single strings, which would send several --as-group values as
    // one comma-joined group; hand undici header pairs instead (one Impersonate-Group line per group).
    const groups = c.impersonateGroups;
    if (groups.length > 1) {
      const apply = kc.applySecurityAuthentication.bind(kc);
      kc.applySecurityAuthentication = async (ctx) => {
        await apply(ctx);
        const pairs: Headers = Object.entries(ctx.getHeaders())
          .filter(([name]) => name.toLowerCase() !== "impersonate-group")
          .map(([name, value]) => [name, String(value)]);
        for (const g of groups) pairs.push(["Impersonate-Group", g]);
        Object.defineProperty(ctx, "getHeaders", { value: () => pairs });
      };
    }
    this.dispatcher = (kc as unknown as KubeConfigInternals).createDispatcher(kc.getCurrentCluster(), {
      ca: c.caPem,
      cert: creds.clientCertPem,
      key: creds.clientKeyPem,
      rejectUnauthorized: !c.insecureSkipTlsVerify,
      servername: c.tlsServerName,
    });
    old?.close().catch(() => {});
    this.kc = kc;
    this.tlsIdentity = identity;
    return kc;
  }

  private authHeaders(creds: Credentials): Headers {
    const c = this.opts.config;
    const headers: Headers = [];
    if (creds.token) headers.push(["Authorization", `Bearer ${creds.token}`]);
    else if (c.username && c.password) headers.push(["Authorization", `Basic ${b64(`${c.username}:${c.password}`)}`]);
    if (c.impersonateUser) headers.push(["Impersonate-User", c.impersonateUser]);
    for (const g of c.impersonateGroups) headers.push(["Impersonate-Group", g]);
    return headers;
  }

  // ---- plain requests ------------------------------------------------------------------------------

  private async send<T>(method: string, info: RequestInfo, o: SendOptions): Promise<T> {
    let reauthenticated = false;
    return await withRetry(
      async () => {
        try {
          return await this.sendOnce<T>(method, info, o);
        } catch (err) {
          // An exec plugin's token may have been revoked early: run the plugin again, once.
          if (err instanceof ApiError && err.status === 401 && this.opts.credentials.refreshable && !reauthenticated) {
            reauthenticated = true;
            this.opts.credentials.invalidate();
            return await this.sendOnce<T>(method, info, o);
          }
          throw err;
        }
      },
      o.safeToRepeat,
      this.retry,
      {
        onRetry: (attempt, delay, err) =>
          this.log.debug(
            2,
            `retrying ${method} ${info.path} in ${delay} ms after attempt ${attempt}: ${(err as Error).message}`,
          ),
      },
    );
  }

  private async sendOnce<T>(method: string, info: RequestInfo, o: SendOptions): Promise<T> {
    if (this.closed) throw new KubeError("The cluster connection is closed.", undefined);
    const creds = await this.opts.credentials.current();
    this.kubeConfig(creds);
    const url = new URL(this.server + info.path);
    for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined && v !== "") url.searchParams.set(k, v);
    const ctx = new k8s.RequestContext(url.toString(), method as k8s.HttpMethod);
    if (this.dispatcher) ctx.setDispatcher(this.dispatcher as never);
    const headers: Headers = [
      ["Accept", o.accept ?? "application/json"],
      ["User-Agent", USER_AGENT],
      ...this.authHeaders(creds),
    ];
    if (o.body !== undefined) {
      headers.push(["Content-Type", o.contentType ?? "application/json"]);
      ctx.setBody(JSON.stringify(o.body));
    }
    // undici accepts header pairs, which is the only way to send one Impersonate-Group line per group.
    Object.defineProperty(ctx, "getHeaders", { value: () => headers });
    const timeoutMs = this.opts.config.requestTimeoutMs;
    if (timeoutMs > 0) ctx.setSignal(AbortSignal.timeout(timeoutMs));

    const started = Date.now();
    this.log.debug(6, `${method} ${url}`);
    let status: number;
    let text: string;
    let retryAfter: string | undefined;
    try {
      const resp = await this.http.send(ctx).toPromise();
      status = resp.httpStatusCode;
      retryAfter = resp.headers["retry-after"];
      text = await resp.body.text();
    } catch (err) {
      const mapped = transportError(info, err);
      this.log.debug(6, `${method} ${url} failed after ${Date.now() - started} ms: ${mapped.message}`);
      throw mapped;
    }
    this.log.debug(6, `${method} ${url} ${status} in ${Date.now() - started} ms`);
    // A Secret's data is base64: redaction cannot recognise it, so its body is never logged.
    if (info.ref?.resource === "secrets") this.log.debug(9, `response body: (a Secret; not logged)`);
    else this.log.debug(9, `response body: ${text.length > 2000 ? `${text.slice(0, 2000)}…` : text}`);
    if (status >= 400) throw statusError(info, status, text, retryAfter);
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(`The API server at ${this.server} sent a response that is not JSON (${info.path}).`, status);
    }
  }

  private info(
    verb: string,
    method: string,
    ref: ResourceRef | undefined,
    path: string,
    namespace?: string,
    name?: string,
  ) {
    return { server: this.server, verb, method, ref, path, namespace, name } satisfies RequestInfo;
  }

  // ---- Kube ----------------------------------------------------------------------------------------

  async get<Ref extends ResourceRef>(ref: Ref, name: string, namespace?: string): Promise<ObjectOf<Ref> | undefined> {
    const path = resourcePath(ref, { namespace, name });
    try {
      const obj = await this.send<KubeObject>("GET", this.info("get", "GET", ref, path, namespace, name), {
        safeToRepeat: true,
      });
      return modelOf(ref, obj);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async list<Ref extends ResourceRef>(ref: Ref, opts: ListOptions = {}): Promise<ObjectOf<Ref>[]> {
    const { items } = await this.listAll<KubeObject>(ref, opts);
    return items.map((item) => {
      item.apiVersion ??= ref.group ? `${ref.group}/${ref.version}` : ref.version;
      item.kind ??= ref.kind;
      return modelOf(ref, item);
    });
  }

  async listMetadata(ref: ResourceRef, opts: ListOptions = {}): Promise<PartialObject[]> {
    const { items } = await this.listAll<PartialObject>(ref, opts, METADATA_ACCEPT);
    // A server that ignores the Accept profile sends whole objects: keep the metadata only.
    return items.map((i) => ({ apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata", metadata: i.metadata }));
  }

  /** Every page of a list; restarts from the first page if the continue token expires (410). */
  private async listAll<T>(ref: ResourceRef, opts: ListOptions, accept?: string) {
    const path = resourcePath(ref, { namespace: opts.namespace });
    const info = this.info("list", "GET", ref, path, opts.namespace);
    for (let restart = 0;; restart++) {
      const items: T[] = [];
      let token: string | undefined;
      let resourceVersion: string | undefined;
      try {
        do {
          const page = await this.send<ListPage<T>>("GET", info, {
            query: {
              limit: String(opts.pageSize ?? PAGE_SIZE),
              continue: token,
              labelSelector: opts.labelSelector,
              fieldSelector: opts.fieldSelector,
            },
            accept,
            safeToRepeat: true,
          });
          items.push(...(page?.items ?? []));
          token = page?.metadata?.continue || undefined;
          resourceVersion = page?.metadata?.resourceVersion;
        } while (token);
        return { items, resourceVersion };
      } catch (err) {
        if (err instanceof ApiError && err.status === 410 && token && restart < 2) {
          this.log.debug(2, `list ${path}: continue token expired, listing again from the start`);
          continue;
        }
        throw err;
      }
    }
  }

  create<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: KubeObject, opts: WriteOptions = {}) {
    const namespace = opts.namespace ?? obj.metadata.namespace;
    const path = resourcePath(ref, { namespace });
    return this.send<T>("POST", this.info("create", "POST", ref, path, namespace, obj.metadata.name), {
      body: obj,
      query: { dryRun: opts.dryRun ? "All" : undefined },
      safeToRepeat: opts.idempotent ?? false,
    });
  }

  replace<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: KubeObject, opts: WriteOptions = {}) {
    const namespace = opts.namespace ?? obj.metadata.namespace;
    const name = obj.metadata.name;
    const path = resourcePath(ref, { namespace, name, subresource: opts.subresource });
    return this.send<T>("PUT", this.info("update", "PUT", ref, path, namespace, name), {
      body: obj,
      query: { dryRun: opts.dryRun ? "All" : undefined },
      safeToRepeat: opts.idempotent ?? false,
    });
  }

  patch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    name: string,
    patch: unknown,
    type: PatchType,
    opts: WriteOptions = {},
  ) {
    const path = resourcePath(ref, { namespace: opts.namespace, name, subresource: opts.subresource });
    return this.send<T>("PATCH", this.info("patch", "PATCH", ref, path, opts.namespace, name), {
      body: patch,
      contentType: PATCH_TYPES[type],
      query: { dryRun: opts.dryRun ? "All" : undefined },
      safeToRepeat: opts.idempotent ?? false,
    });
  }

  async delete(ref: ResourceRef, name: string, opts: WriteOptions = {}): Promise<boolean> {
    const path = resourcePath(ref, { namespace: opts.namespace, name });
    try {
      await this.send("DELETE", this.info("delete", "DELETE", ref, path, opts.namespace, name), {
        query: { dryRun: opts.dryRun ? "All" : undefined },
        safeToRepeat: opts.idempotent ?? false,
      });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async apiGroups(): Promise<string[]> {
    const list = await this.send<{ groups?: { name: string }[] }>("GET", this.info("get", "GET", undefined, "/apis"), {
      safeToRepeat: true,
    });
    return (list?.groups ?? []).map((g) => g.name);
  }

  async canI(questions: AccessAttributes[]): Promise<AccessDecision[]> {
    const results = new Array<AccessDecision>(questions.length);
    let next = 0;
    const path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    const worker = async () => {
      while (next < questions.length) {
        const i = next++;
        const q = questions[i];
        const review = await this.send<{ status?: { allowed?: boolean; reason?: string; denied?: boolean } }>(
          "POST",
          this.info("create", "POST", undefined, path),
          {
            body: {
              apiVersion: "authorization.k8s.io/v1",
              kind: "SelfSubjectAccessReview",
              spec: { resourceAttributes: { ...q } },
            },
            // A review changes nothing: safe to repeat.
            safeToRepeat: true,
          },
        );
        results[i] = { ...q, allowed: review?.status?.allowed === true, reason: review?.status?.reason };
      }
    };
    const n = Math.max(1, Math.min(this.opts.accessReviewConcurrency ?? 8, questions.length));
    await Promise.all(Array.from({ length: n }, worker));
    return results;
  }

  // ---- watch ---------------------------------------------------------------------------------------

  async watch<Ref extends ResourceRef>(
    ref: Ref,
    opts: WatchOptions<ObjectOf<Ref>>,
    onEvent: (type: WatchEventType, obj: ObjectOf<Ref>) => void,
  ): Promise<void> {
    const signal = opts.signal;
    const path = resourcePath(ref, { namespace: opts.namespace });
    const state = { resourceVersion: opts.resourceVersion };
    const relist = async () => {
      const { items, resourceVersion } = await this.listAll<KubeObject>(ref, opts);
      state.resourceVersion = resourceVersion;
      opts.onSync?.(items.map((o) => modelOf(ref, o)));
    };
    if (!state.resourceVersion) await relist();
    let failures = 0;
    while (!signal?.aborted) {
      const outcome = await this.watchOnce(ref, path, opts, state, onEvent);
      if (signal?.aborted) return;
      if (outcome.kind === "fatal") throw outcome.err;
      if (outcome.kind === "gone") {
        this.log.debug(2, `watch ${path}: resourceVersion ${state.resourceVersion} expired (410), listing again`);
        try {
          await relist();
          failures = 0;
          continue;
        } catch (err) {
          if (err instanceof ApiError && (err.status === 401 || err.status === 403)) throw err;
          state.resourceVersion = undefined;
          outcome.err = err;
        }
      }
      // A connection that carried events or bookmarks, or simply lasted (the server ends quiet watches after
      // its timeout), was healthy: resume at once. Quick empty closes back off.
      if (outcome.kind === "closed" && (outcome.events > 0 || outcome.lastedMs >= 5_000)) {
        failures = 0;
        this.log.debug(5, `watch ${path}: connection closed, resuming from ${state.resourceVersion}`);
        continue;
      }
      failures++;
      const delay = Math.min(this.opts.watchMaxBackoffMs ?? 30_000, 250 * 2 ** Math.min(failures - 1, 10));
      this.log.debug(
        2,
        `watch ${path}: ${outcome.err ? (outcome.err as Error).message : "connection closed"}; ` +
          `reconnecting in ${delay} ms`,
      );
      try {
        await sleep(delay, signal);
      } catch {
        return;
      }
      if (!state.resourceVersion) {
        try {
          await relist();
        } catch (err) {
          if (err instanceof ApiError && (err.status === 401 || err.status === 403)) throw err;
        }
      }
    }
  }

  private watchOnce<Ref extends ResourceRef>(
    ref: Ref,
    path: string,
    opts: Omit<WatchOptions, "onSync">,
    state: { resourceVersion?: string },
    onEvent: (type: WatchEventType, obj: ObjectOf<Ref>) => void,
  ): Promise<{ kind: "closed" | "gone" | "error" | "fatal"; err?: unknown; events: number; lastedMs: number }> {
    const info = this.info("watch", "GET", ref, path, opts.namespace);
    return new Promise((resolve) => {
      let settled = false;
      let gone = false;
      let events = 0;
      const started = Date.now();
      let controller: AbortController | undefined;
      const finish = (kind: "closed" | "gone" | "error" | "fatal", err?: unknown) => {
        if (settled) return;
        settled = true;
        opts.signal?.removeEventListener("abort", onAbort);
        controller?.abort();
        resolve({ kind, err, events, lastedMs: Date.now() - started });
      };
      const onAbort = () => finish("closed");
      opts.signal?.addEventListener("abort", onAbort, { once: true });

      const start = async () => {
        const creds = await this.opts.credentials.current();
        const watcher = new k8s.Watch(this.kubeConfig(creds));
        // An inactivity timeout (private in the typings): bookmarks and events keep a healthy watch under it.
        (watcher as unknown as { requestTimeoutMs: number }).requestTimeoutMs = this.opts.watchIdleTimeoutMs ?? 300_000;
        this.log.debug(6, `WATCH ${path} from resourceVersion ${state.resourceVersion}`);
        controller = await watcher.watch(
          path,
          {
            resourceVersion: state.resourceVersion,
            allowWatchBookmarks: true,
            labelSelector: opts.labelSelector,
            fieldSelector: opts.fieldSelector,
          },
          // deno-lint-ignore no-explicit-any
          (type: string, obj: any) => {
            if (settled) return;
            if (type === "ERROR") {
              if (obj?.code === 410) {
                gone = true;
                finish("gone");
              } else {
                finish(
                  "error",
                  new ApiError(`watch ${path}: ${redact(String(obj?.message ?? "error event"))}`, obj?.code),
                );
              }
              return;
            }
            const rv = obj?.metadata?.resourceVersion;
            if (rv) state.resourceVersion = rv;
            events++;
            if (type === "BOOKMARK") return;
            try {
              onEvent(type as WatchEventType, modelOf(ref, obj));
            } catch (err) {
              // client-node swallows callback errors; surface them to the caller instead.
              finish("fatal", err);
            }
          },
          (err: unknown) => {
            if (gone) return finish("gone");
            if (!err) return finish("closed");
            const status = (err as { statusCode?: number }).statusCode;
            if (status === 410) return finish("gone");
            if (status === 401 || status === 403 || status === 404) {
              return finish("fatal", statusError(info, status, ""));
            }
            if (status !== undefined) return finish("error", statusError(info, status, ""));
            finish("error", transportError(info, err));
          },
        );
        if (settled) controller.abort();
      };
      start().catch((err) => finish("error", err instanceof ApiError ? err : transportError(info, err)));
    });
  }

  // ---- exec ----------------------------------------------------------------------------------------

  async exec(
    namespace: string,
    pod: string,
    container: string,
    command: string[],
    opts: ExecOptions = {},
  ): Promise<ExecResult> {
    const path = `/api/v1/namespaces/${namespace}/pods/${pod}/exec`;
    const info = this.info("create", "POST", undefined, path, namespace, pod);
    const what = `exec in pod ${namespace}/${pod} (container ${container})`;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const sink = (chunks: Buffer[]) =>
      new Writable({
        write(chunk, _enc, cb) {
          chunks.push(Buffer.from(chunk));
          cb();
        },
      });
    const stdout = sink(out);
    const stderr = sink(err);
    const stdin = opts.stdin !== undefined ? Readable.from([Buffer.from(opts.stdin)]) : null;

    const creds = await this.opts.credentials.current();
    const exec = new k8s.Exec(this.kubeConfig(creds));
    // The default handler closes process.stdout/stderr when the server closes a stream; give it ours.
    (exec.handler as unknown as { streams: unknown }).streams = { stdin: stdin ?? Readable.from([]), stdout, stderr };
    this.log.debug(6, `EXEC ${path} ${JSON.stringify(command)}`);

    let status: k8s.V1Status | undefined;
    let ws: Awaited<ReturnType<k8s.Exec["exec"]>>;
    const timeoutMs = opts.timeoutMs ?? (this.opts.config.requestTimeoutMs || undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const connecting = exec.exec(namespace, pod, container, command, stdout, stderr, stdin, false, (s) => {
        status = s;
      });
      let gaveUp = false;
      // A connection that opens after we gave up is closed at once.
      connecting.then((late) => gaveUp && late.close(), () => {});
      ws = await (timeoutMs
        ? withTimeout(connecting, timeoutMs, () => {
          gaveUp = true;
          return execTimeout(what, timeoutMs);
        })
        : connecting);
    } catch (e) {
      throw execConnectError(info, what, e);
    }
    try {
      await new Promise<void>((resolve, reject) => {
        ws.on("close", () => resolve());
        ws.on("error", (e: unknown) => reject(transportError(info, e)));
        if (timeoutMs) {
          timer = setTimeout(() => {
            reject(execTimeout(what, timeoutMs));
            ws.close();
          }, timeoutMs);
        }
      });
    } finally {
      if (timer) clearTimeout(timer);
    }
    const result = { stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
    if (!status) {
      throw new ApiError(`The connection for ${what} closed before the command finished.`, undefined, undefined, {
        code: "ECONNRESET",
      });
    }
    if (status.status === "Success") return { ...result, exitCode: 0 };
    if (status.reason === "NonZeroExitCode") {
      const code = status.details?.causes?.find((c) => c.reason === "ExitCode")?.message;
      return { ...result, exitCode: code !== undefined ? Number(code) : 1 };
    }
    throw new ApiError(`${what} failed: ${redact(status.message ?? "unknown error")}`, status.code);
  }
}

function execTimeout(what: string, ms: number): ApiError {
  return new ApiError(`${what} did not finish within ${ms / 1000} s.`, undefined, undefined, {
    code: "TIMEOUT",
    timeout: true,
  });
}

/** ws reports a refused upgrade as "Unexpected server response: 403". */
function execConnectError(info: RequestInfo, what: string, e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const message = (e as { message?: string })?.message ?? String(e);
  const m = /Unexpected server response: (\d{3})/.exec(message);
  if (m) {
    const status = Number(m[1]);
    if (status === 404) {
      return new ApiError(`Cannot ${what}: the pod or container does not exist (404).`, 404);
    }
    return statusError(info, status, "");
  }
  return transportError(info, e);
}

function withTimeout<T>(p: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(error()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Builds the facade (called by connect.ts after a dynamic import of this module). */
/** The object as its resource's model: parsed where the cluster's data enters, so later code reads typed fields. */
function modelOf<Ref extends ResourceRef>(ref: Ref, obj: KubeObject): ObjectOf<Ref> {
  return (ref.schema ? parseObject(ref.schema, obj, qualifiedName(ref)) : obj) as ObjectOf<Ref>;
}

export function createKube(opts: KubeClientOptions): KubeClient {
  return new KubeClient(opts);
}
