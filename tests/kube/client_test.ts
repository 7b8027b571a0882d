/**
 * The client against a scripted HTTPS API server (sim/certs): paging, metadata lists, headers, retries and
 * error mapping. Each test closes its client (undici keep-alive sockets) and its server.
 */
import { assert, assertEquals, assertMatch, assertRejects } from "./_assert.ts";
import { KubeError } from "../../lib/errors.ts";
import { connect } from "../../lib/kube/connect.ts";
import { isMissingApi } from "../../lib/kube/errors.ts";
import { R } from "../../lib/kube/resources.ts";
import type { RetryPolicy } from "../../lib/kube/retry.ts";
import type { Kube } from "../../lib/kube/types.ts";
import {
  captureLogger,
  globals,
  json,
  simpleKubeconfig,
  startServer,
  statusBody,
  type TestServer,
  writeKubeconfig,
} from "./_fixtures.ts";

const FAST_RETRY: RetryPolicy = {
  maxAttempts: 4,
  maxElapsedMs: 10_000,
  baseDelayMs: 5,
  maxDelayMs: 20,
  maxRetryAfterMs: 5_000,
};
const TOKEN = "sha256~client-test-token-0123456789";

async function clientFor(
  server: TestServer | string,
  user: Record<string, unknown> = { token: TOKEN },
  extra: Parameters<typeof globals>[0] = {},
  cluster: Record<string, unknown> = {},
): Promise<Kube> {
  const dir = await Deno.makeTempDir();
  const url = typeof server === "string" ? server : server.url;
  const file = await writeKubeconfig(dir, "config", simpleKubeconfig(url, user, cluster));
  return await connect(globals({ kubeconfig: file, ...extra }), captureLogger(), { retry: FAST_RETRY });
}

async function using(server: TestServer, kube: Kube, fn: () => Promise<void>) {
  try {
    await fn();
  } finally {
    await kube.close?.();
    await server.close();
  }
}

Deno.test("list reads every page with limit/continue and fills apiVersion/kind; get maps 404 to undefined", async () => {
  const server = startServer((req) => {
    if (req.path === "/api/v1/nodes") {
      const cont = req.query.get("continue");
      if (!cont) {
        return json({ metadata: { continue: "page2", resourceVersion: "10" }, items: [{ metadata: { name: "n1" } }] });
      }
      if (cont === "page2") {
        return json({
          metadata: { continue: "page3" },
          items: [{ metadata: { name: "n2" } }, { metadata: { name: "n3" } }],
        });
      }
      return json({ metadata: { resourceVersion: "12" }, items: [{ metadata: { name: "n4" } }] });
    }
    if (req.path === "/api/v1/nodes/n1") return json({ metadata: { name: "n1" }, kind: "Node" });
    return json(statusBody(404, "NotFound", 'nodes "x" not found', { name: "x", kind: "nodes" }), 404);
  });
  const kube = await clientFor(server);
  await using(server, kube, async () => {
    const nodes = await kube.list(R.node, { pageSize: 2, labelSelector: "a=b" });
    assertEquals(nodes.map((n) => n.metadata.name), ["n1", "n2", "n3", "n4"]);
    assertEquals(nodes[0].kind, "Node");
    assertEquals(nodes[0].apiVersion, "v1");
    const lists = server.requests.filter((r) => r.path === "/api/v1/nodes");
    assertEquals(lists.map((r) => r.query.get("continue")), [null, "page2", "page3"]);
    assert(lists.every((r) => r.query.get("limit") === "2" && r.query.get("labelSelector") === "a=b"));
    assertEquals(lists[0].headers.get("authorization"), `Bearer ${TOKEN}`);
    assertEquals((await kube.get(R.node, "n1"))?.metadata.name, "n1");
    assertEquals(await kube.get(R.node, "x"), undefined);
  });
});

Deno.test("listMetadata asks for PartialObjectMetadataList and keeps metadata only", async () => {
  const server = startServer(() =>
    json({
      kind: "PartialObjectMetadataList",
      metadata: {},
      items: [{ metadata: { name: "p1", namespace: "ns", labels: { a: "b" } }, spec: { ignored: true } }],
    })
  );
  const kube = await clientFor(server);
  await using(server, kube, async () => {
    const items = await kube.listMetadata(R.pod, { namespace: "ns" });
    assertEquals(items, [{
      apiVersion: "meta.k8s.io/v1",
      kind: "PartialObjectMetadata",
      metadata: { name: "p1", namespace: "ns", labels: { a: "b" } },
    }]);
    assertEquals(server.requests[0].path, "/api/v1/namespaces/ns/pods");
    assertMatch(server.requests[0].headers.get("accept") ?? "", /as=PartialObjectMetadataList;g=meta\.k8s\.io;v=v1/);
  });
});

