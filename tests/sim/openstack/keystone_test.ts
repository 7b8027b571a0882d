/**
 * Keystone v3 of the simulated OpenStack: version documents, every authentication form a clouds.yaml can
 * carry, Keystone's 401 body, the catalog (four services, two regions, public and internal), validation,
 * token expiry after the simulated TTL (then every service answers 401), and the admin path's access rules.
 */
import assert from "node:assert/strict";
import { os, startKuryr, tokenFor } from "./helpers.ts";

const sim = await startKuryr("kuryr-4.14", { timeScale: 100 });
const c = sim.openstack.credentials;
const auth = (identity: unknown, scope?: unknown) =>
  os(sim, "/identity/v3/auth/tokens", { method: "POST", body: { auth: { identity, ...(scope ? { scope } : {}) } } });

Deno.test({
  name: "keystone: version documents at /identity/ (300, values) and /identity/v3",
  sanitizeResources: false,
  fn: async () => {
    const root = await os(sim, "/identity/");
    assert.equal(root.status, 300);
    assert.equal(root.body.versions.values[0].id, "v3.14");
    assert.equal(root.body.versions.values[0].links[0].href, `${sim.openstack.origin}/identity/v3/`);
    const v3 = await os(sim, "/identity/v3");
    assert.equal(v3.status, 200);
    assert.equal(v3.body.version.status, "stable");
    assert.equal(sim.openstack.authUrl, `${sim.openstack.origin}/identity/v3`);
  },
});

Deno.test({
  name:
    "keystone: password by names → 201, X-Subject-Token, expires_at, roles, catalog of 4 services × 2 regions × 2 interfaces",
  sanitizeResources: false,
  fn: async () => {
    const r = await auth(
      {
        methods: ["password"],
        password: { user: { name: c.username, domain: { name: "Default" }, password: c.password } },
      },
      { project: { name: c.projectName, domain: { name: "Default" } } },
    );
    assert.equal(r.status, 201);
    assert.match(r.headers.get("X-Subject-Token")!, /^gAAAAA/);
    const t = r.body.token;
    assert.ok(Date.parse(t.expires_at) > Date.parse(t.issued_at));
    assert.equal(t.user.name, c.username);
    assert.equal(t.user.id, c.userId);
    assert.equal(t.project.id, c.projectId);
    assert.ok(t.roles.some((x: { name: string }) => x.name === "admin"));
    for (const type of ["identity", "network", "load-balancer", "compute"]) {
      const svc = t.catalog.find((s: { type: string }) => s.type === type);
      assert.ok(svc, `catalog has ${type}`);
      const got = svc.endpoints.map((e: { region_id: string; interface: string }) => `${e.region_id}/${e.interface}`)
        .sort();
      assert.deepEqual(got, ["RegionOne/internal", "RegionOne/public", "RegionTwo/internal", "RegionTwo/public"]);
    }
    const net = t.catalog.find((s: { type: string }) => s.type === "network").endpoints;
    const url = (region: string, iface: string) =>
      net.find((e: { region: string; interface: string }) => e.region === region && e.interface === iface).url;
    assert.equal(url("RegionOne", "public"), `${sim.openstack.origin}/network`);
    assert.equal(url("RegionOne", "internal"), `${sim.openstack.origin}/internal/network`);
    assert.equal(url("RegionTwo", "public"), `${sim.openstack.origin}/RegionTwo/network`);
    const compute = t.catalog.find((s: { type: string }) => s.type === "compute").endpoints[0].url;
    assert.match(compute, /\/compute\/v2\.1$/);
  },
});

Deno.test({
  name: "keystone: password by ids, domain by id; application credential by id and by name + user",
  sanitizeResources: false,
  fn: async () => {
    const byIds = await auth(
      { methods: ["password"], password: { user: { id: c.userId, password: c.password } } },
      { project: { id: c.projectId } },
    );
    assert.equal(byIds.status, 201);
    assert.equal(byIds.body.token.project.name, c.projectName);
    const domainId = await auth(
      {
        methods: ["password"],
        password: { user: { name: c.username, domain: { id: "default" }, password: c.password } },
      },
      { project: { name: c.projectName, domain: { id: "default" } } },
    );
    assert.equal(domainId.status, 201);
    const acId = await auth({
      methods: ["application_credential"],
      application_credential: { id: c.applicationCredentialId, secret: c.applicationCredentialSecret },
    });
    assert.equal(acId.status, 201);
    assert.equal(acId.body.token.project.id, c.projectId, "an application credential implies its project");
    assert.equal(acId.body.token.application_credential.id, c.applicationCredentialId);
    assert.deepEqual(acId.body.token.methods, ["application_credential"]);
    const acName = await auth({
      methods: ["application_credential"],
      application_credential: {
        name: c.applicationCredentialName,
        user: { name: c.username, domain: { name: "Default" } },
        secret: c.applicationCredentialSecret,
      },
    });
    assert.equal(acName.status, 201);
    const acNameUid = await auth({
      methods: ["application_credential"],
      application_credential: {
        name: c.applicationCredentialName,
        user: { id: c.userId },
        secret: c.applicationCredentialSecret,
      },
    });
    assert.equal(acNameUid.status, 201);
  },
});

