/** cluster-behaviour.md §0 "MCO chain", §4.5, §5: the cluster starts steady — rendered configs, nodes Done, no rollout. */
import assert from "node:assert/strict";
import { ann, cond, MCS, NODES, pool, record, simSleep, startSim, unit } from "./fixture.ts";

Deno.test("§5 steady state at start: every node current==desired==rendered, state Done, pools Updated, no rollout", async () => {
  const sim = startSim();
  try {
    const { ctx } = sim;
    const rec = record(ctx);
    for (const name of ["master", "worker"]) {
      const p = pool(ctx, name);
      const rendered = p.spec.configuration.name;
      assert.match(rendered, new RegExp(`^rendered-${name}-[0-9a-f]{32}$`));
      assert.equal(p.status.configuration.name, rendered);
      assert.equal(p.status.machineCount, 3);
      assert.equal(p.status.updatedMachineCount, 3);
      assert.equal(p.status.readyMachineCount, 3);
      assert.equal(p.status.unavailableMachineCount, 0);
      assert.equal(p.status.degradedMachineCount, 0);
      assert.equal(cond(p, "Updated")?.status, "True");
      assert.equal(cond(p, "Updated")?.message, `All nodes are updated with MachineConfig ${rendered}`);
      assert.equal(cond(p, "Updating")?.status, "False");
      assert.equal(cond(p, "Degraded")?.status, "False");
      assert.deepEqual(
        p.spec.configuration.source.map((s: { name: string }) => s.name).slice(0, 3),
        [`00-${name}`, `01-${name}-container-runtime`, `01-${name}-kubelet`],
      );
    }
    for (const n of ctx.store.all(NODES)) {
      const role = n.metadata.labels["node-role.kubernetes.io/master"] === "" ? "master" : "worker";
      const rendered = pool(ctx, role).spec.configuration.name;
      assert.equal(ann(n, "currentConfig"), rendered);
      assert.equal(ann(n, "desiredConfig"), rendered);
      assert.equal(ann(n, "state"), "Done");
      assert.equal(ann(n, "reason"), "");
    }
    const hash = (n: string) => pool(ctx, n).spec.configuration.name.split("-").pop();
    assert.notEqual(hash("master"), hash("worker"), "role-specific content gives different rendered configs");
    const mc = ctx.store.mustGet(MCS, undefined, pool(ctx, "worker").spec.configuration.name);
    assert.equal(mc.spec.config.ignition.version, "3.4.0");
    assert.match(
      unit(mc, "ovs-configuration.service")!.contents,
      /ExecStart=\/usr\/local\/bin\/configure-ovs.sh OpenShiftSDN/,
    );
    assert.equal(unit(mc, "mtu-migration.service"), undefined);
    assert.ok(mc.metadata.annotations["machineconfiguration.openshift.io/generated-by-controller-version"]);
    assert.equal(mc.metadata.ownerReferences[0].kind, "MachineConfigPool");
    const bases = ctx.store.all(MCS).map((m) => m.metadata.name);
    for (const b of ["00-master", "00-worker", "01-worker-kubelet", "99-worker-ssh"]) assert.ok(bases.includes(b), b);
    await simSleep(ctx, 60);
    rec.stop();
    const targeted = rec.events.filter((e) =>
      e.key === NODES && e.type === "MODIFIED" &&
      ann(e.object, "desiredConfig") !== ann(e.object, "currentConfig")
    );
    assert.equal(targeted.length, 0, "no node was targeted for an update");
  } finally {
    sim.stop();
  }
});
