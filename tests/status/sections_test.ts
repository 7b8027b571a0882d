/**
 * Sections are collected independently: without Prometheus, or without the right to exec, status still
 * shows everything else and says why metrics are absent; offline phases are read from the cluster.
 */
import assert from "node:assert/strict";
import { loadScenario } from "../../sim/scenario/load.ts";
import { isError, type NodesSection, type PoolRow } from "../../lib/status/types.ts";
import { NETCFG, NETOP, recordBootIdsAtFlip, runStatusOn, until, withSim } from "./_helpers.ts";

Deno.test("faults.prometheusMissing: every other section is shown and the metrics say why they are absent", async () => {
  const spec = await loadScenario("sdn-small");
  await withSim({ ...spec, faults: { ...spec.faults, prometheusMissing: true } }, async (sim) => {
    const run = await runStatusOn(sim);
    assert.equal(run.code, 0);
    const s = run.snapshots[0];
    assert.equal(s.metrics.available, false);
    assert.match(
      s.metrics.why!,
      /^metrics unavailable: pod openshift-monitoring\/prometheus-k8s-0 not found; pod openshift-monitoring\/prometheus-k8s-1 not found/,
    );
    assert.equal(s.phase.state, "not-started");
    assert.ok(!isError(s.pools) && (s.pools as PoolRow[]).length === 2);
    assert.ok(!isError(s.nodes) && (s.nodes as NodesSection).total === 6);
    assert.ok(!isError(s.operators));
    const human = await runStatusOn(sim, { output: "human" });
    assert.match(human.io.stdoutText(), /metrics unavailable: pod openshift-monitoring\/prometheus-k8s-0 not found/);
    assert.match(human.io.stdoutText(), /6 nodes: 6 Ready/);
  });
});

Deno.test("a user who may not exec: metrics unavailable (forbidden), the rest shown", async () => {
  await withSim("sdn-small", async (sim) => {
    const run = await runStatusOn(sim, { context: "readonly" });
    assert.equal(run.code, 0, run.io.stderrText());
    const s = run.snapshots[0];
    assert.equal(s.metrics.available, false);
    assert.match(s.metrics.why!, /not allowed to exec into openshift-monitoring\/prometheus-k8s-0/);
    assert.ok(!isError(s.nodes));
  });
});

Deno.test("ovn-after-offline: complete, offline, OpenShiftSDN → OVNKubernetes", async () => {
  await withSim("ovn-after-offline", async (sim) => {
    const run = await runStatusOn(sim, { watch: true });
    assert.equal(run.code, 0);
    const s = run.snapshots[run.snapshots.length - 1];
    assert.equal(s.phase.state, "complete");
    assert.equal(s.phase.method, "offline");
    assert.equal(s.phase.from, "OpenShiftSDN");
    assert.equal(s.phase.to, "OVNKubernetes");
  });
});

Deno.test("ovn-after-live: complete, live, conditions reset", async () => {
  await withSim("ovn-after-live", async (sim) => {
    const run = await runStatusOn(sim);
    assert.equal(run.code, 0);
    const s = run.snapshots[0];
    assert.equal(s.phase.state, "complete");
    assert.equal(s.phase.method, "live");
    assert.ok(Array.isArray(s.conditions));
    const inProgress = (s.conditions as { type: string; status: string; reason: string }[])
      .find((c) => c.type === "NetworkTypeMigrationInProgress");
    assert.equal(inProgress?.reason, "NetworkTypeMigrationCompleted");
  });
});

Deno.test("offline migration by hand: preparing → prepared → flipped (rebooting) → complete, from the cluster", async () => {
  await withSim("sdn-small", async (sim) => {
    const pools = () => sim.store.all("machineconfiguration.openshift.io/machineconfigpools");
    const before = pools().map((p) => p.status.configuration.name).join();
    sim.store.mutate(NETOP, undefined, "cluster", (o) => {
      o.spec.migration = { networkType: "OVNKubernetes" };
    });
    let s = (await runStatusOn(sim)).snapshots[0];
    assert.equal(s.phase.state, "offline-preparing");
    assert.equal(s.phase.method, "offline");
    assert.equal(s.phase.step, 1);
    assert.equal(s.phase.to, "OVNKubernetes");

    await until(
      "the prepare rollout",
      () =>
        pools().every((p) =>
          p.status.configuration.name !== before.split(",")[0] &&
          p.status.configuration.name !== before.split(",")[1] &&
          p.status.updatedMachineCount === p.status.machineCount &&
          p.status.conditions.some((c: { type: string; status: string }) => c.type === "Updated" && c.status === "True")
        ),
    );
    s = (await runStatusOn(sim)).snapshots[0];
    assert.equal(s.phase.state, "offline-prepared", s.phase.detail);
    assert.equal(s.phase.step, 2);

    recordBootIdsAtFlip(sim);
    sim.store.mutate(NETCFG, undefined, "cluster", (o) => {
      o.spec.networkType = "OVNKubernetes";
    });
    await until(
      "CNO to flip",
      () => sim.store.get(NETCFG, undefined, "cluster")?.status?.networkType === "OVNKubernetes",
    );
    s = (await runStatusOn(sim)).snapshots[0];
    assert.equal(s.phase.state, "offline-flipped");
    assert.equal(s.phase.step, 3);
    const nodes = s.nodes as NodesSection;
    assert.equal(nodes.rebootedSinceFlip, 0);
    assert.equal(nodes.laggards.length, 6);
    assert.ok(
      nodes.laggards.every((n) => n.why.includes("not rebooted since the flip") && n.plugin === "OpenShiftSDN"),
    );
    assert.equal(s.timing.nodeUpdatesDone, 6);
    assert.equal(s.timing.nodeUpdatesTotal, 12);

    // Once every node's boot ID differs from the recorded one (here: the record is rewritten), it is complete.
    sim.store.mutate("core/configmaps", "kube-system", "oc-ovn-migrate-progress", (cm) => {
      const rec = JSON.parse(cm.data["progress.json"]);
      rec.data.bootIDsAtFlip = Object.fromEntries(
        Object.keys(rec.data.bootIDsAtFlip).map((n) => [n, "booted-before-the-flip"]),
      );
      cm.data["progress.json"] = JSON.stringify(rec);
    });
    s = (await runStatusOn(sim)).snapshots[0];
    assert.equal(s.phase.state, "complete", s.phase.detail);
    assert.equal((s.nodes as NodesSection).rebootedSinceFlip, 6);
    assert.equal((s.nodes as NodesSection).plugins.OVNKubernetes, 6);
  });
});
