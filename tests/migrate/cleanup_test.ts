/**
 * `cleanup` after a migration (issue 7 "Must show"), run in-process against the simulated cluster: no SDN
 * objects, no migration field, no annotation left; a second run is a no-op; an unfinished migration is refused.
 */
import assert from "node:assert/strict";
import { startSim } from "../../sim/sim.ts";
import { run as runCleanup } from "../../lib/cli/commands/cleanup.ts";
import { PROGRESS_NAME, PROGRESS_NAMESPACE } from "../../lib/migrate/progress.ts";
import { runInProcess, type Sim } from "./_inproc.ts";

const SCALE = 200;
const NETCFG = "config.openshift.io/networks";
const NETOP = "operator.openshift.io/networks";
const ANNOTATION = "network.openshift.io/network-type-migration";
const opts = { dryRun: false, yes: true, timeoutMs: 600_000 };

async function withSim(scenario: string, fn: (sim: Sim) => Promise<void>) {
  const sim = await startSim({ scenario, timeScale: SCALE });
  try {
    await fn(sim);
  } finally {
    await sim.stop();
  }
}

const cleanup = (sim: Sim, o = opts) => runInProcess(sim, SCALE, (ctx) => runCleanup(ctx, o));

function assertNoLeftovers(sim: Sim) {
  assert.equal(sim.store.get("core/namespaces", undefined, "openshift-sdn"), undefined, "namespace openshift-sdn");
  const no = sim.store.get(NETOP, undefined, "cluster")!;
  assert.equal(no.spec.migration ?? null, null, "spec.migration");
  assert.equal(no.spec.defaultNetwork.openshiftSDNConfig, undefined, "openshiftSDNConfig");
  const nc = sim.store.get(NETCFG, undefined, "cluster")!;
  assert.equal(nc.metadata.annotations?.[ANNOTATION], undefined, "the live migration annotation");
  assert.equal(nc.status.migration, undefined, "status.migration");
  assert.equal(nc.status.networkType, "OVNKubernetes");
  assert.equal(sim.store.get("core/configmaps", PROGRESS_NAMESPACE, PROGRESS_NAME), undefined, "progress record");
}

for (const scenario of ["ovn-after-offline", "ovn-after-live"]) {
  Deno.test(`cleanup of ${scenario} leaves no SDN objects; a second cleanup is a no-op`, async () => {
    await withSim(scenario, async (sim) => {
      const first = await cleanup(sim);
      assert.equal(first.code, 0, `${first.error}\n${first.stderr}`);
      assertNoLeftovers(sim);
      assert.match(first.stdout, /Cleanup complete/);

      sim.requestLog.clear();
      const second = await cleanup(sim);
      assert.equal(second.code, 0, second.error ?? "");
      assert.match(second.stdout, /Nothing to clean up/);
      assert.deepEqual(sim.requestLog.writes(), [], "the second cleanup wrote to the cluster");
    });
  });
}

Deno.test("cleanup --dry-run lists every change and writes nothing", async () => {
  await withSim("ovn-after-live", async (sim) => {
    sim.requestLog.clear();
    const run = await cleanup(sim, { ...opts, dryRun: true });
    assert.equal(run.code, 0, run.error ?? "");
    assert.deepEqual(sim.requestLog.writes(), []);
    assert.match(run.stdout, /"openshiftSDNConfig":null/);
    assert.match(run.stdout, /oc delete namespace openshift-sdn/);
    assert.match(run.stdout, /oc annotate network\.config cluster network\.openshift\.io\/network-type-migration-/);
    assert.ok(sim.store.get("core/namespaces", undefined, "openshift-sdn"), "nothing was deleted");
  });
});

Deno.test("cleanup refuses an unfinished live migration with the reason (exit 3, no write)", async () => {
  await withSim("sdn-small", async (sim) => {
    // The live trigger, as `execute --method live` (or a user) patches it.
    sim.store.mutate(NETCFG, undefined, "cluster", (o) => {
      o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [ANNOTATION]: "" };
      o.spec.networkType = "OVNKubernetes";
    });
    sim.requestLog.clear();
    const run = await cleanup(sim);
    assert.equal(run.code, 3);
    assert.match(run.error ?? "", /Cleanup refused: a network type change is unfinished/);
    assert.match(run.error ?? "", /spec\.networkType is OVNKubernetes but the cluster runs OpenShiftSDN/);
    assert.deepEqual(sim.requestLog.writes(), []);
  });
});

Deno.test("cleanup refuses a prepared offline migration (spec.migration set, not flipped)", async () => {
  await withSim("sdn-small", async (sim) => {
    sim.store.mutate(NETOP, undefined, "cluster", (o) => {
      o.spec.migration = { networkType: "OVNKubernetes" };
    });
    const run = await cleanup(sim);
    assert.equal(run.code, 3);
    assert.match(run.error ?? "", /a migration to OVNKubernetes was prepared/);
    assert.ok(sim.store.get(NETOP, undefined, "cluster")!.spec.migration, "spec.migration was kept");
  });
});

Deno.test("cleanup refuses a cluster that was never migrated, even with ovnKubernetesConfig set (exit 3, no write)", async () => {
  await withSim("sdn-small", async (sim) => {
    // The patch preflight suggests for an overlapping join subnet, applied ahead of a migration.
    sim.store.mutate(NETOP, undefined, "cluster", (o) => {
      o.spec.defaultNetwork.ovnKubernetesConfig = { v4InternalSubnet: "100.65.0.0/16" };
    });
    sim.requestLog.clear();
    const run = await cleanup(sim, { ...opts, dryRun: true });
    assert.equal(run.code, 3);
    assert.match(run.error ?? "", /was never migrated/);
    assert.deepEqual(sim.requestLog.writes(), []);
  });
});
