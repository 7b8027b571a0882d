/**
 * The simulated OpenStack's HTTPS server (node:https, the simulator's PKI, its own ephemeral port on
 * 127.0.0.1), devstack-like: `/identity`, `/network`, `/load-balancer`, `/compute`, `/image`. The first
 * region's public endpoints sit at the root; `/internal/…` is its internal interface and `/<Region>/…` (and
 * `/<Region>/internal/…`) the other regions'. Services need a valid token (keystonemiddleware's 401
 * otherwise), injected faults apply after authentication, and every request lands in the request log.
 *
 * Admin path (never faulted, not logged): `GET /_sim/healthz` (open); with an admin user's token
 * (`X-Auth-Token`): `GET|DELETE /_sim/requests`, `GET|PUT /_sim/faults`, `POST /_sim/tokens/expire`.
 */
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { SimPki } from "../server/server.ts";
import type { Cloud, Rec } from "./cloud.ts";
import { injectedError, keystoneError, OpenStackHttpError, unauthorized } from "./errors.ts";
import type { OpenStackFaults } from "./faults.ts";
import type { Keystone } from "./keystone.ts";
import type { OpenStackRequestLog } from "./request_log.ts";
import type { ServiceRequest, ServiceResponse } from "./service.ts";

const SERVICE_PREFIXES = ["identity", "network", "load-balancer", "compute", "image"] as const;

export interface OpenStackServerOptions {
  cloud: Cloud;
  keystone: Keystone;
  faults: OpenStackFaults;
  requestLog: OpenStackRequestLog;
  pki: SimPki;
  /** Service handlers by catalog type (identity is Keystone's own). */
  handlers: Record<string, (req: ServiceRequest) => ServiceResponse>;
  log: (message: string) => void;
}

export interface OpenStackServer {
  origin: string;
  port: number;
  close(): Promise<void>;
}

