/**
 * `rollback` to OpenShift SDN (issue 7 "Must show"), run in-process against the simulated cluster: offline
 * (every pool paused first, features/MTU/VXLAN set before the flip, reboots, unpause, MCO rollout) and
 * live; then cleanup removes the OVN leftovers. Refused where it does not apply.
 */
import assert from "node:assert/strict";
import { startSim } from "../../sim/sim.ts";
import type { ScenarioInput } from "../../sim/scenario/schema.ts";
import type { RollbackOptions } from "../../lib/migrate/options.ts";
import { run as runCleanup } from "../../lib/cli/commands/cleanup.ts";
import { run as runRollback } from "../../lib/cli/commands/rollback.ts";
import { runInProcess, type Sim } from "./_inproc.ts";
import { createStepUi } from "../../lib/cli/step_ui.ts";
import { runSteps, type StepOutcome } from "../../lib/migrate/engine.ts";
import { Progress } from "../../lib/migrate/progress.ts";
import { type RollbackOfflineOptions, rollbackOfflineSteps } from "../../lib/migrate/offline_rollback.ts";
import type { Step } from "../../lib/migrate/step.ts";
import { tuning } from "../../lib/migrate/tuning.ts";
import { CliError } from "../../lib/errors.ts";
import { ExitCode } from "../../lib/exit_codes.ts";

const SCALE = 200;
const NETCFG = "config.openshift.io/networks";
const NETOP = "operator.openshift.io/networks";
const MCP = "machineconfiguration.openshift.io/machineconfigpools";

async function withSim(scenario: string | ScenarioInput, fn: (sim: Sim, backupDir: string) => Promise<void>) {
  const sim = await startSim({ scenario, timeScale: SCALE });
  const backupDir = await Deno.makeTempDir({ prefix: "ovn-migrate-rollback-" });
  try {
    await fn(sim, backupDir);
  } finally {
    await sim.stop();
    await Deno.remove(backupDir, { recursive: true });
  }
}

const base: RollbackOptions = {
  method: "offline",
  dryRun: false,
  yes: true,
  timeoutMs: 3_600_000,
  egressIp: true,
  egressFirewall: true,
  multicast: true,
  reboot: "exec",
  allowAllMasters: false,
  backupDir: "",
};

const rollback = (sim: Sim, backupDir: string, opts: Partial<RollbackOptions> = {}) =>
  runInProcess(sim, SCALE, (ctx) => runRollback(ctx, { ...base, backupDir, ...opts }));

const cleanup = (sim: Sim) =>
  runInProcess(sim, SCALE, (ctx) => runCleanup(ctx, { dryRun: false, yes: true, timeoutMs: 600_000 }));

const bootIDs = (sim: Sim) =>
  Object.fromEntries(sim.store.all("core/nodes").map((n) => [n.metadata.name, n.status.nodeInfo.bootID]));

function assertOnSDN(sim: Sim) {
  const nc = sim.store.get(NETCFG, undefined, "cluster")!;
  assert.equal(nc.spec.networkType, "OpenShiftSDN");
  assert.equal(nc.status.networkType, "OpenShiftSDN");
  for (const p of sim.store.all(MCP)) {
    assert.notEqual(p.spec.paused, true, `pool ${p.metadata.name} left paused`);
    assert.equal(p.status.configuration.name, p.spec.configuration.name, `pool ${p.metadata.name} not rolled out`);
  }
}

async function assertCleanAfterRollback(sim: Sim) {
  const run = await cleanup(sim);
  assert.equal(run.code, 0, `${run.error}\n${run.stderr}`);
  assert.equal(sim.store.get("core/namespaces", undefined, "openshift-ovn-kubernetes"), undefined);
  const no = sim.store.get(NETOP, undefined, "cluster")!;
  assert.equal(no.spec.migration ?? null, null);
  assert.equal(no.spec.defaultNetwork.ovnKubernetesConfig, undefined);
  const nc = sim.store.get(NETCFG, undefined, "cluster")!;
  assert.equal(nc.metadata.annotations?.["network.openshift.io/network-type-migration"], undefined);
}

/** ovn-after-offline with a custom pool: the documented commands pause only master and worker. */
const withInfraPool: ScenarioInput = {
  name: "ovn-after-offline-infra",
  version: "4.16.20",
  network: { type: "OVNKubernetes" },
  migratedFrom: { type: "OpenShiftSDN", method: "offline" },
  pools: [{ name: "master", nodes: 3 }, { name: "worker", nodes: 2 }, { name: "infra", nodes: 1 }],
};

