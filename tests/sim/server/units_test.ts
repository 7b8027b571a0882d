/**
 * Unit tests of the server's pure parts: request info as kube-apiserver's RequestInfoFactory derives it,
 * the three PATCH formats (RFC 7386, RFC 6902 with `test`, strategic merge with patchMergeKey and
 * directives), and the Table JSONPath used for CRD printer columns.
 */
import assert from "node:assert/strict";
import { parseRequest } from "../../../sim/server/router.ts";
import { jsonPatch, mergePatch, strategicMergePatch } from "../../../sim/server/patch.ts";
import { HttpError } from "../../../sim/server/status.ts";
import { humanAge, jsonPathValues } from "../../../sim/server/table.ts";

const q = (s = "") => new URLSearchParams(s);

Deno.test("router: verbs and scopes as RequestInfoFactory derives them", () => {
  const list = parseRequest("GET", "/api/v1/namespaces/ns1/pods", q());
  assert.deepEqual([list.verb, list.apiGroup, list.namespace, list.resource, list.name], [
    "list",
    "",
    "ns1",
    "pods",
    undefined,
  ]);
  assert.equal(parseRequest("GET", "/api/v1/pods", q("watch=1")).verb, "watch");
  const w = parseRequest("GET", "/apis/apps/v1/watch/namespaces/x/daemonsets/ds", q());
  assert.deepEqual([w.verb, w.apiGroup, w.namespace, w.resource, w.name], ["watch", "apps", "x", "daemonsets", "ds"]);
  const st = parseRequest("PUT", "/apis/machineconfiguration.openshift.io/v1/machineconfigpools/worker/status", q());
  assert.deepEqual([st.verb, st.resource, st.name, st.subresource], [
    "update",
    "machineconfigpools",
    "worker",
    "status",
  ]);
  const ns = parseRequest("PUT", "/api/v1/namespaces/foo/finalize", q());
  assert.deepEqual([ns.resource, ns.name, ns.subresource, ns.namespace], ["namespaces", "foo", "finalize", "foo"]);
  assert.equal(parseRequest("DELETE", "/api/v1/namespaces/a/pods", q()).verb, "deletecollection");
  assert.equal(parseRequest("POST", "/api/v1/namespaces/a/pods/p/exec", q()).subresource, "exec");
  const d = parseRequest("GET", "/apis/config.openshift.io/v1", q());
  assert.equal(d.isResource, false);
});

Deno.test("merge patch: null deletes, objects merge, arrays replace", () => {
  assert.deepEqual(
    mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { a: null, b: { c: 5 }, l: [3] }),
    { b: { c: 5, d: 3 }, l: [3] },
  );
  assert.deepEqual(mergePatch({ spec: { migration: { networkType: "X" } } }, { spec: { migration: null } }), {
    spec: {},
  });
});

Deno.test("JSON patch: add/remove/replace/move/copy/test; a failed test is a 422", () => {
  const doc = { a: [1, 2], b: { c: "x" } };
  assert.deepEqual(
    jsonPatch(doc, [
      { op: "add", path: "/a/-", value: 3 },
      { op: "add", path: "/a/0", value: 0 },
      { op: "replace", path: "/b/c", value: "y" },
      { op: "copy", from: "/b/c", path: "/d" },
      { op: "move", from: "/d", path: "/e~1f" },
      { op: "remove", path: "/a/1" },
      { op: "test", path: "/b", value: { c: "y" } },
    ]),
    { a: [0, 2, 3], b: { c: "y" }, "e/f": "y" },
  );
  assert.deepEqual(doc, { a: [1, 2], b: { c: "x" } }, "input untouched");
  assert.throws(() => jsonPatch(doc, [{ op: "test", path: "/b/c", value: "z" }]), (e: unknown) => {
    assert.ok(e instanceof HttpError);
    assert.equal(e.code, 422);
    assert.match(JSON.stringify(e.details), /testing value \/b\/c failed/);
    return true;
  });
  assert.throws(() => jsonPatch(doc, [{ op: "remove", path: "/nope" }]), HttpError);
});

Deno.test("strategic merge: lists merged by patchMergeKey, $patch directives, finalizers as a set", () => {
  const pod = {
    metadata: { finalizers: ["a"] },
    spec: {
      containers: [{ name: "c1", image: "i1", env: [{ name: "X", value: "1" }], ports: [{ containerPort: 80 }] }],
      tolerations: [{ key: "k" }],
    },
    status: { conditions: [{ type: "Ready", status: "False" }, { type: "Initialized", status: "True" }] },
  };
  const out = strategicMergePatch(pod, {
    metadata: { finalizers: ["b"] },
    spec: {
      containers: [{ name: "c1", env: [{ name: "Y", value: "2" }], ports: [{ containerPort: 443 }] }, {
        name: "c2",
        image: "i2",
      }],
      tolerations: [{ key: "other" }],
    },
    status: { conditions: [{ type: "Ready", status: "True" }] },
  });
  assert.deepEqual(out.metadata.finalizers, ["a", "b"]);
  assert.deepEqual(out.spec.containers[0].env, [{ name: "X", value: "1" }, { name: "Y", value: "2" }]);
  assert.deepEqual(out.spec.containers[0].ports, [{ containerPort: 80 }, { containerPort: 443 }]);
  assert.equal(out.spec.containers[0].image, "i1");
  assert.equal(out.spec.containers[1].name, "c2");
  assert.deepEqual(out.spec.tolerations, [{ key: "other" }]);
  assert.deepEqual(out.status.conditions, [{ type: "Ready", status: "True" }, { type: "Initialized", status: "True" }]);
  const del = strategicMergePatch(pod, {
    spec: { containers: [{ name: "c1", $patch: "delete" }] },
    metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] },
  });
  assert.deepEqual(del.spec.containers, []);
  assert.deepEqual(del.metadata.finalizers, []);
  assert.deepEqual(strategicMergePatch(pod, { spec: { $patch: "replace", x: 1 } }).spec, { x: 1 });
});

Deno.test("printer-column JSONPath and ages", () => {
  const co = {
    status: {
      conditions: [{ type: "Available", status: "True" }, { type: "Degraded", status: "False" }],
      versions: [{ name: "operator", version: "4.16.20" }],
    },
  };
  assert.deepEqual(jsonPathValues(co, '.status.conditions[?(@.type=="Degraded")].status'), ["False"]);
  assert.deepEqual(jsonPathValues(co, ".status.conditions[*].type"), ["Available", "Degraded"]);
  assert.deepEqual(jsonPathValues({ metadata: { annotations: { "a.b/c": "v" } } }, ".metadata.annotations.a\\.b/c"), [
    "v",
  ]);
  assert.equal(humanAge(45_000), "45s");
  assert.equal(humanAge(5 * 60_000), "5m");
  assert.equal(humanAge(3 * 86_400_000), "3d");
});
