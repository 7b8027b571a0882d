/** API fault injection (issue 3 item 5) and the request log (issue 3 item 6). */
import assert from "node:assert/strict";
import { FaultInjector, isExemptPath } from "../../../sim/server/faults.ts";
import { RequestLog, type RequestRecord } from "../../../sim/server/request_log.ts";
import { FaultSpec } from "../../../sim/scenario/schema.ts";

const faults = (f: Record<string, unknown>) => FaultSpec.parse(f);
const POD_PATH = "/api/v1/namespaces/default/pods";

function outcomes(inj: FaultInjector, n: number, verb = "get", path = POD_PATH) {
  return Array.from({ length: n }, () => inj.maybeFail(verb, path)?.code ?? 0);
}

Deno.test("faults: no faults by default", () => {
  const inj = new FaultInjector(faults({}));
  assert.ok(outcomes(inj, 1000).every((c) => c === 0));
  assert.equal(inj.delayMs(), 0);
  assert.equal(inj.watchLifetimeMs(), undefined);
});

Deno.test("faults: the same seed gives the same failures; the rate and codes are honoured", () => {
  const spec = faults({ apiErrorRate: 0.3, apiErrorCodes: [500, 503, 429], retryAfterSeconds: 7 });
  const a = outcomes(new FaultInjector(spec, 42), 2000);
  const b = outcomes(new FaultInjector(spec, 42), 2000);
  const c = outcomes(new FaultInjector(spec, 43), 2000);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  const failed = a.filter((x) => x !== 0);
  assert.ok(failed.length > 450 && failed.length < 750, `~30% of 2000 failed, got ${failed.length}`);
  for (const code of [500, 503, 429]) assert.ok(failed.includes(code), `code ${code} used`);
  assert.ok(failed.every((x) => [500, 503, 429].includes(x)));

  const inj = new FaultInjector(faults({ apiErrorRate: 1, apiErrorCodes: [429], retryAfterSeconds: 7 }));
  assert.deepEqual(inj.maybeFail("list", POD_PATH), { code: 429, retryAfterSeconds: 7 });
  const five = new FaultInjector(faults({ apiErrorRate: 1, apiErrorCodes: [503] }));
  assert.deepEqual(five.maybeFail("list", POD_PATH), { code: 503 });
});

Deno.test("faults: apiErrorVerbs filters by verb", () => {
  const inj = new FaultInjector(faults({ apiErrorRate: 1, apiErrorCodes: [500], apiErrorVerbs: ["patch", "update"] }));
  assert.equal(inj.maybeFail("get", POD_PATH), undefined);
  assert.equal(inj.maybeFail("list", POD_PATH), undefined);
  assert.equal(inj.maybeFail("watch", POD_PATH), undefined);
  assert.deepEqual(inj.maybeFail("patch", "/apis/operator.openshift.io/v1/networks/cluster"), { code: 500 });
  assert.deepEqual(inj.maybeFail("update", POD_PATH + "/p"), { code: 500 });
});

Deno.test("faults: never on discovery, OpenAPI, version or the admin path", () => {
  const inj = new FaultInjector(faults({ apiErrorRate: 1, apiErrorCodes: [500] }));
  for (
    const p of [
      "/api",
      "/api/v1",
      "/apis",
      "/apis/config.openshift.io",
      "/apis/config.openshift.io/v1",
      "/apis/config.openshift.io/v1/?timeout=32s",
      "/version",
      "/openapi/v3",
      "/openapi/v3/apis/apps/v1",
      "/openapi/v2",
      "/_sim/requests",
      "/healthz",
    ]
  ) {
    assert.ok(isExemptPath(p), p);
    assert.equal(inj.maybeFail("get", p), undefined, p);
  }
  for (const p of ["/api/v1/nodes", "/apis/config.openshift.io/v1/networks", "/api/v1/namespaces/a/pods/b/exec"]) {
    assert.ok(!isExemptPath(p), p);
    assert.deepEqual(inj.maybeFail("get", p), { code: 500 }, p);
  }
});

