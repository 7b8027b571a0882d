/**
 * A minimal HTTP OpenStack for the protocol tests that need exact control of each answer (which attempt
 * fails, with what, after how long): Keystone's token call, a catalog pointing back at itself, and per-test
 * routes. Everything else about the services is tested against the simulator (tests/openstack/sim_*_test.ts).
 */
export interface FakeRequest {
  method: string;
  path: string;
  search: string;
  token: string | null;
  body: unknown;
}

export type Route = (req: FakeRequest, fake: FakeCloud) => Response | undefined | Promise<Response | undefined>;

export interface FakeCloud {
  origin: string;
  authUrl: string;
  requests: FakeRequest[];
  /** Tokens issued, in order. */
  tokens: string[];
  /** Tokens a service accepts (revoke one to make its next use answer 401). */
  valid: Set<string>;
  password: string;
  /** Token lifetime in seconds, as Keystone reports it. */
  ttlSeconds: number;
  stop(): Promise<void>;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

export interface FakeOptions {
  password?: string;
  ttlSeconds?: number;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string; key: string };
  /** Catalog URLs by service type instead of this server's own. */
  endpoints?: Record<string, string>;
}

// deno-lint-ignore require-await
export async function startFakeCloud(routes: Route[], opts: FakeOptions = {}): Promise<FakeCloud> {
  const requests: FakeRequest[] = [];
  const listen = { port: 0, hostname: "127.0.0.1", onListen() {}, ...(opts.tls ?? {}) };
  const server = Deno.serve(listen, async (request) => {
    const url = new URL(request.url);
    const text = await request.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const req = {
      method: request.method,
      path: url.pathname,
      search: url.search,
      token: request.headers.get("x-auth-token"),
      body,
    };
    requests.push(req);
    for (const route of routes) {
      const answer = await route(req, fake);
      if (answer) return answer;
    }
    if (req.method === "POST" && req.path === "/identity/v3/auth/tokens") return issueToken(req, fake, opts.endpoints);
    if (req.token && !fake.valid.has(req.token)) {
      return json(401, {
        error: { code: 401, title: "Unauthorized", message: "The request you have made requires authentication." },
      });
    }
    return json(404, { NeutronError: { type: "HTTPNotFound", message: `no route ${req.method} ${req.path}` } });
  });
  const origin = `${opts.tls ? "https" : "http"}://127.0.0.1:${server.addr.port}`;
  // The handler only runs after this assignment: requests come once the caller has the origin.
  const fake: FakeCloud = {
    origin,
    authUrl: `${origin}/identity`,
    requests,
    tokens: [],
    valid: new Set(),
    password: opts.password ?? "fake-password-1",
    ttlSeconds: opts.ttlSeconds ?? 3600,
    stop: () => server.shutdown(),
  };
  return fake;
}

function issueToken(req: FakeRequest, fake: FakeCloud, overrides: Record<string, string> = {}): Response {
  const identity = (req.body as { auth: { identity: { password?: { user: { password: string } } } } }).auth.identity;
  if (identity.password && identity.password.user.password !== fake.password) {
    return json(401, {
      error: { code: 401, title: "Unauthorized", message: "The request you have made requires authentication." },
    });
  }
  const token = `gAAAAABfaketoken${fake.tokens.length + 1}-${crypto.randomUUID()}`;
  fake.tokens.push(token);
  fake.valid.add(token);
  const issued = Date.now();
  const endpoint = (type: string, url: string) => ({
    type,
    endpoints: [{ interface: "public", region_id: "RegionOne", region: "RegionOne", url: overrides[type] ?? url }],
  });
  return json(201, {
    token: {
      methods: ["password"],
      issued_at: new Date(issued).toISOString(),
      expires_at: new Date(issued + fake.ttlSeconds * 1000).toISOString(),
      user: { id: "u1", name: "alice", domain: { id: "default", name: "Default" } },
      project: { id: "p1", name: "ocp", domain: { id: "default", name: "Default" } },
      roles: [{ id: "r1", name: "member" }],
      catalog: [
        endpoint("identity", `${fake.origin}/identity`),
        endpoint("network", `${fake.origin}/network`),
        endpoint("load-balancer", `${fake.origin}/load-balancer`),
        endpoint("compute", `${fake.origin}/compute/v2.1`),
      ],
    },
  }, { "X-Subject-Token": token });
}
