/** The Prometheus query API parser on literal responses, and the exec path with its fallbacks. */
import assert from "node:assert/strict";
import {
  curlCommand,
  MetricsUnavailableError,
  parsePromResponse,
  parseSampleValue,
  queryPrometheus,
} from "../../lib/metrics/prometheus.ts";
import {
  CONDITION_METRIC,
  LIVE_MIGRATION_QUERY,
  readLiveMigrationMetrics,
  toLiveMigrationMetrics,
} from "../../lib/metrics/live_migration.ts";
import { KubeError } from "../../lib/errors.ts";
import type { ExecResult, Kube } from "../../lib/kube/types.ts";

/** The documented example answer (procedures.md §7), two series. */
const DOC_RESPONSE = `{"status":"success","data":{"resultType":"vector","result":[
 {"metric":{"__name__":"openshift_network_operator_live_migration_condition","container":"network-operator",
  "endpoint":"metrics","instance":"10.0.83.62:9104","job":"metrics","namespace":"openshift-network-operator",
  "pod":"network-operator-6c87754bc6-c8qld","prometheus":"openshift-monitoring/k8s","service":"metrics",
  "type":"NetworkTypeMigrationInProgress"},"value":[1717653579.587,"1"]},
 {"metric":{"__name__":"openshift_network_operator_live_migration_condition","type":"NetworkTypeMigrationMTUReady"},
  "value":[1717653579.587,"0"]},
 {"metric":{"__name__":"openshift_network_operator_live_migration_condition","type":"NetworkTypeMigrationOriginalCNIPurged"},
  "value":[1717653579.587,"-1"]},
 {"metric":{"__name__":"openshift_network_operator_live_migration_blocked","reason":"NetworkOverlap"},
  "value":[1717653579.587,"1"]},
 {"metric":{"__name__":"openshift_network_operator_live_migration_blocked","reason":"overlapping_networks_serviceNetwork_v4InternalSubnet"},
  "value":[1717653579.587,"1"]}
]}}`;

Deno.test("parser: vector result with string values and labels", () => {
  const r = parsePromResponse(DOC_RESPONSE);
  assert.equal(r.resultType, "vector");
  if (r.resultType !== "vector") return;
  assert.equal(r.samples.length, 5);
  assert.equal(r.samples[0].labels.type, "NetworkTypeMigrationInProgress");
  assert.equal(r.samples[0].value, 1);
  assert.equal(r.samples[0].timestamp, 1717653579.587);
  assert.equal(r.samples[2].value, -1);
  assert.deepEqual(r.warnings, []);
});

Deno.test("parser: scalar, empty vector, warnings, special values", () => {
  const s = parsePromResponse(`{"status":"success","data":{"resultType":"scalar","result":[1717653579,"42"]}}`);
  assert.deepEqual(s, { resultType: "scalar", timestamp: 1717653579, value: 42, warnings: [] });
  const e = parsePromResponse(
    `{"status":"success","warnings":["PromQL info: metric might not be a counter"],"data":{"resultType":"vector","result":[]}}`,
  );
  assert.equal(e.resultType, "vector");
  assert.deepEqual(e.warnings, ["PromQL info: metric might not be a counter"]);
  assert.ok(Number.isNaN(parseSampleValue("NaN")));
  assert.equal(parseSampleValue("+Inf"), Infinity);
  assert.equal(parseSampleValue("-Inf"), -Infinity);
  assert.equal(parseSampleValue("1e3"), 1000);
  assert.throws(() => parseSampleValue(1 as unknown as string), MetricsUnavailableError);
});

