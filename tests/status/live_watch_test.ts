/**
 * `status --watch -o json` follows a live migration of sdn-small driven by the documented patch
 * (cluster-behaviour.md §2.4) and exits 0 at completion; metric reads went through exec into prometheus-k8s-0.
 */
import assert from "node:assert/strict";
import { phaseTrail, runStatusOn, triggerLive, withSim } from "./_helpers.ts";

Deno.test("live sdn-small: --watch -o json snapshots follow the §2.4 timeline in order and exit 0", async () => {
  await withSim("sdn-small", async (sim) => {
    sim.requestLog.clear();
    const run = await runStatusOn(sim, { watch: true, afterFirst: () => triggerLive(sim) });
    assert.equal(run.code, 0, run.io.stderrText());
    const trail = phaseTrail(run.snapshots);
    assert.equal(trail[0], "not-started", trail.join(" → "));
    assert.equal(trail[trail.length - 1], "complete", trail.join(" → "));
    // Live steps never go backwards, and both reboot rounds were seen.
    const steps = run.snapshots.filter((s) => s.phase.state === "live").map((s) => s.phase.step!);
    for (let i = 1; i < steps.length; i++) assert.ok(steps[i] >= steps[i - 1], trail.join(" → "));
    assert.ok(steps.includes(2) && steps.includes(3), trail.join(" → "));
    const order = ["not-started", "starting", "live/1", "live/2", "live/3", "live/4", "complete"];
    const idx = trail.map((p) => order.indexOf(p));
    assert.ok(idx.every((i) => i >= 0), `unexpected phase in ${trail.join(" → ")}`);
    for (let i = 1; i < idx.length; i++) assert.ok(idx[i] > idx[i - 1], trail.join(" → "));
    const last = run.snapshots[run.snapshots.length - 1];
    assert.equal(last.phase.from, "OpenShiftSDN");
    assert.equal(last.phase.to, "OVNKubernetes");
    assert.equal(last.phase.method, "live");
    assert.equal(last.timing.etaSeconds, 0);
    const during = run.snapshots.find((s) => s.phase.state === "live" && s.phase.step === 3)!;
    assert.ok(Array.isArray(during.conditions) && during.conditions.length === 5);
    assert.equal(during.timing.nodeUpdatesTotal, 12);
    // Prometheus was read by exec into prometheus-k8s-0 (container prometheus), not through a route.
    const execs = sim.requestLog.records().filter((r) => r.subresource === "exec");
    assert.ok(execs.length > 0, "no exec request");
    // The first read goes to prometheus-k8s-0; -1 is only the fallback (the sim drains their nodes too).
    assert.equal(execs[0].name, "prometheus-k8s-0");
    assert.ok(execs.some((r) => r.name === "prometheus-k8s-0" && r.code === 101), "no successful exec into -0");
    assert.ok(execs.every((r) => r.resource === "pods" && /^prometheus-k8s-[01]$/.test(r.name ?? "")));
    assert.ok(execs.every((r) => (r.query ?? "").includes("container=prometheus")));
    assert.ok(execs.every((r) => r.namespace === "openshift-monitoring"));
    // Watches, not polling: every node/pool/network read is a watch or the initial list.
    const nodeReads = sim.requestLog.records().filter((r) => r.resource === "nodes");
    assert.ok(
      nodeReads.every((r) => r.verb === "watch" || r.verb === "list"),
      JSON.stringify(nodeReads.map((r) => r.verb)),
    );
  });
});
