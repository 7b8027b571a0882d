/**
 * Blocked live migrations (cluster-behaviour.md §2.2): after the documented trigger CNO refuses; `status
 * --watch` exits 3 naming the reason and the fix, in JSON and in the human view.
 */
import assert from "node:assert/strict";
import { runStatusOn, triggerLive, withSim } from "./_helpers.ts";
import type { StatusSnapshot } from "../../lib/status/types.ts";

const cases: { scenario: string; reason: string; fix: RegExp; metric?: string }[] = [
  {
    scenario: "sdn-egress-router",
    reason: "UnsupportedMACVLANInterface",
    fix: /oc delete pod egress-router-redirect -n egress-router-project/,
    metric: "UnsupportedMACVLANInterface",
  },
  {
    scenario: "sdn-cidr-overlap",
    reason: "NetworkOverlap",
    fix: /"internalJoinSubnet":"100\.65\.0\.0\/16"/,
    metric: "overlapping_networks_serviceNetwork_v4InternalSubnet",
  },
  {
    scenario: "sdn-multitenant",
    reason: "UnsupportedSDNNetworkIsolationMode",
    fix: /--method offline/,
    metric: "UnsupportedSDNNetworkIsolationMode",
  },
  { scenario: "hypershift", reason: "UnsupportedHyperShiftCluster", fix: /network-type-migration":null/ },
];

for (const c of cases) {
  Deno.test(`${c.scenario}: --watch exits 3 with ${c.reason} and its fix`, async () => {
    await withSim(c.scenario, async (sim) => {
      triggerLive(sim);
      const run = await runStatusOn(sim, { watch: true });
      assert.equal(run.code, 3, run.io.stdoutText().slice(-2000));
      const last: StatusSnapshot = run.snapshots[run.snapshots.length - 1];
      assert.equal(last.phase.state, "blocked");
      assert.equal(last.phase.method, "live");
      const p = last.problems[0];
      assert.equal(p.reason, c.reason);
      assert.equal(p.severity, "blocking");
      assert.match(p.fix.join("\n"), c.fix);
      if (c.metric) assert.ok(last.metrics.blocked.includes(c.metric), JSON.stringify(last.metrics));
    });
  });
}

Deno.test("sdn-egress-router: the one-shot human view names the pods and says what to run", async () => {
  await withSim("sdn-egress-router", async (sim) => {
    triggerLive(sim);
    // Wait for CNO to refuse (its clusterconfig controller reacts within simulated seconds).
    for (let i = 0; i < 100; i++) {
      const co = sim.store.get("config.openshift.io/clusteroperators", undefined, "network");
      if (
        co?.status?.conditions?.some((x: { type: string; status: string }) =>
          x.type === "Degraded" && x.status === "True"
        )
      ) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const run = await runStatusOn(sim, { output: "human" });
    assert.equal(run.code, 3);
    const text = run.io.stdoutText();
    assert.match(text, /Migration: blocked/);
    assert.match(text, /assign-macvlan/);
    assert.match(text, /oc delete pod egress-router-http-proxy -n egress-router-project/);
    assert.match(text, /live_migration_blocked: UnsupportedMACVLANInterface/);
  });
});
