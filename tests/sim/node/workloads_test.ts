/**
 * The DaemonSet/Deployment controllers the documented commands rely on (procedures.md §5 step 11
 * `rollout status ds/multus`; cluster-behaviour.md §1.4 DaemonSet changes).
 */
import assert from "node:assert/strict";
import type { Obj } from "../../../sim/store.ts";
import { DAEMONSETS, NODES, PODS, simSleep, startSim, until } from "../mco/fixture.ts";

const DEPLOYMENTS = "apps/deployments";
const isReady = (p: Obj) => p.status?.conditions?.some((c: Obj) => c.type === "Ready" && c.status === "True");

/** kubectl rollout status's DaemonSet check. */
function rolledOut(ds: Obj): boolean {
  const s = ds.status ?? {};
  return ds.metadata.generation <= (s.observedGeneration ?? 0) &&
    s.updatedNumberScheduled === s.desiredNumberScheduled &&
    s.numberAvailable === s.desiredNumberScheduled;
}

Deno.test("§1.4 DaemonSet pods on every node at start, Running/Ready, with the status `rollout status` reads", () => {
  const sim = startSim();
  try {
    const { ctx } = sim;
    const ds = ctx.store.mustGet(DAEMONSETS, "openshift-machine-config-operator", "machine-config-daemon");
    const pods = ctx.store.all(PODS, "openshift-machine-config-operator")
      .filter((p) => p.metadata.ownerReferences?.[0]?.uid === ds.metadata.uid);
    assert.equal(pods.length, 6);
    assert.deepEqual(
      new Set(pods.map((p) => p.spec.nodeName)),
      new Set(ctx.store.all(NODES).map((n) => n.metadata.name)),
    );
    for (const p of pods) {
      assert.match(p.metadata.name, /^machine-config-daemon-[a-z0-9]{5}$/);
      assert.equal(p.metadata.labels["k8s-app"], "machine-config-daemon");
      assert.equal(p.status.phase, "Running");
      assert.ok(isReady(p));
      assert.equal(p.metadata.ownerReferences[0].kind, "DaemonSet");
    }
    assert.equal(ds.status.desiredNumberScheduled, 6);
    assert.equal(ds.status.numberReady, 6);
    assert.ok(rolledOut(ds));
  } finally {
    sim.stop();
  }
});

Deno.test("§1.4 `kubectl rollout restart` rolls DaemonSet pods within maxUnavailable until rolled out", async () => {
  const sim = startSim();
  try {
    const { ctx } = sim;
    const ns = "openshift-machine-config-operator";
    const before = new Set(ctx.store.all(PODS, ns).map((p) => p.metadata.name));
    let peakUnavailable = 0;
    const unsub = ctx.store.subscribe((e) => {
      if (e.key === DAEMONSETS && e.object.metadata.name === "machine-config-daemon") {
        peakUnavailable = Math.max(peakUnavailable, e.object.status?.numberUnavailable ?? 0);
      }
    });
    ctx.store.mutate(DAEMONSETS, ns, "machine-config-daemon", (ds) => {
      ds.spec.template.metadata.annotations = { "kubectl.kubernetes.io/restartedAt": "2026-11-23T15:00:00Z" };
    });
    assert.ok(!rolledOut(ctx.store.mustGet(DAEMONSETS, ns, "machine-config-daemon")));
    await until(ctx, () => rolledOut(ctx.store.mustGet(DAEMONSETS, ns, "machine-config-daemon")), "rolled out");
    unsub();
    const pods = ctx.store.all(PODS, ns);
    assert.equal(pods.length, 6);
    assert.ok(pods.every((p) => !before.has(p.metadata.name) && isReady(p)), "every pod replaced and ready");
    assert.ok(pods.every((p) => p.metadata.annotations?.["kubectl.kubernetes.io/restartedAt"]));
    assert.equal(peakUnavailable, 1, "10% of 6 nodes rounds up to 1");
  } finally {
    sim.stop();
  }
});

Deno.test("§1.4 a new DaemonSet's pods start after daemonSetPodSeconds; deleting it deletes its pods", async () => {
  const sim = startSim();
  try {
    const { ctx } = sim;
    await simSleep(ctx, 1);
    const ds = ctx.store.create(DAEMONSETS, {
      metadata: { name: "ovnkube-node", namespace: "openshift-machine-config-operator" },
      spec: {
        selector: { matchLabels: { app: "ovnkube-node" } },
        template: {
          metadata: { labels: { app: "ovnkube-node" } },
          spec: { hostNetwork: true, containers: [{ name: "ovnkube-controller", image: "ovn:1" }] },
        },
      },
    });
    const mine = () => ctx.store.all(PODS).filter((p) => p.metadata.ownerReferences?.[0]?.uid === ds.metadata.uid);
    await until(ctx, () => mine().length === 6, "pods created");
    assert.ok(mine().every((p) => p.status.phase === "Pending"));
    await until(ctx, () => {
      const cur = ctx.store.mustGet(DAEMONSETS, ds.metadata.namespace, "ovnkube-node");
      return rolledOut(cur) && cur.status.desiredNumberScheduled === 6;
    }, "ready");
    assert.ok(mine().every(isReady));
    ctx.store.delete(DAEMONSETS, ds.metadata.namespace, "ovnkube-node");
    assert.equal(mine().length, 0);
  } finally {
    sim.stop();
  }
});

Deno.test("Deployment: pods owned by the Deployment, status with Available/Progressing", async () => {
  const sim = startSim();
  try {
    const { ctx } = sim;
    ctx.store.create(DEPLOYMENTS, {
      metadata: { name: "ovnkube-control-plane", namespace: "openshift-machine-config-operator" },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "ovnkube-control-plane" } },
        template: {
          metadata: { labels: { app: "ovnkube-control-plane" } },
          spec: {
            nodeSelector: { "node-role.kubernetes.io/master": "" },
            tolerations: [{ operator: "Exists" }],
            containers: [{ name: "ovnkube-cluster-manager", image: "ovn:1" }],
          },
        },
      },
    });
    const dep = () => ctx.store.mustGet(DEPLOYMENTS, "openshift-machine-config-operator", "ovnkube-control-plane");
    await until(ctx, () => dep().status?.availableReplicas === 2, "available");
    const s = dep().status;
    assert.equal(s.replicas, 2);
    assert.equal(s.updatedReplicas, 2);
    assert.equal(s.observedGeneration, dep().metadata.generation);
    assert.equal(s.conditions.find((c: Obj) => c.type === "Available").reason, "MinimumReplicasAvailable");
    assert.equal(s.conditions.find((c: Obj) => c.type === "Progressing").reason, "NewReplicaSetAvailable");
    const pods = ctx.store.all(PODS, "openshift-machine-config-operator").filter((p) =>
      p.metadata.ownerReferences?.[0]?.kind === "Deployment"
    );
    assert.equal(pods.length, 2);
    assert.ok(pods.every((p) => p.spec.nodeName.startsWith("master-")), "nodeSelector and tolerations honoured");
    assert.equal(new Set(pods.map((p) => p.spec.nodeName)).size, 2, "spread over nodes");
  } finally {
    sim.stop();
  }
});