Deno.test("faults: set() changes faults at run time; latency and watch lifetime", () => {
  const inj = new FaultInjector(faults({ slowResponseMs: 25, dropWatchesAfterSeconds: 3 }));
  assert.equal(inj.delayMs(), 25);
  assert.equal(inj.watchLifetimeMs(), 3000);
  assert.equal(inj.maybeFail("get", POD_PATH), undefined);
  inj.set({ apiErrorRate: 1, apiErrorCodes: [503] });
  assert.deepEqual(inj.maybeFail("get", POD_PATH), { code: 503 });
  assert.equal(inj.delayMs(), 25, "fields not given keep their values");
  inj.set({ apiErrorRate: 0, slowResponseMs: 0, dropWatchesAfterSeconds: undefined });
  assert.equal(inj.maybeFail("get", POD_PATH), undefined);
  assert.equal(inj.delayMs(), 0);
  assert.equal(inj.watchLifetimeMs(), undefined);
});

function rec(r: Partial<RequestRecord>): RequestRecord {
  return {
    at: 0,
    user: "kube:admin",
    verb: "get",
    method: "GET",
    path: "/api/v1/nodes",
    apiGroup: "",
    resource: "nodes",
    code: 200,
    bytesIn: 0,
    bytesOut: 100,
    ms: 1,
    ...r,
  };
}

Deno.test("request log: summary per verb and resource, writes exclude exec", () => {
  const log = new RequestLog();
  log.record(rec({ verb: "list", bytesOut: 1000 }));
  log.record(rec({ verb: "get", name: "n1", bytesOut: 200 }));
  log.record(rec({ verb: "watch", bytesOut: 50 }));
  log.record(rec({
    verb: "patch",
    method: "PATCH",
    apiGroup: "operator.openshift.io",
    resource: "networks",
    name: "cluster",
    bytesIn: 60,
    bytesOut: 900,
  }));
  log.record(rec({
    verb: "create",
    resource: "pods",
    subresource: "exec",
    namespace: "openshift-monitoring",
    user: "system:admin",
    bytesIn: 5,
    bytesOut: 40,
    code: 101,
  }));
  log.record(rec({ verb: "update", resource: "nodes", subresource: "status", name: "n1", bytesIn: 10, bytesOut: 10 }));
  log.record(rec({ verb: "get", resource: "", path: "/apis", bytesOut: 3000 }));

  const s = log.summary();
  assert.equal(s.total, 7);
  assert.equal(s.writes, 2);
  assert.equal(s.bytesIn, 75);
  assert.equal(s.bytesOut, 1000 + 200 + 50 + 900 + 40 + 10 + 3000);
  assert.deepEqual(s.byVerb, { list: 1, get: 2, watch: 1, patch: 1, create: 1, update: 1 });
  assert.deepEqual(s.byResource, {
    nodes: { count: 3, bytesOut: 1250 },
    "networks.operator.openshift.io": { count: 1, bytesOut: 900 },
    "pods/exec": { count: 1, bytesOut: 40 },
    "nodes/status": { count: 1, bytesOut: 10 },
    "/apis": { count: 1, bytesOut: 3000 },
  });
  assert.deepEqual(log.writes().map((r) => r.verb), ["patch", "update"]);
  assert.equal(log.records().length, 7);
  assert.equal(log.records({ verb: "get" }).length, 2);
  assert.equal(log.records({ resource: "nodes", verb: "get" }).length, 1);
  assert.equal(log.records({ user: "system:admin" })[0].subresource, "exec");

  // the summary is a snapshot: callers cannot corrupt the running totals
  s.byVerb.get = 99;
  s.byResource.nodes.count = 99;
  assert.equal(log.summary().byVerb.get, 2);
  assert.equal(log.summary().byResource.nodes.count, 3);

  log.clear();
  assert.deepEqual(log.summary(), { total: 0, writes: 0, bytesIn: 0, bytesOut: 0, byVerb: {}, byResource: {} });
  assert.equal(log.records().length, 0);
  assert.equal(log.writes().length, 0);
});
