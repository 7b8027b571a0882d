/**
 * The HTTP API beyond kubectl's everyday use: metadata-only lists and gets (`as=PartialObjectMetadataList`,
 * kind PartialObjectMetadataList, apiVersion meta.k8s.io/v1), paging tokens, injected faults (429 with
 * Retry-After, 5xx) before handling, the request log with kube-apiserver's verb mapping, the admin path
 * under /_sim, and the OpenAPI v3 documents kubectl's field-validation check reads.
 */
import assert from "node:assert/strict";
import { ALICE_TOKEN, api, startTestSim } from "./helpers.ts";

const META_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

Deno.test("metadata-only list and get return PartialObjectMetadata", async () => {
  const sim = await startTestSim();
  try {
    const r = await api(sim, "/api/v1/pods?limit=2", { headers: { Accept: META_LIST } });
    assert.equal(r.status, 200);
    assert.equal(r.body.kind, "PartialObjectMetadataList");
    assert.equal(r.body.apiVersion, "meta.k8s.io/v1");
    assert.equal(r.body.items.length, 2);
    assert.deepEqual(Object.keys(r.body.items[0]).sort(), ["apiVersion", "kind", "metadata"]);
    assert.equal(r.body.items[0].kind, "PartialObjectMetadata");
    assert.equal(r.body.metadata.remainingItemCount, 1);
    const next = await api(sim, `/api/v1/pods?limit=2&continue=${encodeURIComponent(r.body.metadata.continue)}`, {
      headers: { Accept: META_LIST },
    });
    assert.deepEqual(next.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ["web-2"]);
    assert.equal(next.body.metadata.continue, undefined);
    const one = await api(sim, "/api/v1/namespaces/default/pods/web-1", {
      headers: { Accept: "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1" },
    });
    assert.equal(one.body.kind, "PartialObjectMetadata");
    assert.equal(one.body.metadata.name, "web-1");
    assert.equal(one.body.spec, undefined);
  } finally {
    await sim.stopAll();
  }
});

Deno.test("injected 429 carries Retry-After; 5xx come before any handling", async () => {
  const sim = await startTestSim();
  try {
    sim.faults.set({ apiErrorRate: 1, apiErrorCodes: [429], retryAfterSeconds: 7 });
    const r = await api(sim, "/api/v1/namespaces/default/pods");
    assert.equal(r.status, 429);
    assert.equal(r.headers.get("retry-after"), "7");
    assert.equal(r.body.reason, "TooManyRequests");
    // Discovery is never faulted.
    assert.equal((await api(sim, "/api/v1")).status, 200);
    sim.faults.set({ apiErrorCodes: [503], apiErrorVerbs: ["create"] });
    const w = await api(sim, "/api/v1/namespaces/default/configmaps", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ metadata: { name: "x" } }),
    });
    assert.equal(w.status, 503);
    assert.equal(sim.store.get("core/configmaps", "default", "x"), undefined);
    assert.equal((await api(sim, "/api/v1/namespaces/default/configmaps")).status, 200);
  } finally {
    await sim.stopAll();
  }
});

Deno.test("the request log records verbs as kube-apiserver names them, with bytes", async () => {
  const sim = await startTestSim();
  try {
    sim.requestLog.clear();
    await api(sim, "/api/v1/namespaces/default/pods");
    await api(sim, "/api/v1/namespaces/default/pods/web-1");
    await api(sim, "/api/v1/namespaces/default/pods/web-1", {
      method: "PATCH",
      headers: { "Content-Type": "application/merge-patch+json" },
      body: '{"metadata":{"labels":{"x":"1"}}}',
    });
    await api(
      sim,
      "/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=1&resourceVersion=" + sim.store.resourceVersion(),
    );
    const recs = sim.requestLog.records();
    assert.deepEqual(recs.map((r) => r.verb), ["list", "get", "patch", "watch"]);
    assert.ok(recs.every((r) => r.user === "kube:admin" && r.resource === "pods" && r.namespace === "default"));
    assert.ok(recs[0].bytesOut > 100);
    assert.equal(recs[2].bytesIn, '{"metadata":{"labels":{"x":"1"}}}'.length);
    assert.equal(sim.requestLog.summary().writes, 1);
  } finally {
    await sim.stopAll();
  }
});

Deno.test("admin path: request summary, clearing, faults; cluster admins only", async () => {
  const sim = await startTestSim();
  try {
    assert.deepEqual((await api(sim, "/_sim/healthz", { token: null })).body, { ok: true });
    await api(sim, "/api/v1/nodes");
    const got = await api(sim, "/_sim/requests?verb=list");
    assert.equal(got.status, 200);
    assert.equal(got.body.summary.byVerb.list, 1);
    assert.equal(got.body.records[0].resource, "nodes");
    assert.equal((await api(sim, "/_sim/requests", { token: ALICE_TOKEN })).status, 403);
    assert.equal((await api(sim, "/_sim/requests", { token: null })).status, 401);
    assert.equal((await api(sim, "/_sim/requests", { method: "DELETE" })).status, 200);
    assert.equal(sim.requestLog.summary().total, 0);
    const f = await api(sim, "/_sim/faults", { method: "PUT", body: JSON.stringify({ slowResponseMs: 5 }) });
    assert.equal(f.body.slowResponseMs, 5);
    assert.equal(sim.faults.delayMs(), 5);
  } finally {
    await sim.stopAll();
  }
});

Deno.test("OpenAPI v3 lists every group version with PATCH operations that take fieldValidation", async () => {
  const sim = await startTestSim();
  try {
    const root = await api(sim, "/openapi/v3");
    assert.ok(root.body.paths["api/v1"]);
    const url: string = root.body.paths["apis/config.openshift.io/v1"].serverRelativeURL;
    const doc = await api(sim, url);
    const op = doc.body.paths["/apis/config.openshift.io/v1/networks/{name}"].patch;
    assert.deepEqual(op["x-kubernetes-group-version-kind"], {
      group: "config.openshift.io",
      version: "v1",
      kind: "Network",
    });
    assert.ok(op.parameters.some((p: { name: string }) => p.name === "fieldValidation"));
  } finally {
    await sim.stopAll();
  }
});
