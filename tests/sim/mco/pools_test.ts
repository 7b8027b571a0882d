/**
 * cluster-behaviour.md §1.6 (paused pool message), §5 (pool status, degraded nodes, NodeDegraded messages),
 * §0 "template units" (mtu-migration.service only with status.migration.mtu), §2.4 rollout #1.
 */
import assert from "node:assert/strict";
import {
  ann,
  cond,
  MCS,
  NODES,
  pool,
  poolUpdated,
  setNetworkStatus,
  simSleep,
  startSim,
  unit,
  until,
} from "./fixture.ts";

Deno.test("§1.6/§5 paused pool gets no candidates and reports Updating=False 'Pool is paused…'", async () => {
  const sim = startSim({ pools: [{ name: "master", nodes: 1 }, { name: "worker", nodes: 2, paused: true }] });
  try {
    const { ctx } = sim;
    const old = pool(ctx, "worker").spec.configuration.name;
    setNetworkStatus(ctx, (s) => s.migration = { networkType: "OVNKubernetes" });
    await until(
      ctx,
      () => poolUpdated(ctx, "master") && pool(ctx, "master").status.updatedMachineCount === 1,
      "master",
    );
    await until(ctx, () => pool(ctx, "worker").spec.configuration.name !== old, "worker render");
    await simSleep(ctx, 120);
    const p = pool(ctx, "worker");
    const target = p.spec.configuration.name;
    assert.equal(cond(p, "Updated")?.status, "False");
    assert.equal(cond(p, "Updating")?.status, "False");
    assert.equal(cond(p, "Updating")?.message, `Pool is paused; will not update to MachineConfig ${target}`);
    assert.equal(p.status.configuration.name, old, "status.configuration stays at the old config");
    assert.equal(p.status.updatedMachineCount, 0);
    for (const n of ctx.store.all(NODES).filter((n) => n.metadata.name.startsWith("worker"))) {
      assert.equal(ann(n, "desiredConfig"), old);
      assert.equal(ann(n, "state"), "Done");
    }
    // Unpausing resumes the rollout (the documented rollback's second reboot round).
    ctx.store.mutate("machineconfiguration.openshift.io/machineconfigpools", undefined, "worker", (o) => {
      o.spec.paused = false;
    });
    await until(ctx, () => poolUpdated(ctx, "worker"), "worker updated after unpause");
    assert.equal(pool(ctx, "worker").status.configuration.name, target);
  } finally {
    sim.stop();
  }
});

Deno.test("§5 scenario degradedReason: first node Degraded, NodeDegraded/Degraded conditions with the MCO messages", () => {
  const sim = startSim({
    pools: [{ name: "master", nodes: 1 }, { name: "worker", nodes: 2, degradedReason: "failed to drain node" }],
  });
  try {
    const p = pool(sim.ctx, "worker");
    assert.equal(p.status.degradedMachineCount, 1);
    assert.equal(p.status.updatedMachineCount, 1);
    assert.equal(cond(p, "NodeDegraded")?.status, "True");
    assert.equal(cond(p, "NodeDegraded")?.reason, "1 nodes are reporting degraded status on sync");
    assert.equal(cond(p, "NodeDegraded")?.message, 'Node worker-0 is reporting: "failed to drain node"');
    assert.equal(cond(p, "Degraded")?.status, "True");
    assert.equal(cond(p, "Updated")?.status, "False");
    assert.equal(cond(pool(sim.ctx, "master"), "Degraded")?.status, "False");
    assert.equal(ann(sim.ctx.store.mustGet(NODES, undefined, "worker-0"), "state"), "Degraded");
  } finally {
    sim.stop();
  }
});

Deno.test("§5 faults.degradePoolOnRollout: the pool's first updating node goes Degraded during the next rollout", async () => {
  const sim = startSim({
    pools: [{ name: "master", nodes: 1 }, { name: "worker", nodes: 3 }],
    faults: { degradePoolOnRollout: "worker" },
  });
  try {
    const { ctx } = sim;
    assert.equal(pool(ctx, "worker").status.degradedMachineCount, 0, "healthy before the rollout");
    setNetworkStatus(ctx, (s) => s.migration = { networkType: "OVNKubernetes" });
    await until(ctx, () => cond(pool(ctx, "worker"), "Degraded")?.status === "True", "worker degraded");
    const p = pool(ctx, "worker");
    assert.match(
      cond(p, "NodeDegraded")!.message,
      /^Node worker-\d is reporting: "unexpected on-disk state validating against rendered-worker-/,
    );
    await until(ctx, () => pool(ctx, "master").status.updatedMachineCount === 1, "master unaffected");
    await until(ctx, () => pool(ctx, "worker").status.updatedMachineCount === 2, "other workers update");
    await simSleep(ctx, 60);
    assert.equal(cond(pool(ctx, "worker"), "Updated")?.status, "False", "the pool never completes");
  } finally {
    sim.stop();
  }
});

