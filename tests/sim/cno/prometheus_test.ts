/** The simulated Prometheus exec handler (cluster-behaviour.md §3, procedures.md §7). */
import assert from "node:assert/strict";
import type { Obj } from "../../../sim/store.ts";
import type { SimContext } from "../../../sim/types.ts";
import { K, newFixture } from "./fixture.ts";

function exec(ctx: SimContext, command: string[], pod = "prometheus-k8s-0", container = "prometheus") {
  const p = ctx.store.get(K.pod, "openshift-monitoring", pod) ??
    { metadata: { name: pod, namespace: "openshift-monitoring" } };
  return ctx.exec.run({
    namespace: "openshift-monitoring",
    pod: p,
    container,
    command,
    stdin: new Uint8Array(),
    tty: false,
    user: "kube:admin",
  });
}

function seedMetrics(ctx: SimContext): void {
  const m = ctx.metrics;
  m.describe("openshift_network_operator_live_migration_condition", "test");
  m.set("openshift_network_operator_live_migration_condition", { type: "NetworkTypeMigrationInProgress" }, 1);
  m.set("openshift_network_operator_live_migration_condition", { type: "NetworkTypeMigrationMTUReady" }, 0);
  m.set("openshift_network_operator_live_migration_condition", { type: "NetworkTypeMigrationTargetCNIInUse" }, -1);
}

Deno.test("§3 documented query with --data-urlencode answers the Prometheus vector JSON with target labels", async () => {
  const f = newFixture();
  try {
    seedMetrics(f.ctx);
    const r = await exec(f.ctx, [
      "curl",
      "-s",
      "http://localhost:9090/api/v1/query",
      "--data-urlencode",
      "query=openshift_network_operator_live_migration_condition",
    ]);
    assert.equal(r.exitCode, 0);
    const body = JSON.parse(r.stdout!);
    assert.equal(body.status, "success");
    assert.equal(body.data.resultType, "vector");
    assert.equal(body.data.result.length, 3);
    const inProgress = body.data.result.find((x: Obj) => x.metric.type === "NetworkTypeMigrationInProgress");
    assert.equal(inProgress.metric.__name__, "openshift_network_operator_live_migration_condition");
    assert.equal(inProgress.metric.namespace, "openshift-network-operator");
    assert.equal(inProgress.metric.job, "metrics");
    assert.equal(inProgress.value[1], "1");
    assert.equal(typeof inProgress.value[0], "number");
    assert.ok(Math.abs(inProgress.value[0] - f.ctx.clock.now() / 1000) < 3600);
    assert.equal(
      body.data.result.find((x: Obj) => x.metric.type === "NetworkTypeMigrationTargetCNIInUse").value[1],
      "-1",
    );
    assert.equal(Object.keys(inProgress.metric)[0], "__name__");
  } finally {
    f.stop();
  }
});

Deno.test("§3 matchers, aggregations, -G, query string and sh -c forms", async () => {
  const f = newFixture();
  try {
    seedMetrics(f.ctx);
    const q = async (cmd: string[]) => JSON.parse((await exec(f.ctx, cmd)).stdout!);
    let b = await q([
      "curl",
      "-sG",
      "http://localhost:9090/api/v1/query",
      "--data-urlencode",
      'query=openshift_network_operator_live_migration_condition{type=~".*MTU.*"}',
    ]);
    assert.deepEqual(b.data.result.map((x: Obj) => x.metric.type), ["NetworkTypeMigrationMTUReady"]);
    b = await q([
      "curl",
      "-s",
      "http://localhost:9090/api/v1/query?query=" +
      encodeURIComponent(
        'count(openshift_network_operator_live_migration_condition{type!="NetworkTypeMigrationMTUReady"})',
      ),
    ]);
    assert.deepEqual(b.data.result, [{ metric: {}, value: [b.data.result[0].value[0], "2"] }]);
    b = await q([
      "sh",
      "-c",
      `curl -s 'http://localhost:9090/api/v1/query' --data-urlencode 'query=max by (type) (openshift_network_operator_live_migration_condition{type!~"NetworkTypeMigration(MTU|Target).*"})'`,
    ]);
    assert.deepEqual(b.data.result.map((x: Obj) => [x.metric, x.value[1]]), [[{
      type: "NetworkTypeMigrationInProgress",
    }, "1"]]);
    b = await q([
      "curl",
      "-s",
      "http://localhost:9090/api/v1/query",
      "-d",
      "query=sum(openshift_network_operator_live_migration_condition)",
    ]);
    assert.equal(b.data.result[0].value[1], "0");
    b = await q([
      "curl",
      "-s",
      "http://localhost:9090/api/v1/query",
      "--data-urlencode",
      "query=openshift_network_operator_live_migration_blocked",
    ]);
    assert.deepEqual(b, { status: "success", data: { resultType: "vector", result: [] } });
    b = await q([
      "curl",
      "-s",
      "http://localhost:9090/api/v1/query",
      "--data-urlencode",
      'query=up{namespace="openshift-network-operator"}',
    ]);
    assert.equal(b.data.result[0].value[1], "1");
    b = await q([
      "curl",
      "-s",
      "http://localhost:9090/api/v1/query",
      "--data-urlencode",
      "query=openshift_network_operator_live_migration_condition == -1",
    ]);
    assert.deepEqual(b.data.result.map((x: Obj) => x.metric.type), ["NetworkTypeMigrationTargetCNIInUse"]);
  } finally {
    f.stop();
  }
});