export async function startOpenStackServer(opts: OpenStackServerOptions): Promise<OpenStackServer> {
  const { cloud, keystone, faults, requestLog } = opts;
  const sockets = new Set<Socket>();
  const server: Server = createServer({ cert: opts.pki.serverCertPem, key: opts.pki.serverKeyPem });
  server.on("secureConnection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  let origin = "";
  const mainRegion = cloud.main.name;

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e) => {
      opts.log(`openstack request failed: ${(e as Error).stack ?? e}`);
      if (!res.headersSent) {
        write(res, 500, {
          error: { code: 500, message: "internal error (simulator)", title: "Internal Server Error" },
        });
      } else res.destroy();
    });
  });

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(typeof c === "string" ? Buffer.from(c) : c);
    return Buffer.concat(chunks).toString("utf8");
  }

  function write(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number {
    if (body === undefined || status === 204) {
      res.writeHead(status, { "Content-Length": "0", ...headers });
      res.end();
      return 0;
    }
    const buf = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": String(buf.length), ...headers });
    res.end(buf);
    return buf.length;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? "/", origin);
    const method = (req.method ?? "GET").toUpperCase();
    const text = await readBody(req);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    if (url.pathname === "/_sim" || url.pathname.startsWith("/_sim/")) return admin(res, url, method, text, headers);

    // /[Region][/internal]/<service>/rest
    const seg = url.pathname.split("/");
    let i = 1;
    let region = mainRegion;
    if (seg[i] && cloud.regions.has(seg[i]) && seg[i] !== mainRegion) region = seg[i++];
    let iface: "public" | "internal" = "public";
    if (seg[i] === "internal") {
      iface = "internal";
      i++;
    }
    const service = (SERVICE_PREFIXES as readonly string[]).includes(seg[i]) ? seg[i++] : "";
    const prefix = seg.slice(0, i).join("/");
    const path = "/" + seg.slice(i).join("/");
    const inner = path === "/" ? "" : path;
    let status = 500;
    let bytesOut = 0;
    let user: string | undefined;
    try {
      if (!service) {
        throw new OpenStackHttpError(404, {
          error: { code: 404, message: "The resource could not be found.", title: "Not Found" },
        }, "no such service");
      }
      let body: unknown;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          throw keystoneError(400, "Malformed request body: the body must be JSON.");
        }
      }
      const versionDoc = method === "GET" && (inner === "" || /^\/v[0-9.]+$/.test(inner));
      let r: ServiceResponse;
      if (service === "identity") {
        const f = versionDoc ? undefined : faults.maybeFail(service, method);
        if (f) throw injectedError(service, f.status, f.retryAfterSeconds);
        r = keystone.handle(method, inner, headers, body as Rec | undefined);
        user = keystone.validate(headers.get("x-auth-token") ?? undefined)?.user.name;
      } else {
        const token = keystone.validate(headers.get("x-auth-token") ?? undefined);
        if (!token && !versionDoc) throw unauthorized(`${origin}/identity`);
        user = token?.user.name;
        const f = versionDoc ? undefined : faults.maybeFail(service, method);
        if (f) throw injectedError(service, f.status, f.retryAfterSeconds);
        const handler = opts.handlers[service];
        r = handler({
          method,
          path: inner,
          url,
          origin,
          prefix,
          headers,
          body,
          token: token!,
          isAdmin: token ? keystone.isAdmin(token) : false,
          region: cloud.region(region),
        });
      }
      status = r.status;
      bytesOut = write(res, r.status, r.body, r.headers);
    } catch (e) {
      if (!(e instanceof OpenStackHttpError)) throw e;
      status = e.status;
      bytesOut = write(res, e.status, e.body, e.headers);
    } finally {
      if (res.headersSent) {
        requestLog.record({
          at: Date.now(),
          service,
          region,
          interface: iface,
          method,
          path,
          ...(url.search ? { query: url.search.slice(1) } : {}),
          status,
          bytesIn: Buffer.byteLength(text),
          bytesOut,
          ms: performance.now() - started,
          ...(user ? { user } : {}),
          ...(req.headers["user-agent"] ? { userAgent: String(req.headers["user-agent"]) } : {}),
        });
      }
    }
  }

  function admin(res: ServerResponse, url: URL, method: string, text: string, headers: Headers): void {
    const path = url.pathname.replace(/\/+$/, "");
    if (path === "/_sim/healthz") {
      write(res, 200, { ok: true });
      return;
    }
    const token = keystone.validate(headers.get("x-auth-token") ?? undefined);
    if (!token) {
      const e = unauthorized(`${origin}/identity`);
      write(res, e.status, e.body, e.headers);
      return;
    }
    if (!keystone.isAdmin(token)) {
      write(res, 403, {
        error: { code: 403, message: "The simulator admin path needs an admin user's token.", title: "Forbidden" },
      });
      return;
    }
    if (path === "/_sim/requests" && method === "GET") {
      const q = url.searchParams;
      const filter: Record<string, string> = {};
      for (const k of ["service", "method", "region", "user"]) if (q.get(k)) filter[k] = q.get(k)!;
      write(res, 200, { summary: requestLog.summary(), records: requestLog.records(filter) });
    } else if (path === "/_sim/requests" && method === "DELETE") {
      requestLog.clear();
      write(res, 200, { cleared: true });
    } else if (path === "/_sim/faults" && method === "GET") {
      write(res, 200, faults.current());
    } else if (path === "/_sim/faults" && method === "PUT") {
      try {
        write(res, 200, faults.set(JSON.parse(text || "{}")));
      } catch (e) {
        write(res, 400, { error: { code: 400, message: (e as Error).message, title: "Bad Request" } });
      }
    } else if (path === "/_sim/tokens/expire" && method === "POST") {
      keystone.expireAll();
      write(res, 200, { expired: true });
    } else {
      write(res, 404, { error: { code: 404, message: "The resource could not be found.", title: "Not Found" } });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  origin = `https://127.0.0.1:${port}`;
  let closed = false;
  return {
    origin,
    port,
    async close() {
      if (closed) return;
      closed = true;
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await done;
    },
  };
}
