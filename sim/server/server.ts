/**
 * The simulated API server: HTTPS (node:https) with kube-apiserver's request pipeline — authentication
 * (bearer token, or a client certificate verified against the CA: CN = user, O = groups), impersonation,
 * injected faults and latency, authorization, then discovery, REST or watch handlers; pods/exec upgrades go
 * to the exec server. Every Kubernetes API request lands in the request log.
 *
 * Admin path (not part of the Kubernetes API, never faulted, not logged): GET /_sim/healthz (open),
 * GET /_sim/requests (summary + records, filter with ?verb=&resource=&user=), DELETE /_sim/requests,
 * GET|PUT /_sim/faults (PUT takes a JSON partial FaultSpec). Except healthz, the admin path needs an
 * authenticated cluster admin (a scenario user with clusterAdmin, or group system:masters).
 */
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import type { SimContext } from "../types.ts";
import { resourceKey } from "../store.ts";
import type { Auth, RequestAttributes, UserInfo } from "./auth.ts";
import { Discovery } from "./discovery.ts";
import { attachExecServer } from "./exec.ts";
import type { FaultInjector } from "./faults.ts";
import type { RequestLog } from "./request_log.ts";
import { type ByteStats, handleResource, ListIndex, negotiate, readBody, sendJson } from "./rest.ts";
import { parseRequest, type RequestInfo } from "./router.ts";
import { forbidden, HttpError, notFoundPath, statusFromError, unauthorized } from "./status.ts";
import { serveWatch, WatchRegistry } from "./watch.ts";

export const CERT_DIR = new URL("../certs/", import.meta.url);

export interface SimPki {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

export function readPki(dir: URL = CERT_DIR): SimPki {
  const read = (f: string) => Deno.readTextFileSync(new URL(f, dir));
  return {
    caPem: read("ca.crt"),
    serverCertPem: read("server.crt"),
    serverKeyPem: read("server.key"),
    clientCertPem: read("client.crt"),
    clientKeyPem: read("client.key"),
  };
}

export interface ApiServerOptions {
  ctx: SimContext;
  auth: Auth;
  faults: FaultInjector;
  requestLog: RequestLog;
  /** 0 (default) = an ephemeral port. */
  port?: number;
  host?: string;
  pki?: SimPki;
  log?: (message: string) => void;
}

export interface ApiServer {
  url: string;
  port: number;
  /** Open watch streams (tests check they are closed). */
  watches: WatchRegistry;
  close(): Promise<void>;
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const { ctx, auth, faults, requestLog } = opts;
  const log = opts.log ?? (() => {});
  const pki = opts.pki ?? readPki();
  const discovery = new Discovery(ctx.store, { version: ctx.scenario.version });
  const index = new ListIndex(ctx.store);
  const watches = new WatchRegistry();
  const sockets = new Set<Socket>();
  const admins = new Set(ctx.scenario.users.filter((u) => u.clusterAdmin).map((u) => u.name));

  const authenticate = (req: IncomingMessage): UserInfo | undefined => {
    const sock = req.socket as TLSSocket;
    let certCN: string | undefined;
    let certOrgs: string[] | undefined;
    if (sock.authorized) {
      const subject = sock.getPeerCertificate?.()?.subject as unknown as Record<string, string | string[]> | undefined;
      if (subject?.CN) certCN = String(subject.CN);
      if (subject?.O) certOrgs = Array.isArray(subject.O) ? subject.O : [subject.O];
    }
    const user = auth.authenticate({ authorization: req.headers.authorization, certCN, certOrgs });
    if (!user) return undefined;
    const as = impersonation(req);
    return as ? auth.impersonate(user, as) : user;
  };