Deno.test("§3 parse errors answer bad_data with curl exit 0 (exit 22 with -f)", async () => {
  const f = newFixture();
  try {
    let r = await exec(f.ctx, [
      "curl",
      "-s",
      "http://localhost:9090/api/v1/query",
      "--data-urlencode",
      "query=sum(foo",
    ]);
    assert.equal(r.exitCode, 0);
    const b = JSON.parse(r.stdout!);
    assert.equal(b.status, "error");
    assert.equal(b.errorType, "bad_data");
    assert.match(b.error, /^invalid parameter "query": .*parse error/);
    r = await exec(f.ctx, ["curl", "-sf", "http://localhost:9090/api/v1/query", "--data-urlencode", "query=foo{"]);
    assert.equal(r.exitCode, 22);
    r = await exec(f.ctx, [
      "curl",
      "-s",
      "-w",
      "%{http_code}",
      "-o",
      "/dev/null",
      "http://localhost:9090/api/v1/query?query=%7B%7D",
    ]);
    assert.equal(r.stdout, "400");
  } finally {
    f.stop();
  }
});

Deno.test("§3 the documentation's literal command fails like curl; other commands and containers exit 127", async () => {
  const f = newFixture();
  try {
    // procedures.md §7: the doc prints a placeholder URL, which curl rejects.
    let r = await exec(f.ctx, [
      "curl",
      "-k",
      "-H",
      "Authorization: <eyJhbGciOiJSUzI1NiIsImtpZCI6IlZiSUtwclcwbEJ2VW9We...>",
      "https://<openshift_API_endpoint>",
      "--data-urlencode",
      "query=openshift_network_operator_live_migration_condition",
    ]);
    assert.notEqual(r.exitCode, 0);
    assert.match(r.stderr!, /^curl: \(\d+\) /);
    r = await exec(f.ctx, [
      "curl",
      "-k",
      "-s",
      "-H",
      "Authorization: Bearer abc",
      "https://thanos-querier.openshift-monitoring.svc:9091/api/v1/query",
      "--data-urlencode",
      "query=up",
    ]);
    assert.equal(JSON.parse(r.stdout!).status, "success");
    r = await exec(f.ctx, ["ls", "/"]);
    assert.equal(r.exitCode, 127);
    r = await exec(
      f.ctx,
      ["curl", "-s", "http://localhost:9090/api/v1/query?query=up"],
      "prometheus-k8s-0",
      "config-reloader",
    );
    assert.equal(r.exitCode, 127);
    r = await exec(f.ctx, ["curl", "-s", "http://localhost:9091/api/v1/query?query=up"]);
    assert.equal(r.exitCode, 7);
  } finally {
    f.stop();
  }
});

Deno.test("§3 live-migration metrics published by the CNO are queryable through Prometheus", async () => {
  const f = newFixture({}, {
    objects: [[K.pod, {
      metadata: {
        name: "egress",
        namespace: "egress-ns",
        annotations: { "pod.network.openshift.io/assign-macvlan": "true" },
      },
      spec: { containers: [{ name: "c" }] },
    }]],
  });
  try {
    f.ctx.store.mutate(K.networkConfig, undefined, "cluster", (o) => {
      o.metadata.annotations = { "network.openshift.io/network-type-migration": "" };
      o.spec.networkType = "OVNKubernetes";
    });
    let reasons: string[] = [];
    for (let i = 0; i < 400 && !reasons.length; i++) {
      await new Promise((r) => setTimeout(r, 5));
      const r = await exec(f.ctx, [
        "curl",
        "-s",
        "http://localhost:9090/api/v1/query?query=openshift_network_operator_live_migration_blocked",
      ]);
      reasons = JSON.parse(r.stdout!).data.result.map((x: Obj) => x.metric.reason);
    }
    assert.deepEqual(reasons, ["UnsupportedMACVLANInterface"]);
  } finally {
    f.stop();
  }
});