Deno.test("parser: error status, non-JSON answers and odd shapes are MetricsUnavailableError with the reason", () => {
  assert.throws(
    () =>
      parsePromResponse(
        `{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:1: parse error: unexpected"}`,
      ),
    (e: Error) => e instanceof MetricsUnavailableError && /bad_data: invalid parameter "query"/.test(e.message),
  );
  assert.throws(() => parsePromResponse("404 page not found\n"), /did not answer with JSON \("404 page not found"\)/);
  assert.throws(() => parsePromResponse(`{"status":"success","data":{"resultType":"matrix","result":[]}}`), /matrix/);
  assert.throws(() =>
    parsePromResponse(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1]}]}}`)
  );
});

Deno.test("live-migration facts: blocked reasons and condition values from one answer", () => {
  const m = toLiveMigrationMetrics(parsePromResponse(DOC_RESPONSE), "prometheus-k8s-0");
  assert.deepEqual(m.blocked, ["NetworkOverlap", "overlapping_networks_serviceNetwork_v4InternalSubnet"]);
  assert.deepEqual(m.conditions, {
    NetworkTypeMigrationInProgress: "True",
    NetworkTypeMigrationMTUReady: "False",
    NetworkTypeMigrationOriginalCNIPurged: "Unknown",
  });
  assert.equal(m.evaluatedAt, 1717653579587);
  assert.equal(m.source, "prometheus-k8s-0");
});

Deno.test("curl command: plain HTTP on localhost:9090, the query URL-encoded, no shell, no token", () => {
  const cmd = curlCommand(LIVE_MIGRATION_QUERY);
  assert.equal(cmd[0], "curl");
  const url = new URL(cmd[cmd.length - 1]);
  assert.equal(url.origin, "http://localhost:9090");
  assert.equal(url.pathname, "/api/v1/query");
  assert.equal(url.searchParams.get("query"), LIVE_MIGRATION_QUERY);
  assert.ok(!cmd.some((a) => /Authorization|Bearer|\|/.test(a)));
});

type ExecFn = Kube["exec"];
const fake = (fn: (pod: string, container: string, cmd: string[]) => Promise<ExecResult>): Pick<Kube, "exec"> => ({
  exec: ((ns: string, pod: string, container: string, cmd: string[]) => {
    assert.equal(ns, "openshift-monitoring");
    return fn(pod, container, cmd);
  }) as ExecFn,
});

Deno.test("exec: prometheus-k8s-0 first, container prometheus; falls back to -1 when -0 is missing", async () => {
  const asked: string[] = [];
  const kube = fake((pod, container) => {
    asked.push(`${pod}/${container}`);
    if (pod === "prometheus-k8s-0") return Promise.reject(new KubeError("not found", 404));
    return Promise.resolve({ stdout: DOC_RESPONSE, stderr: "", exitCode: 0 });
  });
  const a = await queryPrometheus(kube, CONDITION_METRIC);
  assert.deepEqual(asked, ["prometheus-k8s-0/prometheus", "prometheus-k8s-1/prometheus"]);
  assert.equal(a.pod, "prometheus-k8s-1");
});

Deno.test("exec: both pods missing, forbidden, curl failing → metrics unavailable with the reason", async () => {
  const missing = await readLiveMigrationMetrics(fake(() => Promise.reject(new KubeError("gone", 404))));
  assert.equal(missing.available, false);
  if (!missing.available) {
    assert.match(missing.why, /pod openshift-monitoring\/prometheus-k8s-0 not found/);
    assert.match(missing.why, /prometheus-k8s-1 not found/);
  }
  let calls = 0;
  const forbidden = await readLiveMigrationMetrics(fake(() => {
    calls++;
    return Promise.reject(new KubeError("forbidden", 403));
  }));
  assert.equal(calls, 1, "403 on one pod is not retried on the other");
  if (!forbidden.available) assert.match(forbidden.why, /not allowed to exec.*pods\/exec is forbidden/);
  const curl = await readLiveMigrationMetrics(
    fake(() =>
      Promise.resolve({ stdout: "", stderr: "curl: (7) Failed to connect to localhost port 9090\n", exitCode: 7 })
    ),
  );
  if (!curl.available) assert.match(curl.why, /curl in prometheus-k8s-0 failed: curl: \(7\) Failed to connect/);
  assert.equal(curl.available, false);
  // Prometheus rejecting the query is not retried on the other replica.
  let asked = 0;
  const rejected = await readLiveMigrationMetrics(fake(() => {
    asked++;
    return Promise.resolve({
      stdout: `{"status":"error","errorType":"bad_data","error":"x"}`,
      stderr: "",
      exitCode: 0,
    });
  }));
  assert.equal(asked, 1);
  if (!rejected.available) assert.match(rejected.why, /rejected the query/);
});
