/**
 * `status --watch -o json` beside a real `execute --method offline` (a subprocess, as users run it): the
 * phases follow the offline procedure (cluster-behaviour.md §1) and the watch ends with 0 only once every
 * node has rebooted since the flip.
 */
import assert from "node:assert/strict";
import { runCli } from "../migrate/_cli.ts";
import { phaseTrail, runStatusOn, withSim } from "./_helpers.ts";

Deno.test("offline migration of sdn-small: preparing → prepared → flipped → complete, exit 0 after the reboots", async () => {
  await withSim("sdn-small", async (sim) => {
    const backupDir = await Deno.makeTempDir({ prefix: "ovn-migrate-status-" });
    try {
      let execute: Promise<{ code: number; stderr: string }> | undefined;
      const status = await runStatusOn(sim, {
        watch: true,
        // No periodic refresh: the progress record (boot IDs at the flip) is re-read only because the phase
        // changed, which proves a new phase is held back until then (a stale record would call the flip complete).
        intervalMs: 3_600_000,
        afterFirst: () => {
          execute = runCli(
            ["execute", "--method", "offline", "--yes", "--etcd-backup-confirmed", "--backup-dir", backupDir],
            { kubeconfig: sim.kubeconfigPath, timeScale: sim.clock.scale },
          );
        },
      });
      const ran = await execute!;
      assert.equal(ran.code, 0, ran.stderr);
      assert.equal(status.code, 0);
      const trail = phaseTrail(status.snapshots);
      const order = [
        "not-started",
        "offline-preparing/1",
        "offline-prepared/2",
        "offline-flipped/2",
        "offline-flipped/3",
        "complete",
      ];
      const idx = trail.map((p) => order.indexOf(p));
      assert.ok(idx.every((i) => i >= 0), trail.join(" → "));
      for (let i = 1; i < idx.length; i++) assert.ok(idx[i] > idx[i - 1], trail.join(" → "));
      assert.ok(trail.includes("offline-preparing/1") && trail.includes("offline-flipped/3"), trail.join(" → "));
      const last = status.snapshots[status.snapshots.length - 1];
      assert.equal(last.phase.method, "offline");
      assert.equal(last.phase.to, "OVNKubernetes");
      const nodes = last.nodes as { rebootedSinceFlip: number; total: number };
      assert.equal(nodes.rebootedSinceFlip, nodes.total, "complete before every node rebooted");
    } finally {
      await Deno.remove(backupDir, { recursive: true });
    }
  });
});