  const server: Server = createServer({
    cert: pki.serverCertPem,
    key: pki.serverKeyPem,
    ca: pki.caPem,
    requestCert: true,
    rejectUnauthorized: false,
  });
  server.on("secureConnection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  const exec = attachExecServer(server, {
    authenticate,
    authorize: (u, a) => auth.authorize(u, a),
    resolvePod: (ns, name) => ctx.store.get("core/pods", ns, name),
    exec: ctx.exec,
    faults,
    requestLog,
    log,
  });

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e) => {
      log(`request failed: ${(e as Error).message}`);
      if (!res.headersSent) sendJson(res, { bytesIn: 0, bytesOut: 0 }, 500, statusFromError(e));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? "/", "https://sim");
    const path = url.pathname;
    if (path === "/_sim" || path.startsWith("/_sim/")) return admin(req, res, url);
    const info = parseRequest(req.method ?? "GET", path, url.searchParams);
    const stats: ByteStats = { bytesIn: 0, bytesOut: 0 };
    let userName = "system:anonymous";
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      requestLog.record({
        at: Date.now(),
        user: userName,
        verb: info.isResource ? info.verb : (req.method ?? "GET").toLowerCase(),
        method: req.method ?? "GET",
        path,
        apiGroup: info.apiGroup,
        resource: info.resource,
        ...(info.subresource ? { subresource: info.subresource } : {}),
        ...(info.namespace ? { namespace: info.namespace } : {}),
        ...(info.name ? { name: info.name } : {}),
        code: res.statusCode,
        bytesIn: stats.bytesIn,
        bytesOut: stats.bytesOut,
        ms: performance.now() - started,
        ...(req.headers["user-agent"] ? { userAgent: String(req.headers["user-agent"]) } : {}),
        ...(url.search ? { query: url.search.slice(1) } : {}),
      });
    };
    res.on("finish", record);
    res.on("close", record);
    try {
      const user = authenticate(req);
      if (!user) throw unauthorized();
      userName = user.name;
      const attrs: RequestAttributes = info.isResource
        ? {
          verb: info.verb,
          apiGroup: info.apiGroup,
          resource: info.resource,
          ...(info.subresource ? { subresource: info.subresource } : {}),
          ...(info.namespace ? { namespace: info.namespace } : {}),
          ...(info.name ? { name: info.name } : {}),
        }
        : { verb: (req.method ?? "GET").toLowerCase(), apiGroup: "", resource: "", path };
      const fault = faults.maybeFail(attrs.verb, path);
      if (fault) throw injected(fault.code, fault.retryAfterSeconds);
      const delay = faults.delayMs();
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      const decision = auth.authorize(user, attrs);
      if (!decision.allowed) throw forbidden(user.name, attrs, decision.reason);
      if (!info.isResource) return await nonResource(req, res, info, stats);
      if (info.verb === "watch") {
        const def = discovery.find(info.apiGroup, info.apiVersion, info.resource);
        if (!def || info.subresource) throw notFoundPath();
        const q = url.searchParams;
        const as = negotiate(req.headers.accept);
        await readBody(req, stats);
        return await serveWatch(res, stats, ctx.store, watches, {
          key: resourceKey(def.group, def.resource),
          def,
          namespace: info.namespace,
          name: info.name,
          labelSelector: q.get("labelSelector") ?? undefined,
          fieldSelector: q.get("fieldSelector") ?? undefined,
          resourceVersion: q.get("resourceVersion") ?? undefined,
          timeoutSeconds: q.has("timeoutSeconds") ? Number(q.get("timeoutSeconds")) : undefined,
          bookmarks: q.get("allowWatchBookmarks") === "true" || q.get("allowWatchBookmarks") === "1",
          sendInitialEvents: q.get("sendInitialEvents") === "true",
          as,
          query: q,
        }, { lifetimeMs: faults.watchLifetimeMs(), now: () => ctx.clock.now() });
      }
      await handleResource({ req, res, info, query: url.searchParams, user, stats }, {
        store: ctx.store,
        auth,
        discovery,
        index,
        now: () => ctx.clock.now(),
      });
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status = statusFromError(e);
      const headers = e instanceof HttpError ? e.headers : undefined;
      if (!req.readableEnded) req.resume(); // drop an unread body so the kept-alive connection stays usable
      sendJson(res, stats, status.code, status, headers);
    }
  }

  async function nonResource(req: IncomingMessage, res: ServerResponse, info: RequestInfo, stats: ByteStats) {
    await readBody(req, stats);
    const p = info.path.replace(/\/+$/, "") || "/";
    const host = req.headers.host ?? "127.0.0.1";
    let body: unknown;
    if (p === "/version") body = discovery.version();
    else if (p === "/api") body = discovery.apiVersions(host);
    else if (p === "/apis") body = discovery.apiGroupList();
    else if (info.prefix === "api" && info.apiVersion) body = discovery.resourceList("", info.apiVersion);
    else if (info.prefix === "apis" && info.apiVersion) body = discovery.resourceList(info.apiGroup, info.apiVersion);
    else if (info.prefix === "apis" && info.apiGroup) body = discovery.apiGroup(info.apiGroup);
    else if (p === "/openapi/v3") body = discovery.openapiV3Root();
    else if (p.startsWith("/openapi/v3/")) {
      const gv = p.slice("/openapi/v3/".length).split("/");
      body = gv[0] === "api" ? discovery.openapiV3Doc("", gv[1]) : discovery.openapiV3Doc(gv[1], gv[2]);
    } else if (p === "/healthz" || p === "/livez" || p === "/readyz") {
      stats.bytesOut += 2;
      res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": "2" });
      res.end("ok");
      return;
    }
    if (body === undefined) throw notFoundPath();
    sendJson(res, stats, 200, body);
  }

  async function admin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const stats: ByteStats = { bytesIn: 0, bytesOut: 0 };
    try {
      const body = new TextDecoder().decode(await readBody(req, stats));
      const path = url.pathname.replace(/\/+$/, "");
      if (path === "/_sim/healthz") return sendJson(res, stats, 200, { ok: true });
      const user = authenticate(req);
      if (!user) throw unauthorized();
      if (!admins.has(user.name) && !user.groups.includes("system:masters")) {
        throw new HttpError(403, "Forbidden", `forbidden: User "${user.name}" cannot use the simulator admin path`);
      }
      if (path === "/_sim/requests" && req.method === "GET") {
        const q = url.searchParams;
        const filter: Record<string, string> = {};
        for (const k of ["verb", "resource", "user"]) if (q.get(k)) filter[k] = q.get(k)!;
        return sendJson(res, stats, 200, { summary: requestLog.summary(), records: requestLog.records(filter) });
      }
      if (path === "/_sim/requests" && req.method === "DELETE") {
        requestLog.clear();
        return sendJson(res, stats, 200, { cleared: true });
      }
      if (path === "/_sim/faults" && req.method === "GET") return sendJson(res, stats, 200, faults.current());
      if (path === "/_sim/faults" && req.method === "PUT") {
        let patch: Record<string, unknown>;
        try {
          patch = JSON.parse(body || "{}");
        } catch {
          throw new HttpError(400, "BadRequest", "the body must be a JSON object of faults");
        }
        faults.set(patch);
        return sendJson(res, stats, 200, faults.current());
      }
      throw notFoundPath();
    } catch (e) {
      const status = statusFromError(e);
      sendJson(res, stats, status.code, status);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  const host = opts.host ?? "127.0.0.1";
  let closed = false;
  return {
    url: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    watches,
    async close() {
      if (closed) return;
      closed = true;
      watches.closeAll();
      exec.closeAll();
      index.stop();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await done;
    },
  };
}