Deno.test("offline rollback pauses every pool, sets features/MTU/VXLAN before the flip, reboots and returns to OpenShiftSDN", async () => {
  await withSim(withInfraPool, async (sim, backupDir) => {
    const pausedSeen = new Set<string>();
    const order: string[] = [];
    const unsubscribe = sim.store.subscribe((e) => {
      if (e.key === MCP && e.object.spec?.paused) pausedSeen.add(e.object.metadata.name);
      if (e.key === NETOP && e.object.spec?.migration?.networkType === "OpenShiftSDN") {
        if (!order.includes("migration")) order.push("migration");
        if (e.object.spec.defaultNetwork?.openshiftSDNConfig?.mtu === 1400 && !order.includes("mtu")) order.push("mtu");
      }
      if (e.key === NETCFG && e.object.spec?.networkType === "OpenShiftSDN" && !order.includes("flip")) {
        order.push("flip");
      }
    });
    try {
      const before = bootIDs(sim);
      const run = await rollback(sim, backupDir, { mtu: 1400, vxlanPort: 4790, egressIp: false });
      assert.equal(run.code, 0, `${run.error}\n${run.stderr}`);
      assertOnSDN(sim);
      assert.deepEqual([...pausedSeen].sort(), ["infra", "master", "worker"]);
      assert.deepEqual(order, ["migration", "mtu", "flip"], "features and MTU must be set before the flip");
      const no = sim.store.get(NETOP, undefined, "cluster")!;
      assert.deepEqual(no.spec.migration.features, { egressIP: false, egressFirewall: true, multicast: true });
      assert.equal(no.spec.defaultNetwork.openshiftSDNConfig.vxlanPort, 4790);
      const after = bootIDs(sim);
      for (const node of Object.keys(before)) assert.notEqual(after[node], before[node], `${node} not rebooted`);
      assert.match(run.stdout, /runs OpenShift SDN again/);
      assert.ok((await Deno.stat(`${backupDir}/network-config.yaml`)).isFile);
    } finally {
      unsubscribe();
    }
    await assertCleanAfterRollback(sim);
  });
});

Deno.test("live rollback of ovn-after-live returns to OpenShiftSDN; cleanup then removes the annotation", async () => {
  await withSim("ovn-after-live", async (sim, backupDir) => {
    const run = await rollback(sim, backupDir, { method: "live" });
    assert.equal(run.code, 0, `${run.error}\n${run.stderr}`);
    assertOnSDN(sim);
    const nc = sim.store.get(NETCFG, undefined, "cluster")!;
    const inProgress = nc.status.conditions.find((c: { type: string }) => c.type === "NetworkTypeMigrationInProgress");
    assert.equal(inProgress.reason, "NetworkTypeMigrationCompleted");
    assert.match(run.stderr, /cluster network MTU 1400 → 1450/);
    await assertCleanAfterRollback(sim);
  });
});

Deno.test("live rollback of ovn-after-offline clears the offline migration field first and completes", async () => {
  await withSim("ovn-after-offline", async (sim, backupDir) => {
    const run = await rollback(sim, backupDir, { method: "live" });
    assert.equal(run.code, 0, `${run.error}\n${run.stderr}`);
    assertOnSDN(sim);
  });
});

Deno.test("rollback refuses a cluster that is not on OVN-Kubernetes, and --vxlan-port 6081 (no write)", async () => {
  await withSim("sdn-small", async (sim, backupDir) => {
    sim.requestLog.clear();
    const run = await rollback(sim, backupDir);
    assert.equal(run.code, 3);
    assert.match(run.error ?? "", /Rollback refused: the cluster is not on OVN-Kubernetes/);
    assert.deepEqual(sim.requestLog.writes(), []);
  });
  await withSim("ovn-after-offline", async (sim, backupDir) => {
    sim.requestLog.clear();
    const run = await rollback(sim, backupDir, { vxlanPort: 6081 });
    assert.equal(run.code, 2);
    assert.match(run.error ?? "", /Geneve port/);
    assert.deepEqual(sim.requestLog.writes(), []);
  });
});

Deno.test("offline rollback stopped right after the flip resumes from the cluster's state without repeating a patch", async () => {
  await withSim("ovn-after-offline", async (sim, backupDir) => {
    const stopped = await runInProcess(sim, SCALE, async (ctx) => {
      const kube = await ctx.connect();
      const progress = await Progress.load(kube, {
        operation: "rollback",
        method: "offline",
        from: "OVNKubernetes",
        to: "OpenShiftSDN",
        version: "test",
        dryRun: false,
      });
      const abort = new AbortController();
      const ui = createStepUi(ctx, { yes: true });
      const stopAfterFlip = {
        ...ui,
        stepDone: (step: Step<unknown>, outcome: StepOutcome) => {
          ui.stepDone(step, outcome);
          if (step.id === "flip-network-type") abort.abort(new CliError("Interrupted.", ExitCode.RuntimeError));
        },
      };
      const options: RollbackOfflineOptions = {
        sdnConfig: {},
        reboot: "exec",
        rebootBatch: "all",
        allowAllMasters: false,
        timeoutMs: 600_000,
        backupDir,
        ...tuning((name) => name === "OVN_MIGRATE_TIME_SCALE" ? String(SCALE) : undefined),
      };
      await runSteps(
        rollbackOfflineSteps(),
        { kube, options, progress, report: ui.report, note: ui.note, signal: abort.signal },
        stopAfterFlip,
        { dryRun: false, resumeCommand: "rollback", confirmQuestion: "?" },
      );
      return 0;
    });
    assert.equal(stopped.code, 1, "the first run was interrupted");
    assert.equal(sim.store.get(NETCFG, undefined, "cluster")!.spec.networkType, "OpenShiftSDN");

    const resumed = await rollback(sim, backupDir);
    assert.equal(resumed.code, 0, `${resumed.error}\n${resumed.stderr}`);
    assert.match(resumed.stderr, /resuming the offline rollback/);
    assertOnSDN(sim);
    const patches = (resource: string, group: string) =>
      sim.requestLog.writes().filter((r) => r.verb === "patch" && r.resource === resource && r.apiGroup === group);
    assert.equal(patches("networks", "config.openshift.io").length, 1, "the flip was patched twice");
    assert.equal(patches("networks", "operator.openshift.io").length, 2, "migration cleared and set once each");
    // Two pools: each paused once and unpaused once.
    assert.equal(patches("machineconfigpools", "machineconfiguration.openshift.io").length, 4);
  });
});
