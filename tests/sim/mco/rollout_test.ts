/**
 * cluster-behaviour.md §1.3 (prepare: status.migration → one rollout per pool), §0 "template units",
 * §5 per-pool rollout (annotation sequence, maxUnavailable, reboot with a new bootID).
 */
import assert from "node:assert/strict";
import type { Obj } from "../../../sim/store.ts";
import {
  ann,
  MCS,
  NODES,
  pool,
  poolUpdated,
  record,
  setNetworkStatus,
  simSleep,
  startSim,
  unit,
  until,
} from "./fixture.ts";

Deno.test("§1.3/§5 offline prepare: status.migration renders configure-ovs.sh OVNKubernetes, one rollout per pool", async () => {
  const sim = startSim();
  try {
    const { ctx } = sim;
    const before = {
      master: pool(ctx, "master").spec.configuration.name,
      worker: pool(ctx, "worker").spec.configuration.name,
    };
    const boots = new Map(ctx.store.all(NODES).map((n) => [n.metadata.name, n.status.nodeInfo.bootID]));
    const rec = record(ctx);
    setNetworkStatus(ctx, (s) => s.migration = { networkType: "OVNKubernetes" });
    await until(ctx, () => pool(ctx, "worker").spec.configuration.name !== before.worker, "re-render");
    const after = {
      master: pool(ctx, "master").spec.configuration.name,
      worker: pool(ctx, "worker").spec.configuration.name,
    };
    assert.notEqual(after.master, before.master);
    const mc = ctx.store.mustGet(MCS, undefined, after.worker);
    assert.match(
      unit(mc, "ovs-configuration.service")!.contents,
      /ExecStart=\/usr\/local\/bin\/configure-ovs.sh OVNKubernetes\n/,
    );
    assert.equal(unit(mc, "ovs-configuration.service")!.enabled, true);
    assert.equal(unit(mc, "mtu-migration.service"), undefined);
    await until(ctx, () => poolUpdated(ctx, "master") && poolUpdated(ctx, "worker"), "both pools updated");
    await simSleep(ctx, 60);
    rec.stop();

    // Exactly one new rendered config per pool, and every node moved to it once.
    const targets = rec.events.filter((e) => e.key === POOLS_KEY && e.type === "MODIFIED")
      .map((e) => e.object.spec.configuration.name);
    assert.deepEqual([...new Set(targets)].sort(), [after.master, after.worker].sort());
    for (const n of ctx.store.all(NODES)) {
      const name = n.metadata.name;
      const role = name.startsWith("master") ? "master" : "worker";
      assert.equal(ann(n, "currentConfig"), after[role]);
      assert.equal(ann(n, "desiredConfig"), after[role]);
      assert.equal(ann(n, "state"), "Done");
      assert.notEqual(n.status.nodeInfo.bootID, boots.get(name), `${name} got a new bootID`);
      assert.ok(!n.spec.unschedulable, `${name} uncordoned`);
      const reboots = rec.events.filter((e) =>
        e.key === NODES && e.object.metadata.name === name &&
        e.object.status.conditions.find((c: Obj) => c.type === "Ready").status === "Unknown"
      );
      assert.ok(reboots.length >= 1, `${name} went down`);
      const wentDown = new Set(
        rec.events.filter((e) => e.key === NODES && e.object.metadata.name === name)
          .map((e) => e.object.status.nodeInfo.bootID),
      );
      assert.equal(wentDown.size, 2, `${name} booted exactly once (old + new bootID)`);
    }
  } finally {
    sim.stop();
  }
});

const POOLS_KEY = "machineconfiguration.openshift.io/machineconfigpools";

Deno.test("§5 per-node annotation sequence is observed in order", async () => {
  const sim = startSim({ pools: [{ name: "master", nodes: 1 }, { name: "worker", nodes: 1 }] });
  try {
    const { ctx } = sim;
    const seen: string[] = [];
    let last: Obj | undefined;
    const watcher = ctx.store.watch(NODES, { fieldSelector: "metadata.name=worker-0" }, (e) => {
      const n = e.object;
      const a = (k: string) => ann(n, k);
      const p = last;
      last = n;
      if (!p) return;
      const pa = (k: string) => ann(p, k);
      const ready = (o: Obj) => o.status.conditions.find((c: Obj) => c.type === "Ready").status;
      if (a("desiredConfig") !== pa("desiredConfig")) seen.push("desiredConfig");
      if (a("state") !== pa("state")) seen.push(`state=${a("state")}`);
      if (a("desiredDrain") !== pa("desiredDrain")) {
        seen.push(`desiredDrain=${a("desiredDrain").split("-rendered")[0]}`);
      }
      if (!!n.spec.unschedulable !== !!p.spec.unschedulable) seen.push(n.spec.unschedulable ? "cordon" : "uncordon");
      if (a("lastAppliedDrain") !== pa("lastAppliedDrain")) {
        seen.push(`lastAppliedDrain=${a("lastAppliedDrain").split("-rendered")[0]}`);
      }
      if (a("post-config-action") !== pa("post-config-action")) {
        seen.push(`post-config-action=${a("post-config-action")}`);
      }
      if (ready(n) !== ready(p)) seen.push(`Ready=${ready(n)}`);
      if (n.status.nodeInfo.bootID !== p.status.nodeInfo.bootID) seen.push("newBootID");
      if (a("currentConfig") !== pa("currentConfig")) seen.push("currentConfig");
    });
    setNetworkStatus(ctx, (s) => s.migration = { networkType: "OVNKubernetes" });
    await until(ctx, () => seen.includes("currentConfig") && poolUpdated(ctx, "worker"), "worker-0 updated");
    watcher.stop();
    assert.deepEqual(seen, [
      "desiredConfig",
      "state=Working",
      "desiredDrain=drain",
      "cordon",
      "lastAppliedDrain=drain",
      "post-config-action=Rebooting",
      "Ready=Unknown",
      "Ready=False",
      "newBootID",
      "Ready=True",
      "desiredDrain=uncordon",
      "uncordon",
      "lastAppliedDrain=uncordon",
      "state=Done",
      "post-config-action=",
      "currentConfig",
    ]);
  } finally {
    sim.stop();
  }
});

for (const [maxUnavailable, limit] of [[1, 1], [2, 2], ["50%", 2]] as const) {
  Deno.test(`§5 maxUnavailable ${maxUnavailable}: never more than ${limit} of 5 workers unavailable`, async () => {
    const sim = startSim({ pools: [{ name: "master", nodes: 1 }, { name: "worker", nodes: 5, maxUnavailable }] });
    try {
      const { ctx } = sim;
      let peak = 0;
      let peakStatus = 0;
      const unsub = ctx.store.subscribe((e) => {
        if (e.key === POOLS_KEY && e.object.metadata.name === "worker") {
          peakStatus = Math.max(peakStatus, e.object.status?.unavailableMachineCount ?? 0);
        }
        if (e.key !== NODES) return;
        const workers = ctx.store.all(NODES).filter((n) => n.metadata.name.startsWith("worker"));
        const busy = workers.filter((n) => ann(n, "desiredConfig") !== ann(n, "currentConfig") || n.spec.unschedulable);
        peak = Math.max(peak, busy.length);
      });
      setNetworkStatus(ctx, (s) => s.migration = { networkType: "OVNKubernetes" });
      await until(ctx, () => pool(ctx, "worker").status.updatedMachineCount === 0, "rollout start");
      await until(ctx, () => poolUpdated(ctx, "worker"), "worker pool updated");
      unsub();
      assert.equal(peak, limit);
      assert.equal(peakStatus, limit);
    } finally {
      sim.stop();
    }
  });
}