/** Impersonate-User / Impersonate-Group headers (the group header may repeat). */
function impersonation(req: IncomingMessage): { user?: string; groups: string[] } | undefined {
  let user: string | undefined;
  const groups: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (name === "impersonate-user") user = raw[i + 1];
    else if (name === "impersonate-group") groups.push(raw[i + 1]);
  }
  return user || groups.length ? { user, groups } : undefined;
}

/** An injected API failure with the reason and message kube-apiserver uses for that code. */
function injected(code: number, retryAfterSeconds?: number): HttpError {
  const headers: Record<string, string> = retryAfterSeconds !== undefined
    ? { "Retry-After": String(retryAfterSeconds) }
    : {};
  switch (code) {
    case 429:
      return new HttpError(429, "TooManyRequests", "Too many requests, please try again later.", {
        retryAfterSeconds: retryAfterSeconds ?? 1,
      }, headers);
    case 503:
      return new HttpError(
        503,
        "ServiceUnavailable",
        "the server is currently unable to handle the request",
        {},
        headers,
      );
    case 504:
      return new HttpError(
        504,
        "Timeout",
        "the server was unable to return a response in the time allotted, but may still be processing the request",
        {},
        headers,
      );
    default:
      return new HttpError(code, "InternalError", "Internal error occurred: injected fault (simulated)", {}, headers);
  }
}
