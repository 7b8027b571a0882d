/** `oc-ovn-migrate status` as users run it: main.ts as a subprocess against the simulated cluster. */
import assert from "node:assert/strict";
import { runCli } from "../migrate/_cli.ts";
import { triggerLive, withSim } from "./_helpers.ts";

Deno.test("main.ts status (human, one shot) on sdn-small: not started, exit 0", async () => {
  await withSim("sdn-small", async (sim) => {
    const run = await runCli(["status"], { kubeconfig: sim.kubeconfigPath, timeScale: sim.clock.scale });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Migration: not started/);
    assert.match(run.stdout, /= Machine config pools =/);
    assert.match(run.stdout, /6 nodes: 6 Ready/);
  });
});

Deno.test("main.ts status --watch -o json on a blocked live migration: NDJSON, exit 3, reason and fix", async () => {
  await withSim("sdn-cidr-overlap", async (sim) => {
    triggerLive(sim);
    const run = await runCli(["status", "--watch", "-o", "json", "--interval", "2s"], {
      kubeconfig: sim.kubeconfigPath,
      timeScale: sim.clock.scale,
    });
    assert.equal(run.code, 3, run.stderr);
    const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l));
    const last = lines[lines.length - 1];
    assert.equal(last.schema, "ovn-migrate.openshift.io/status/v1");
    assert.equal(last.phase.state, "blocked");
    assert.equal(last.problems[0].reason, "NetworkOverlap");
    assert.match(last.problems[0].fix.join("\n"), /oc patch network\.operator\.openshift\.io cluster/);
  });
});
