/** Phase inference and problems on hand-made cluster views, and per-section error rows from collectView. */
import assert from "node:assert/strict";
import type { Kube, KubeObject } from "../../lib/kube/types.ts";
import { KubeError } from "../../lib/errors.ts";
import { collectView } from "../../lib/status/collect.ts";
import { inferPhase, liveStep } from "../../lib/status/phase.ts";
import { buildSnapshot } from "../../lib/status/snapshot.ts";
import { type ClusterView, emptyView, isError } from "../../lib/status/types.ts";

const cond = (type: string, status: string, reason = "", message = "") => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: "2026-01-01T00:00:00Z",
});
const N = "NetworkTypeMigration";

function liveConfig(conds: ReturnType<typeof cond>[], status: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name: "cluster", annotations: { "network.openshift.io/network-type-migration": "" } },
    spec: { networkType: "OVNKubernetes" },
    status: { networkType: "OpenShiftSDN", conditions: conds, ...status },
  };
}

const pool = (name: string, extra: Record<string, unknown> = {}, conds: ReturnType<typeof cond>[] = []) => ({
  metadata: { name },
  spec: { configuration: { name: `rendered-${name}-b` }, ...extra },
  status: {
    configuration: { name: `rendered-${name}-a` },
    machineCount: 3,
    updatedMachineCount: 1,
    readyMachineCount: 1,
    degradedMachineCount: 0,
    conditions: [cond("Updating", "True"), ...conds],
  },
});

function view(v: Partial<ClusterView>): ClusterView {
  return { ...emptyView(), ...v };
}

Deno.test("liveStep: the §2.4 timeline maps to steps 1–4", () => {
  const started = [cond(`${N}InProgress`, "True", `${N}Started`)];
  assert.equal(liveStep(liveConfig([...started, cond(`${N}TargetCNIAvailable`, "False", `${N}Initialized`)])).step, 1);
  assert.equal(liveStep(liveConfig([...started, cond(`${N}TargetCNIAvailable`, "True")])).step, 2);
  const mtu = { migration: { networkType: "OpenShiftSDN", mtu: { network: { from: 1450, to: 1400 } } } };
  assert.equal(
    liveStep(liveConfig([...started, cond(`${N}MTUReady`, "False", "MachineConfigPoolsUpdating")], mtu)).step,
    2,
  );
  assert.equal(liveStep(liveConfig([...started, cond(`${N}MTUReady`, "True")], mtu)).step, 3);
  assert.equal(
    liveStep(liveConfig([...started, cond(`${N}TargetCNIInUse`, "False", "MachineConfigPoolsUpdating")], {
      networkType: "OVNKubernetes",
    })).step,
    3,
  );
  assert.equal(liveStep(liveConfig([...started, cond(`${N}TargetCNIInUse`, "True")])).step, 4);
});

Deno.test("a degraded pool during a live migration: failed, with the node's reason and where to read", () => {
  const v = view({
    networkConfig: liveConfig([
      cond(`${N}InProgress`, "True"),
      cond(`${N}MTUReady`, "False", "MachineConfigPoolDegraded"),
    ], {
      migration: { networkType: "OpenShiftSDN", mtu: {} },
    }),
    pools: [
      pool("worker", {}, [
        cond("Degraded", "True"),
        cond("NodeDegraded", "True", "", 'Node worker-1 is reporting: "boom"'),
      ]),
    ],
    nodes: [{
      metadata: {
        name: "worker-1",
        annotations: {
          "machineconfiguration.openshift.io/state": "Degraded",
          "machineconfiguration.openshift.io/reason": "unexpected on-disk state",
        },
      },
      status: { conditions: [cond("Ready", "True")] },
    }],
  });
  const s = buildSnapshot(v);
  assert.equal(s.phase.state, "failed");
  assert.equal(s.phase.step, 2);
  const p = s.problems.find((x) => x.reason === "MachineConfigPoolDegraded")!;
  assert.match(p.message, /worker is degraded: Node worker-1 is reporting/);
  assert.match(p.fix[0], /worker-1: unexpected on-disk state/);
  assert.ok(!isError(s.nodes) && s.nodes.laggards[0].name === "worker-1");
});

Deno.test("a paused pool during the live rollouts blocks, with the unpause command", () => {
  const v = view({
    networkConfig: liveConfig([
      cond(`${N}InProgress`, "True"),
      cond(`${N}MTUReady`, "False", "MachineConfigNotApplied"),
    ], {
      migration: { networkType: "OpenShiftSDN", mtu: {} },
    }),
    pools: [pool("master"), pool("worker", { paused: true })],
  });
  const s = buildSnapshot(v);
  assert.equal(s.phase.state, "blocked");
  const p = s.problems.find((x) => x.reason === "MachineConfigPoolPaused")!;
  assert.deepEqual(p.fix, [`oc patch mcp/worker --type merge -p '{"spec":{"paused":false}}'`]);
});

