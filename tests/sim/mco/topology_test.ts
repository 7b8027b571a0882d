/** cluster-behaviour.md §5 ("drain required unless SingleReplica topology") and §4.5 node annotations. */
import assert from "node:assert/strict";
import { ann, NODES, pool, poolUpdated, record, setNetworkStatus, startSim, until } from "./fixture.ts";

Deno.test("§5 SingleReplica: the node updates and reboots without a drain (no cordon, no desiredDrain change)", async () => {
  const sim = startSim({
    controlPlaneTopology: "SingleReplica",
    pools: [{ name: "master", nodes: 1 }, { name: "worker", nodes: 0 }],
  });
  try {
    const { ctx } = sim;
    const old = pool(ctx, "master").spec.configuration.name;
    const boot = ctx.store.mustGet(NODES, undefined, "master-0").status.nodeInfo.bootID;
    const rec = record(ctx);
    setNetworkStatus(ctx, (s) => s.migration = { networkType: "OVNKubernetes" });
    await until(ctx, () => pool(ctx, "master").spec.configuration.name !== old, "render");
    await until(ctx, () => poolUpdated(ctx, "master"), "master updated");
    rec.stop();
    const n = ctx.store.mustGet(NODES, undefined, "master-0");
    assert.notEqual(n.status.nodeInfo.bootID, boot);
    assert.equal(ann(n, "controlPlaneTopology"), "SingleReplica");
    assert.equal(ann(n, "desiredDrain"), `uncordon-${old}`, "never asked for a drain");
    assert.ok(rec.events.every((e) => e.key !== NODES || !e.object.spec.unschedulable), "never cordoned");
    assert.equal(pool(ctx, "worker").status.machineCount, 0);
    assert.equal(
      pool(ctx, "worker").status.conditions.find((c: { type: string }) => c.type === "Updated").status,
      "True",
    );
  } finally {
    sim.stop();
  }
});

Deno.test("§4.5 a node joining a pool later starts at the pool's current config, state Done", async () => {
  const sim = startSim({ pools: [{ name: "master", nodes: 1 }, { name: "worker", nodes: 1 }] });
  try {
    const { ctx } = sim;
    const template = ctx.store.mustGet(NODES, undefined, "worker-0");
    ctx.store.create(NODES, {
      metadata: { name: "worker-9", labels: template.metadata.labels },
      spec: {},
      status: { addresses: template.status.addresses },
    });
    await until(ctx, () => pool(ctx, "worker").status.machineCount === 2 && poolUpdated(ctx, "worker"), "joined");
    const n = ctx.store.mustGet(NODES, undefined, "worker-9");
    assert.equal(ann(n, "currentConfig"), pool(ctx, "worker").spec.configuration.name);
    assert.equal(ann(n, "state"), "Done");
    assert.ok(n.status.nodeInfo.bootID, "the kubelet posted a bootID");
    assert.equal(n.status.conditions.find((c: { type: string }) => c.type === "Ready").status, "True");
  } finally {
    sim.stop();
  }
});