Deno.test("writes send the right verb, content type, dryRun and impersonation headers", async () => {
  const server = startServer((req) =>
    json({ metadata: { name: "cluster" }, echo: req.body ? JSON.parse(req.body) : null })
  );
  const kube = await clientFor(server, { token: TOKEN }, { as: "alice", asGroup: ["g1", "g2"] });
  await using(server, kube, async () => {
    await kube.patch(R.networkOperator, "cluster", { spec: { migration: null } }, "merge");
    await kube.patch(R.machineConfigPool, "worker", [{ op: "replace", path: "/spec/paused", value: false }], "json", {
      dryRun: true,
    });
    await kube.create(R.configMap, { metadata: { name: "cm", namespace: "ns" }, data: { a: "1" } });
    await kube.replace(R.networkConfig, { metadata: { name: "cluster" }, status: {} }, { subresource: "status" });
    assertEquals(await kube.delete(R.pod, "p", { namespace: "ns" }), true);
    const [p1, p2, c, u, d] = server.requests;
    assertEquals([p1.method, p1.path, p1.headers.get("content-type")], [
      "PATCH",
      "/apis/operator.openshift.io/v1/networks/cluster",
      "application/merge-patch+json",
    ]);
    assertEquals(JSON.parse(p1.body), { spec: { migration: null } });
    assertEquals([p2.headers.get("content-type"), p2.query.get("dryRun")], ["application/json-patch+json", "All"]);
    assertEquals([c.method, c.path], ["POST", "/api/v1/namespaces/ns/configmaps"]);
    assertEquals([u.method, u.path], ["PUT", "/apis/config.openshift.io/v1/networks/cluster/status"]);
    assertEquals([d.method, d.path], ["DELETE", "/api/v1/namespaces/ns/pods/p"]);
    assertEquals(p1.headers.get("impersonate-user"), "alice");
    // Two header lines; the Fetch API joins them when read back.
    assertEquals(p1.headers.get("impersonate-group"), "g1, g2");
  });
});

Deno.test("reads retry 500 and honour Retry-After on 429; writes are not retried on 500 but are on 429", async () => {
  let reads = 0;
  let writes = 0;
  let throttled = 0;
  const server = startServer((req) => {
    if (req.path === "/api/v1/namespaces/ns/configmaps/flaky") {
      return ++reads < 3 ? json(statusBody(500, "InternalError", "boom"), 500) : json({ metadata: { name: "flaky" } });
    }
    if (req.path === "/api/v1/namespaces/ns/configmaps/throttled") {
      return ++throttled === 1
        ? json(statusBody(429, "TooManyRequests", "slow down"), 429, { "Retry-After": "1" })
        : json({ metadata: { name: "throttled" } });
    }
    if (req.method === "POST" && req.path === "/api/v1/namespaces/ns/configmaps") {
      writes++;
      if (writes === 1) return json(statusBody(500, "InternalError", "boom"), 500);
      if (writes === 2) return json(statusBody(429, "TooManyRequests", "later"), 429, { "Retry-After": "0" });
      return json({ metadata: { name: "created" } }, 201);
    }
    return json({}, 404);
  });
  const kube = await clientFor(server);
  await using(server, kube, async () => {
    assertEquals((await kube.get(R.configMap, "flaky", "ns"))?.metadata.name, "flaky");
    assertEquals(reads, 3);

    const before = Date.now();
    assertEquals((await kube.get(R.configMap, "throttled", "ns"))?.metadata.name, "throttled");
    const waited = Date.now() - before;
    assertEquals(throttled, 2);
    assert(waited >= 950, `Retry-After: 1 must be honoured (waited ${waited} ms)`);

    const err = await assertRejects(
      () => kube.create(R.configMap, { metadata: { name: "x", namespace: "ns" } }),
      KubeError,
    );
    assertEquals(err.status, 500);
    assertEquals(writes, 1, "a create that got 500 is not repeated");
    const created = await kube.create(R.configMap, { metadata: { name: "x", namespace: "ns" } });
    assertEquals(created.metadata.name, "created");
    assertEquals(writes, 3, "429 is retried even for a write");
  });
});

