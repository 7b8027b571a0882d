/** cluster-behaviour.md §5 step 3: the drain controller evicts non-DaemonSet pods and honours PodDisruptionBudgets. */
import assert from "node:assert/strict";
import { ann, NODES, PODS, pool, poolUpdated, setNetworkStatus, startSim, until } from "./fixture.ts";

const PDBS = "policy/poddisruptionbudgets";
const ROUTER = { "ingresscontroller.operator.openshift.io/deployment-ingresscontroller": "default" };

Deno.test("§5 drain blocked by a PDB (maxUnavailable 0): node stays in drain with the eviction error; proceeds once removed", async () => {
  const sim = startSim({ pools: [{ name: "master", nodes: 1 }, { name: "worker", nodes: 2 }] });
  try {
    const { ctx } = sim;
    ctx.store.create(PDBS, {
      metadata: { name: "router-default", namespace: "openshift-ingress" },
      spec: { maxUnavailable: 0, selector: { matchLabels: ROUTER } },
    });
    const routerNodes = ctx.store.all(PODS, "openshift-ingress").map((p) => p.spec.nodeName);
    assert.ok(routerNodes.length >= 1);
    setNetworkStatus(ctx, (s) => s.migration = { networkType: "OVNKubernetes" });
    const blockedNode = () =>
      ctx.store.all(NODES).find((n) =>
        /Cannot evict pod as it would violate the pod's disruption budget/.test(ann(n, "reason") ?? "")
      );
    await until(ctx, () => !!blockedNode(), "drain blocked");
    const n = blockedNode()!;
    assert.ok(routerNodes.includes(n.metadata.name));
    assert.equal(ann(n, "state"), "Working");
    assert.equal(n.spec.unschedulable, true, "cordoned");
    assert.match(
      ann(n, "reason"),
      /^failed to drain node: worker-\d: error when evicting pods\/"router-default-[a-z0-9-]+" -n "openshift-ingress"/,
    );
    assert.notEqual(ann(n, "lastAppliedDrain"), ann(n, "desiredDrain"));
    ctx.store.delete(PDBS, "openshift-ingress", "router-default");
    await until(
      ctx,
      () => poolUpdated(ctx, "worker") && pool(ctx, "worker").status.updatedMachineCount === 2,
      "rollout done",
    );
    assert.equal(ann(ctx.store.mustGet(NODES, undefined, n.metadata.name), "reason"), "");
    // The Deployment replaced its evicted pods, and DaemonSet pods were never evicted.
    await until(
      ctx,
      () =>
        ctx.store.all(PODS, "openshift-ingress").filter((p) => p.status?.phase === "Running").length ===
          routerNodes.length,
      "router pods back",
    );
  } finally {
    sim.stop();
  }
});

Deno.test("§5 drain: DaemonSet pods stay; bare replica pods come back on another node; plain bare pods are gone", async () => {
  const sim = startSim({ pools: [{ name: "master", nodes: 1 }, { name: "worker", nodes: 2 }] });
  try {
    const { ctx } = sim;
    for (const name of ["web-5d8f7c9b4x-abcde", "standalone"]) {
      ctx.store.create(PODS, {
        metadata: { name, namespace: "default", labels: { app: "web" } },
        spec: { nodeName: "worker-0", containers: [{ name: "web", image: "registry.example.com/web:1" }] },
      });
    }
    const dsPods = ctx.store.all(PODS).filter((p) => p.metadata.ownerReferences?.[0]?.kind === "DaemonSet")
      .map((p) => p.metadata.name).sort();
    const old = pool(ctx, "worker").spec.configuration.name;
    setNetworkStatus(ctx, (s) => s.migration = { networkType: "OVNKubernetes" });
    await until(ctx, () => pool(ctx, "worker").spec.configuration.name !== old, "render");
    await until(
      ctx,
      () => poolUpdated(ctx, "worker") && pool(ctx, "worker").status.updatedMachineCount === 2,
      "rollout",
    );
    const left = ctx.store.all(PODS, "default");
    assert.equal(left.length, 1);
    assert.match(left[0].metadata.name, /^web-5d8f7c9b4x-[a-z0-9]{5}$/);
    assert.notEqual(left[0].metadata.name, "web-5d8f7c9b4x-abcde");
    assert.deepEqual(
      ctx.store.all(PODS).filter((p) => p.metadata.ownerReferences?.[0]?.kind === "DaemonSet").map((p) =>
        p.metadata.name
      )
        .sort(),
      dsPods,
      "DaemonSet pods were never evicted",
    );
  } finally {
    sim.stop();
  }
});
