/**
 * procedures.md §5 step 12 / §8 step 10 ("reboot the node if pods error"), cluster-behaviour.md §1.4: after
 * network.config status.networkType changes, a node that has not rebooted still runs the old plugin's
 * setup, so new pods never get a sandbox and running ones crash-loop — until the node reboots.
 */
import assert from "node:assert/strict";
import { rebootNode } from "../../../sim/controllers/node/index.ts";
import type { Obj } from "../../../sim/store.ts";
import type { SimContext } from "../../../sim/types.ts";
import { NODES, PODS, setNetworkStatus, simSleep, startSim, until } from "../mco/fixture.ts";

const isReady = (p: Obj) => p.status?.conditions?.some((c: Obj) => c.type === "Ready" && c.status === "True");
const get = (ctx: SimContext, name: string) => ctx.store.mustGet(PODS, "default", name);

function newPod(ctx: SimContext, name: string, node: string, hostNetwork = false): void {
  ctx.store.create(PODS, {
    metadata: { name, namespace: "default", labels: { app: name } },
    spec: { nodeName: node, hostNetwork, containers: [{ name: "app", image: "registry.example.com/app:1" }] },
  });
}

Deno.test("§1.4 plugin mismatch: pods on un-rebooted nodes fail after the flip, and recover after the reboot", async () => {
  const sim = startSim({ pools: [{ name: "master", nodes: 1 }, { name: "worker", nodes: 2 }] }, { timeScale: 1000 });
  try {
    const { ctx } = sim;
    // Pools paused (as the documented rollback does) so the MCO does not drain and reboot on its own.
    for (const pool of ["master", "worker"]) {
      ctx.store.mutate("machineconfiguration.openshift.io/machineconfigpools", undefined, pool, (o) => {
        o.spec.paused = true;
      });
    }
    newPod(ctx, "before-flip", "worker-0");
    await until(ctx, () => isReady(get(ctx, "before-flip")), "pod runs before the flip");

    setNetworkStatus(ctx, (s) => s.networkType = "OVNKubernetes");
    newPod(ctx, "after-flip", "worker-0");
    newPod(ctx, "host-net", "worker-0", true);
    await until(ctx, () => isReady(get(ctx, "host-net")), "hostNetwork pod runs");
    await simSleep(ctx, 5);
    const failed = get(ctx, "after-flip");
    assert.equal(failed.status.phase, "Pending");
    assert.equal(failed.status.containerStatuses[0].state.waiting.reason, "ContainerCreating");
    const sandbox = failed.status.conditions.find((c: Obj) => c.type === "PodReadyToStartContainers");
    assert.equal(sandbox.reason, "FailedCreatePodSandBox");
    assert.match(sandbox.message, /^Failed to create pod sandbox: rpc error: .*network/);
    const events = ctx.store.all("core/events", "default").filter((e) => e.involvedObject.name === "after-flip");
    assert.equal(events[0]?.reason, "FailedCreatePodSandBox");

    // Running pods lose their network: probes fail, containers crash-loop.
    await until(ctx, () => !isReady(get(ctx, "before-flip")), "existing pod errors");
    const broken = get(ctx, "before-flip").status.containerStatuses[0];
    assert.equal(broken.state.waiting.reason, "CrashLoopBackOff");
    assert.ok(broken.restartCount >= 1);

    // worker-1 reboots first: pods created there afterwards are fine.
    const b1 = ctx.store.mustGet(NODES, undefined, "worker-1").status.nodeInfo.bootID;
    rebootNode(ctx, "worker-1");
    await until(ctx, () => {
      const n = ctx.store.mustGet(NODES, undefined, "worker-1");
      return n.status.nodeInfo.bootID !== b1 &&
        n.status.conditions.some((c: Obj) => c.type === "Ready" && c.status === "True");
    }, "worker-1 rebooted");
    newPod(ctx, "on-rebooted", "worker-1");
    await until(ctx, () => isReady(get(ctx, "on-rebooted")), "pod on rebooted node runs");
    assert.equal(get(ctx, "after-flip").status.phase, "Pending", "worker-0 still broken");

    rebootNode(ctx, "worker-0");
    await until(
      ctx,
      () => isReady(get(ctx, "after-flip")) && isReady(get(ctx, "before-flip")),
      "worker-0 pods recover",
    );
    assert.equal(get(ctx, "after-flip").status.phase, "Running");
  } finally {
    sim.stop();
  }
});

Deno.test("§2 live migration: no plugin mismatch while network.operator migration.mode is Live", async () => {
  const sim = startSim({ pools: [{ name: "master", nodes: 1 }, { name: "worker", nodes: 1 }] }, { timeScale: 1000 });
  try {
    const { ctx } = sim;
    for (const pool of ["master", "worker"]) {
      ctx.store.mutate("machineconfiguration.openshift.io/machineconfigpools", undefined, pool, (o) => {
        o.spec.paused = true;
      });
    }
    newPod(ctx, "before-switch", "worker-0");
    await until(ctx, () => isReady(get(ctx, "before-switch")), "pod runs");
    ctx.store.mutate("operator.openshift.io/networks", undefined, "cluster", (o) => {
      o.spec.migration = { mode: "Live", networkType: "OVNKubernetes" };
    });
    setNetworkStatus(ctx, (s) => {
      s.networkType = "OVNKubernetes";
      s.migration = { networkType: "OVNKubernetes" };
    });
    newPod(ctx, "after-switch", "worker-0");
    await until(ctx, () => isReady(get(ctx, "after-switch")), "new pod runs on the un-rebooted node");
    await simSleep(ctx, 60);
    assert.ok(isReady(get(ctx, "before-switch")), "existing pod keeps running");
  } finally {
    sim.stop();
  }
});