Deno.test("401 and 403 map to actionable messages; a missing API group is recognisable", async () => {
  const server = startServer((req) => {
    if (req.path.startsWith("/api/v1/nodes")) return json(statusBody(401, "Unauthorized", "Unauthorized"), 401);
    if (req.path.startsWith("/apis/operator.openshift.io")) {
      return json(
        statusBody(
          403,
          "Forbidden",
          'networks.operator.openshift.io "cluster" is forbidden: User "dev" cannot patch resource "networks" ' +
            'in API group "operator.openshift.io" at the cluster scope',
          { name: "cluster", group: "operator.openshift.io", kind: "networks" },
        ),
        403,
      );
    }
    if (req.path.startsWith("/apis/apps")) return json(statusBody(403, "Forbidden", "forbidden"), 403);
    return new Response("404 page not found", { status: 404 });
  });
  const kube = await clientFor(server);
  await using(server, kube, async () => {
    const e401 = await assertRejects(() => kube.list(R.node), KubeError);
    assertEquals(
      e401.message,
      `The server rejected your credentials (401 Unauthorized). Log in again: oc login ${server.url}`,
    );
    assertEquals(server.requests.filter((r) => r.path === "/api/v1/nodes").length, 1, "401 is not retried");

    const e403 = await assertRejects(() => kube.patch(R.networkOperator, "cluster", {}, "merge"), KubeError);
    assertEquals(
      e403.message,
      "You are not allowed to patch networks.operator.openshift.io (403). Ask a cluster administrator for the " +
        "permission, or use an account with cluster-admin.",
    );
    const e403ns = await assertRejects(() => kube.list(R.daemonSet, { namespace: "openshift-sdn" }), KubeError);
    assertMatch(e403ns.message, /^You are not allowed to list daemonsets\.apps in namespace openshift-sdn \(403\)/);

    const missing = await assertRejects(() => kube.list(R.hostSubnet), KubeError);
    assertEquals(missing.status, 404);
    assert(isMissingApi(missing));
    assertEquals(await kube.get(R.hostSubnet, "node-1"), undefined);
  });
});

Deno.test("TLS failures name the server and suggest --certificate-authority; so do hostname mismatches", async () => {
  const server = startServer(() => json({ groups: [] }), { hostname: "0.0.0.0" });
  const noCa = await clientFor(server, { token: TOKEN }, {}, { "certificate-authority-data": undefined });
  const wrongHost = await clientFor(`https://127.0.0.2:${server.port}`);
  try {
    const e = await assertRejects(() => noCa.apiGroups(), KubeError);
    assertMatch(e.message, new RegExp(`TLS certificate of the API server at ${server.url.replace(/\./g, "\\.")}`));
    assertMatch(e.hint ?? "", /--certificate-authority/);
    assertEquals(e.exitCode, 2);
    const h = await assertRejects(() => wrongHost.apiGroups(), KubeError);
    assertMatch(h.message, /127\.0\.0\.2/);
    assertMatch(h.message, /TLS certificate/);
    // --insecure-skip-tls-verify gets through.
    const insecure = await clientFor(server, { token: TOKEN }, { insecureSkipTlsVerify: true });
    assertEquals(await insecure.apiGroups(), []);
    await insecure.close?.();
  } finally {
    await noCa.close?.();
    await wrongHost.close?.();
    await server.close();
  }
});

Deno.test("a refused connection names the server and is retried only as far as the policy allows", async () => {
  const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const kube = await clientFor(`https://127.0.0.1:${port}`);
  try {
    const e = await assertRejects(() => kube.list(R.node), KubeError);
    assertEquals(e.message, `Cannot connect to the API server at https://127.0.0.1:${port}: connection refused.`);
    assertMatch(e.hint ?? "", /server URL/);
  } finally {
    await kube.close?.();
  }
});

Deno.test("canI sends one SelfSubjectAccessReview per question; apiGroups reads discovery", async () => {
  const server = startServer((req) => {
    if (req.path === "/apis") {
      return json({ kind: "APIGroupList", groups: [{ name: "apps" }, { name: "config.openshift.io" }] });
    }
    const review = JSON.parse(req.body);
    const attrs = review.spec.resourceAttributes;
    return json({
      ...review,
      status: { allowed: attrs.verb !== "delete", reason: attrs.verb === "delete" ? "no" : "" },
    }, 201);
  });
  const kube = await clientFor(server);
  await using(server, kube, async () => {
    const questions = Array.from({ length: 20 }, (_, i) => ({
      verb: i % 5 === 0 ? "delete" : "get",
      group: "config.openshift.io",
      resource: "networks",
      name: `n${i}`,
    }));
    const answers = await kube.canI(questions);
    assertEquals(answers.length, 20);
    assertEquals(answers.map((a) => a.name), questions.map((q) => q.name));
    assertEquals(answers.filter((a) => !a.allowed).length, 4);
    assertEquals(server.requests.filter((r) => r.path.endsWith("/selfsubjectaccessreviews")).length, 20);
    assertEquals(await kube.apiGroups(), ["apps", "config.openshift.io"]);
  });
});

Deno.test("--request-timeout bounds each request and a timed-out read is not retried", async () => {
  let release: () => void = () => {};
  const released = new Promise<void>((r) => release = r);
  const server = startServer(async () => {
    await released;
    return json({ groups: [] });
  });
  const kube = await clientFor(server, { token: TOKEN }, { requestTimeout: "300ms" });
  try {
    const e = await assertRejects(() => kube.apiGroups(), KubeError);
    assertMatch(e.message, /did not answer in time/);
    assertMatch(e.hint ?? "", /--request-timeout/);
    assertEquals(server.requests.length, 1);
  } finally {
    release();
    await kube.close?.();
    await server.close();
  }
});
