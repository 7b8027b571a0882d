/**
 * Watch mechanics: Ctrl-C prints the last snapshot and ends with 0; dropped watches are resumed (the
 * migration is still followed to the end); a live migration that can never finish (an unmanaged DaemonSet
 * in openshift-sdn, §2.5) ends with 3 and says which DaemonSet to delete.
 */
import assert from "node:assert/strict";
import { createMemoryIo } from "../../lib/cli/io.ts";
import { connect } from "../../lib/kube/connect.ts";
import { createLogger } from "../../lib/cli/logger.ts";
import { watchStatus } from "../../lib/status/watch.ts";
import { watchOutput } from "../../lib/cli/status_watch_output.ts";
import type { StatusSnapshot } from "../../lib/status/types.ts";
import type { GlobalOptions } from "../../lib/cli/context.ts";
import { startSim } from "../../sim/sim.ts";
import {
  NETCFG,
  NETOP,
  phaseTrail,
  recordBootIdsAtFlip,
  runStatusOn,
  SCALE,
  triggerLive,
  withSim,
} from "./_helpers.ts";

Deno.test("interrupting the watch prints the last snapshot and ends with 0", async () => {
  await withSim("sdn-small", async (sim) => {
    const io = createMemoryIo();
    const globals: GlobalOptions = { kubeconfig: sim.kubeconfigPath, verbose: 0, output: "json", color: "never" };
    const kube = await connect(globals, createLogger(0, io));
    try {
      const stop = new AbortController();
      const seen: StatusSnapshot[] = [];
      const code = await watchStatus({
        kube,
        output: watchOutput(io, "json"),
        intervalMs: 1_000,
        graceMs: 1_000,
        signal: stop.signal,
        onSnapshot: (s) => {
          seen.push(s);
          stop.abort();
        },
      });
      assert.equal(code, 0);
      const lines = io.stdoutText().trim().split("\n");
      assert.equal(lines.length, 1, "the last snapshot is printed once");
      assert.equal(JSON.parse(lines[0]).phase.state, "not-started");
      assert.equal(seen.length, 1);
    } finally {
      await kube.close?.();
    }
  });
});

Deno.test("dropped watches are resumed: the live migration is still followed to completion", async () => {
  await withSim("sdn-small", async (sim) => {
    sim.faults.set({ dropWatchesAfterSeconds: 0.5 });
    sim.requestLog.clear();
    const run = await runStatusOn(sim, { watch: true, afterFirst: () => triggerLive(sim) });
    assert.equal(run.code, 0);
    const trail = phaseTrail(run.snapshots);
    assert.equal(trail[trail.length - 1], "complete", trail.join(" → "));
    assert.ok(trail.includes("live/3"), trail.join(" → "));
    const nodeWatches = sim.requestLog.records().filter((r) => r.resource === "nodes" && r.verb === "watch");
    assert.ok(nodeWatches.length > 1, "the node watch was reopened");
  });
});

Deno.test("sdn-unmanaged-ds: the live migration stalls at step 4; exit 3 naming the DaemonSet to delete", async () => {
  await withSim("sdn-unmanaged-ds", async (sim) => {
    const run = await runStatusOn(sim, { watch: true, afterFirst: () => triggerLive(sim) });
    assert.equal(run.code, 3, phaseTrail(run.snapshots).join(" → "));
    const last = run.snapshots[run.snapshots.length - 1];
    assert.equal(last.phase.state, "blocked");
    assert.equal(last.phase.step, 4);
    const p = last.problems.find((x) => x.reason === "UnmanagedDaemonSet")!;
    assert.equal(p.severity, "blocking");
    assert.deepEqual(p.fix, ["oc delete daemonset sdn-debug-tools -n openshift-sdn"]);
    // It was announced as a warning before it blocked.
    assert.ok(
      run.snapshots.some((s) => s.phase.state === "live" && s.problems.some((x) => x.reason === "UnmanagedDaemonSet")),
    );
  });
});

Deno.test("live rollback of ovn-after-live: marked as rollback, steps in order, complete on OpenShiftSDN", async () => {
  await withSim("ovn-after-live", async (sim) => {
    // A finished live migration first reports complete; trigger the rollback, then watch it.
    triggerLive(sim, "OpenShiftSDN");
    const run = await runStatusOn(sim, { watch: true });
    assert.equal(run.code, 0, phaseTrail(run.snapshots).join(" → "));
    const trail = phaseTrail(run.snapshots);
    assert.equal(trail[trail.length - 1], "complete");
    const live = run.snapshots.filter((s) => s.phase.state === "live");
    assert.ok(live.length > 0, trail.join(" → "));
    assert.ok(live.every((s) => s.phase.rollback && s.phase.to === "OpenShiftSDN" && s.phase.from === "OVNKubernetes"));
    assert.match(live[0].phase.title, /live rollback step/);
    const steps = live.map((s) => s.phase.step!);
    for (let i = 1; i < steps.length; i++) assert.ok(steps[i] >= steps[i - 1], trail.join(" → "));
  });
});

Deno.test("a new phase waits for a fresh progress record: flipped, nothing rebooted yet, the watch never says complete", async () => {
  // A passive cluster (no controllers): the test writes each state itself, so no timing decides the outcome.
  const sim = await startSim({ scenario: "sdn-small", timeScale: SCALE, controllers: false });
  try {
    const stop = new AbortController();
    const status = await runStatusOn(sim, {
      watch: true,
      // No periodic refresh: only a phase change makes the watch read the progress record again.
      intervalMs: 3_600_000,
      stop: stop.signal,
      afterFirst: async () => {
        // Written after the watch's first read, as execute does just before the flip.
        recordBootIdsAtFlip(sim);
        sim.store.mutate(NETOP, undefined, "cluster", (o) => {
          o.spec.migration = { networkType: "OVNKubernetes" };
        });
        // CNO has deployed OVN; every node is Ready but none has rebooted since the flip.
        sim.store.mutate(NETCFG, undefined, "cluster", (o) => {
          o.spec.networkType = "OVNKubernetes";
          o.status.networkType = "OVNKubernetes";
        });
        await new Promise((r) => setTimeout(r, 1_500));
        stop.abort();
      },
    });
    const trail = phaseTrail(status.snapshots);
    assert.ok(!trail.includes("complete"), trail.join(" → "));
    assert.equal(trail[trail.length - 1], "offline-flipped/3", trail.join(" → "));
  } finally {
    await sim.stop();
  }
});