Deno.test("§0/§2.4 status.migration.mtu renders mtu-migration.service with the env; without it there is none", async () => {
  const sim = startSim({ pools: [{ name: "master", nodes: 1 }, { name: "worker", nodes: 1 }] });
  try {
    const { ctx } = sim;
    const old = pool(ctx, "worker").spec.configuration.name;
    setNetworkStatus(ctx, (s) => {
      s.migration = {
        networkType: "OpenShiftSDN",
        mtu: { network: { from: 1450, to: 1400 }, machine: { from: 1500, to: 1500 } },
      };
    });
    await until(ctx, () => pool(ctx, "worker").spec.configuration.name !== old, "render #1");
    const mc1 = ctx.store.mustGet(MCS, undefined, pool(ctx, "worker").spec.configuration.name);
    const mtu = unit(mc1, "mtu-migration.service")!;
    assert.equal(mtu.enabled, true);
    for (const env of ["NETWORK_TYPE=OpenShiftSDN", "TARGET_MTU=1500", "CURRENT_MTU=1500", "CNI_TARGET_MTU=1400"]) {
      assert.ok(mtu.contents.includes(`Environment=${env}\n`), env);
    }
    assert.ok(
      mc1.spec.config.storage.files.some((f: { path: string }) => f.path === "/usr/local/bin/mtu-migration.sh"),
    );
    assert.match(unit(mc1, "ovs-configuration.service")!.contents, /configure-ovs.sh OpenShiftSDN/);
    await until(
      ctx,
      () => poolUpdated(ctx, "worker") && pool(ctx, "worker").status.configuration.name === mc1.metadata.name,
      "rollout #1",
    );
    // Step 3: the CNI switches; mtu dropped → rollout #2 without the unit.
    setNetworkStatus(ctx, (s) => {
      s.networkType = "OVNKubernetes";
      s.migration = { networkType: "OVNKubernetes" };
    });
    await until(ctx, () => pool(ctx, "worker").spec.configuration.name !== mc1.metadata.name, "render #2");
    const mc2 = ctx.store.mustGet(MCS, undefined, pool(ctx, "worker").spec.configuration.name);
    assert.equal(unit(mc2, "mtu-migration.service"), undefined);
    assert.match(unit(mc2, "ovs-configuration.service")!.contents, /configure-ovs.sh OVNKubernetes/);
    await until(
      ctx,
      () => poolUpdated(ctx, "worker") && pool(ctx, "worker").status.configuration.name === mc2.metadata.name,
      "rollout #2",
    );
    // Step 4: migration removed, same type → identical rendered config, no rollout (§1.5).
    setNetworkStatus(ctx, (s) => delete s.migration);
    await simSleep(ctx, 30);
    assert.equal(pool(ctx, "worker").spec.configuration.name, mc2.metadata.name);
  } finally {
    sim.stop();
  }
});

Deno.test("§5 faults.nodesNeverReturn: the node goes down for its reboot and stays NotReady; the pool stays Updating", async () => {
  const sim = startSim({
    pools: [{ name: "master", nodes: 1 }, { name: "worker", nodes: 2 }],
    faults: { nodesNeverReturn: ["worker-0"] },
  });
  try {
    const { ctx } = sim;
    setNetworkStatus(ctx, (s) => s.migration = { networkType: "OVNKubernetes" });
    const ready = () =>
      ctx.store.mustGet(NODES, undefined, "worker-0").status.conditions.find((c: { type: string }) =>
        c.type === "Ready"
      );
    await until(ctx, () => ready().status === "Unknown", "worker-0 down");
    assert.equal(ready().reason, "NodeStatusUnknown");
    assert.equal(ready().message, "Kubelet stopped posting node status.");
    await simSleep(ctx, 200);
    assert.equal(ready().status, "Unknown");
    const p = pool(ctx, "worker");
    assert.equal(cond(p, "Updating")?.status, "True");
    assert.ok(p.status.unavailableMachineCount >= 1);
    assert.equal(ann(ctx.store.mustGet(NODES, undefined, "worker-0"), "post-config-action"), "Rebooting");
  } finally {
    sim.stop();
  }
});