Deno.test({
  name: "keystone: wrong password, unknown user, wrong secret → 401 with Keystone's error body",
  sanitizeResources: false,
  fn: async () => {
    const wrong = await auth(
      {
        methods: ["password"],
        password: { user: { name: c.username, domain: { name: "Default" }, password: "nope" } },
      },
      { project: { name: c.projectName, domain: { name: "Default" } } },
    );
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, {
      error: { code: 401, message: "The request you have made requires authentication.", title: "Unauthorized" },
    });
    assert.equal(wrong.headers.get("X-Subject-Token"), null);
    const nobody = await auth({
      methods: ["password"],
      password: { user: { name: "nobody", domain: { name: "Default" }, password: c.password } },
    });
    assert.equal(nobody.status, 401);
    const badSecret = await auth({
      methods: ["application_credential"],
      application_credential: { id: c.applicationCredentialId, secret: "x" },
    });
    assert.equal(badSecret.status, 401);
    const otherProject = await auth(
      {
        methods: ["password"],
        password: { user: { name: c.username, domain: { name: "Default" }, password: c.password } },
      },
      { project: { name: "shiftstack-2", domain: { name: "Default" } } },
    );
    assert.equal(otherProject.status, 401, "no role on the other cluster's project");
  },
});

Deno.test({
  name: "keystone: GET /v3/auth/tokens validates (200 with the body), an unknown subject token is 404",
  sanitizeResources: false,
  fn: async () => {
    const token = await tokenFor(sim);
    const ok = await os(sim, "/identity/v3/auth/tokens", { token, headers: { "X-Subject-Token": token } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.token.user.name, c.username);
    const bad = await os(sim, "/identity/v3/auth/tokens", {
      token,
      headers: { "X-Subject-Token": "gAAAAAnot-a-token" },
    });
    assert.equal(bad.status, 404);
    const projects = await os(sim, "/identity/v3/auth/projects", { token });
    assert.deepEqual(projects.body.projects.map((p: { name: string }) => p.name), [c.projectName]);
  },
});

Deno.test({
  name: "services need a token: none or a garbage one → 401 (keystonemiddleware body, WWW-Authenticate)",
  sanitizeResources: false,
  fn: async () => {
    for (const path of ["/network/v2.0/networks", "/load-balancer/v2/lbaas/loadbalancers", "/compute/v2.1/servers"]) {
      for (const token of [null, "gAAAAAgarbage"]) {
        const r = await os(sim, path, { token });
        assert.equal(r.status, 401, `${path} with ${token ? "a bad" : "no"} token`);
        assert.equal(r.body.error.code, 401);
        assert.equal(r.headers.get("WWW-Authenticate"), `Keystone uri="${sim.openstack.origin}/identity"`);
      }
    }
  },
});

Deno.test({
  name:
    "tokens expire after the simulated TTL (fault tokenTtlSeconds): every service then answers 401; a new token works",
  sanitizeResources: false,
  fn: async () => {
    const before = sim.openstack.faults.current().tokenTtlSeconds;
    sim.openstack.faults.set({ tokenTtlSeconds: 60 });
    try {
      const token = await tokenFor(sim);
      const r = await os(sim, "/identity/v3/auth/tokens", { token, headers: { "X-Subject-Token": token } });
      const ttl = Date.parse(r.body.token.expires_at) - Date.parse(r.body.token.issued_at);
      assert.equal(ttl, 60_000);
      assert.equal((await os(sim, "/network/v2.0/networks?limit=1", { token })).status, 200);
      // 60 simulated seconds at time scale 100 = 0.6 s.
      await sim.clock.sleep(61_000);
      for (const path of ["/network/v2.0/networks", "/load-balancer/v2/lbaas/loadbalancers", "/compute/v2.1/servers"]) {
        assert.equal((await os(sim, path, { token })).status, 401, path);
      }
      const fresh = await tokenFor(sim);
      assert.equal((await os(sim, "/network/v2.0/networks?limit=1", { token: fresh })).status, 200);
    } finally {
      sim.openstack.faults.set({ tokenTtlSeconds: before });
    }
  },
});

Deno.test({
  name:
    "admin path: healthz open; requests/faults need an admin token (401 without, 403 for a member); PUT faults, DELETE requests",
  sanitizeResources: false,
  fn: async () => {
    assert.equal((await os(sim, "/_sim/healthz")).status, 200);
    assert.equal((await os(sim, "/_sim/requests")).status, 401);
    const member = await tokenFor(sim, "member");
    assert.equal((await os(sim, "/_sim/faults", { token: member })).status, 403);
    const admin = await tokenFor(sim);
    await os(sim, "/network/v2.0/networks?name=x", { token: admin });
    const log = await os(sim, "/_sim/requests", { token: admin });
    assert.equal(log.status, 200);
    assert.ok(log.body.summary.byPath["network GET /v2.0/networks"].count >= 1);
    assert.ok(
      log.body.records.some((r: { path: string; query?: string }) =>
        r.path === "/v2.0/networks" && r.query === "name=x"
      ),
    );
    assert.ok(!JSON.stringify(log.body).includes(admin), "tokens are never logged");
    const put = await os(sim, "/_sim/faults", { method: "PUT", token: admin, body: { loadBalancerDeleteSeconds: 7 } });
    assert.equal(put.status, 200);
    assert.equal(put.body.loadBalancerDeleteSeconds, 7);
    assert.equal(sim.openstack.faults.current().loadBalancerDeleteSeconds, 7);
    assert.equal((await os(sim, "/_sim/faults", { method: "PUT", token: admin, body: { nosuch: 1 } })).status, 400);
    sim.openstack.faults.set({ loadBalancerDeleteSeconds: 20 });
    assert.equal((await os(sim, "/_sim/requests", { method: "DELETE", token: admin })).status, 200);
    assert.equal(sim.openstack.requestLog.summary().total, 0);
  },
});

Deno.test({
  name: "injected faults: 429 with Retry-After and 5xx in each service's own error format; version documents exempt",
  sanitizeResources: false,
  fn: async () => {
    const token = await tokenFor(sim);
    sim.openstack.faults.set({ errorRate: 1, errorCodes: [429], retryAfterSeconds: 3 });
    try {
      const r = await os(sim, "/network/v2.0/ports", { token });
      assert.equal(r.status, 429);
      assert.equal(r.headers.get("Retry-After"), "3");
      assert.ok(r.body.NeutronError);
      assert.equal((await os(sim, "/network/")).status, 200, "version discovery is never faulted");
      sim.openstack.faults.set({ errorCodes: [503] });
      const o = await os(sim, "/load-balancer/v2/lbaas/loadbalancers", { token });
      assert.equal(o.status, 503);
      assert.equal(o.body.faultcode, "Server");
      const n = await os(sim, "/compute/v2.1/servers", { token });
      assert.equal(n.status, 503);
      assert.equal(n.body.computeFault.code, 503);
      sim.openstack.faults.set({ errorServices: ["compute"], errorRate: 1 });
      assert.equal((await os(sim, "/network/v2.0/ports?limit=1", { token })).status, 200, "only compute is faulted");
    } finally {
      sim.openstack.faults.set({ errorRate: 0, errorServices: undefined, errorCodes: [500, 503, 429] });
    }
  },
});

Deno.test({
  name:
    "regions and interfaces: RegionTwo is another (empty) cloud, internal endpoints serve the same region; the log records both",
  sanitizeResources: false,
  fn: async () => {
    const token = await tokenFor(sim);
    sim.openstack.requestLog.clear();
    const one = await os(sim, "/network/v2.0/networks", { token });
    const internal = await os(sim, "/internal/network/v2.0/networks", { token });
    const two = await os(sim, "/RegionTwo/network/v2.0/networks", { token });
    assert.ok(one.body.networks.length > 20);
    assert.equal(internal.body.networks.length, one.body.networks.length);
    assert.deepEqual(two.body.networks.map((n: { name: string }) => n.name), ["public"]);
    const recs = sim.openstack.requestLog.records({ service: "network" });
    assert.deepEqual(recs.map((r) => `${r.region}/${r.interface}`), [
      "RegionOne/public",
      "RegionOne/internal",
      "RegionTwo/public",
    ]);
    assert.equal(sim.openstack.requestLog.summary().byService.network, 3);
  },
});

Deno.test({
  name: "stop() closes the OpenStack server and removes the temporary clouds.yaml",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const path = sim.openstack.cloudsYamlPath;
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    await sim.stop();
    await assert.rejects(Deno.stat(path));
    await assert.rejects(os(sim, "/_sim/healthz"));
  },
});