Deno.test("offline: CNO rejecting the operator config is failed, with the message", () => {
  const v = view({
    networkConfig: {
      metadata: { name: "cluster" },
      spec: { networkType: "OpenShiftSDN" },
      status: { networkType: "OpenShiftSDN" },
    },
    networkOperator: { metadata: { name: "cluster" }, spec: { migration: { networkType: "OVNKubernetes" } } },
    clusterOperators: [{
      metadata: { name: "network" },
      status: {
        conditions: [
          cond("Degraded", "True", "InvalidOperatorConfig", "Not applying unsafe configuration change"),
          cond("Available", "True"),
          cond("Progressing", "False"),
        ],
      },
    }],
  });
  const ph = inferPhase(v);
  assert.equal(ph.state, "failed");
  assert.equal(ph.method, "offline");
  assert.match(ph.detail, /InvalidOperatorConfig: Not applying unsafe/);
});

Deno.test("collectView: a failed read becomes one error row; the other sections are still shown", async () => {
  const nc = {
    metadata: { name: "cluster" },
    spec: { networkType: "OpenShiftSDN" },
    status: { networkType: "OpenShiftSDN" },
  };
  const kube: Pick<Kube, "get" | "list" | "listMetadata" | "exec"> = {
    get:
      ((ref: { resource: string; group: string }) =>
        Promise.resolve(ref.resource === "networks" && ref.group === "config.openshift.io" ? nc : undefined)) as Kube[
          "get"
        ],
    list: ((ref: { resource: string }) => {
      if (ref.resource === "nodes") {
        return Promise.reject(new KubeError('nodes is forbidden: User "x" cannot list', 403));
      }
      if (ref.resource === "machineconfigpools") return Promise.resolve([pool("worker")]);
      return Promise.resolve([]);
    }) as Kube["list"],
    listMetadata: () => Promise.resolve([]),
    exec: () => Promise.reject(new KubeError("connection refused", undefined)),
  };
  const s = buildSnapshot(await collectView(kube));
  assert.deepEqual(s.nodes, { error: 'nodes is forbidden: User "x" cannot list' });
  assert.deepEqual(s.errors, [{ section: "nodes", error: 'nodes is forbidden: User "x" cannot list' }]);
  assert.ok(!isError(s.pools) && s.pools.length === 1);
  assert.equal(s.phase.state, "not-started");
  assert.equal(s.metrics.available, false);
  assert.match(s.metrics.why!, /^metrics unavailable: exec into openshift-monitoring\/prometheus-k8s-0 failed/);
});

Deno.test("timing: elapsed since InProgress=True and an ETA from the pace of node updates so far", () => {
  const started = "2026-01-01T00:00:00Z";
  const nc = liveConfig([
    { ...cond(`${N}InProgress`, "True", `${N}Started`), lastTransitionTime: started },
    cond(`${N}TargetCNIInUse`, "False", "MachineConfigPoolsUpdating"),
  ], { networkType: "OVNKubernetes" });
  // Step 3 (second rollout): 6 nodes, 2 already updated in this round → 6 + 2 = 8 of 12 updates done.
  const pools = [pool("master"), pool("worker")];
  const nodes = Array.from({ length: 6 }, (_, i) => ({
    metadata: { name: `n${i}` },
    status: { conditions: [cond("Ready", "True")] },
  }));
  const s = buildSnapshot(view({ networkConfig: nc, pools, nodes }), Date.parse(started) + 800_000);
  assert.equal(s.phase.step, 3);
  assert.equal(s.timing.startedAt, started);
  assert.equal(s.timing.nodeUpdatesDone, 8);
  assert.equal(s.timing.nodeUpdatesTotal, 12);
  assert.equal(s.timing.elapsedSeconds, 800);
  assert.equal(s.timing.etaSeconds, 400);
  // The same progress with a paused pool: blocked, and no estimate (nothing moves until the pool is unpaused).
  const paused = [pool("master"), { ...pool("worker"), spec: { paused: true } }];
  const b = buildSnapshot(view({ networkConfig: nc, pools: paused, nodes }), Date.parse(started) + 800_000);
  assert.equal(b.phase.state, "blocked");
  assert.equal(b.timing.elapsedSeconds, 800);
  assert.equal(b.timing.etaSeconds, null);
});

Deno.test("status says complete exactly when execute stops waiting (one definition of live migration complete)", async () => {
  const { liveMigrationComplete } = await import("../../lib/openshift/live_migration.ts");
  const done = (over: Partial<Record<string, string>> = {}) => [
    cond(`${N}InProgress`, "False", `${N}Completed`),
    ...["MTUReady", "TargetCNIAvailable", "TargetCNIInUse", "OriginalCNIPurged"].map((t) =>
      cond(`${N}${t}`, over[t] ?? "Unknown", `${N}NotInProgress`)
    ),
  ];
  const onOvn = { networkType: "OVNKubernetes" };
  const cases: [string, KubeObject, boolean][] = [
    ["all five reset", liveConfig(done(), onOvn), true],
    // Where the two used to differ: status called these complete while execute kept waiting.
    ["annotated, spec == status, no conditions yet", liveConfig([], onOvn), false],
    ["InProgress Completed but TargetCNIInUse still True", liveConfig(done({ TargetCNIInUse: "True" }), onOvn), false],
    ["status still on the original plugin", liveConfig(done()), false],
  ];
  for (const [name, nc, complete] of cases) {
    assert.equal(liveMigrationComplete(nc, "OVNKubernetes"), complete, name);
    assert.equal(inferPhase(view({ networkConfig: nc })).state === "complete", complete, name);
  }
});
