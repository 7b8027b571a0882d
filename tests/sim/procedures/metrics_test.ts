/**
 * procedures.md §7 "Checking limited live migration metrics": the documented exec into prometheus-k8s-0 with curl
 * returns Prometheus JSON for `openshift_network_operator_live_migration_condition` (cluster-behaviour.md §3) that
 * agrees with the conditions on network.config (§2.3) while a live migration runs.
 */
import assert from "node:assert/strict";
import type { Obj } from "../../../sim/store.ts";
import { cond, type ProcedureSim, startProcedureSim } from "./kubectl.ts";
import { LIVE_TRIGGER_PATCH, promQuery } from "./scripts.ts";

const TIME_SCALE = 200;
const METRIC = "openshift_network_operator_live_migration_condition";
const VALUE: Record<string, string> = { True: "1", False: "0", Unknown: "-1" };

/** The condition metric as {type: value} through the documented exec. */
async function conditionMetric(p: ProcedureSim, token = "x"): Promise<Record<string, string>> {
  const body = JSON.parse(await p.shOk(promQuery(METRIC, token)));
  assert.equal(body.status, "success");
  assert.equal(body.data.resultType, "vector");
  return Object.fromEntries((body.data.result as Obj[]).map((r) => {
    assert.equal(r.metric.__name__, METRIC);
    assert.equal(r.metric.namespace, "openshift-network-operator");
    return [r.metric.type, r.value[1]];
  }));
}

const fromConditions = (n: Obj): Record<string, string> =>
  Object.fromEntries((n.status.conditions as Obj[]).map((c) => [c.type, VALUE[c.status]]));

Deno.test("§7 on sdn-paused-pool: during the stalled live migration the documented exec shows the §2.3 conditions", async () => {
  // The paused worker pool never takes the MTU config (cluster-behaviour.md §2.5), so the migration stays in
  // progress and the Prometheus pods (on workers) are never drained: a stable state to query.
  const p = await startProcedureSim("sdn-paused-pool", TIME_SCALE);
  try {
    assert.deepEqual(await conditionMetric(p), {}, "not published before the annotation");
    const initial = (await p.getJson(["get", "mcp", "master"])).status.configuration.name;
    await p.ok(["patch", "Network.config.openshift.io", "cluster", "--type=merge", "--patch", LIVE_TRIGGER_PATCH]);
    await p.pollJson(
      "master rolled out the MTU config",
      ["get", "mcp", "master"],
      (m) => m.status.configuration.name !== initial && cond(m, "Updated")?.status === "True",
    );
    const stalled = await p.pollJson(
      "stalled at MTUReady",
      ["get", "network.config", "cluster"],
      (n) =>
        cond(n, "NetworkTypeMigrationTargetCNIAvailable")?.status === "True" &&
        cond(n, "NetworkTypeMigrationMTUReady")?.reason === "MachineConfigNotApplied",
    );
    assert.equal(cond(stalled, "NetworkTypeMigrationInProgress")?.status, "True");
    const worker = await p.getJson(["get", "mcp", "worker"]);
    assert.match(
      cond(worker, "Updating")!.message,
      /^Pool is paused; will not update to MachineConfig rendered-worker-/,
    );
    await p.sim.clock.sleep(30_000);
    const now = await p.getJson(["get", "network.config", "cluster"]);
    assert.deepEqual(await conditionMetric(p), fromConditions(now));
    assert.deepEqual(await conditionMetric(p), {
      NetworkTypeMigrationInProgress: "1",
      NetworkTypeMigrationMTUReady: "0",
      NetworkTypeMigrationTargetCNIAvailable: "1",
      NetworkTypeMigrationTargetCNIInUse: "0",
      NetworkTypeMigrationOriginalCNIPurged: "0",
    });
  } finally {
    await p.stop();
  }
});

// The MCO drain evicts openshift-monitoring/prometheus-k8s-{0,1}; their StatefulSet brings them back by name (§5).
Deno.test({
  name: "§7 on sdn-small: prometheus-k8s-0 survives the rollouts; after completion InProgress 0, the others -1 (§3)",
  async fn() {
    const p = await startProcedureSim("sdn-small", TIME_SCALE);
    try {
      await p.ok(["patch", "Network.config.openshift.io", "cluster", "--type=merge", "--patch", LIVE_TRIGGER_PATCH]);
      const done = await p.pollJson(
        "complete",
        ["get", "network.config", "cluster"],
        (n) => cond(n, "NetworkTypeMigrationInProgress")?.reason === "NetworkTypeMigrationCompleted",
        180_000,
      );
      await p.ok([
        "-n",
        "openshift-monitoring",
        "wait",
        "pod/prometheus-k8s-0",
        "--for=condition=Ready",
        "--timeout=60s",
      ]);
      const metric = await conditionMetric(p);
      assert.deepEqual(metric, fromConditions(done));
      assert.equal(metric.NetworkTypeMigrationInProgress, "0");
      assert.equal(metric.NetworkTypeMigrationMTUReady, "-1");
    } finally {
      await p.stop();
    }
  },
});

Deno.test({
  name: "§7 step 2.1: `kubectl create token prometheus-k8s -n openshift-monitoring` prints a token usable in the query",
  async fn() {
    const p = await startProcedureSim("sdn-small", TIME_SCALE);
    try {
      const token = (await p.ok(["create", "token", "prometheus-k8s", "-n", "openshift-monitoring"])).trim();
      assert.match(token, /^[A-Za-z0-9._-]{20,}$/);
      assert.deepEqual(await conditionMetric(p, token), {});
    } finally {
      await p.stop();
    }
  },
});
