/**
 * `execute --method live` against the simulated cluster, through the CLI as users run it (issue 7
 * "Must show"; CNO's live state machine follows cluster-behaviour.md §2).
 */
import assert from "node:assert/strict";
import { startSim } from "../../sim/sim.ts";
import { runCli } from "./_cli.ts";

const SCALE = 200;
const NETCFG = "config.openshift.io/networks";
const NETOP = "operator.openshift.io/networks";
const MCP = "machineconfiguration.openshift.io/machineconfigpools";

type Sim = Awaited<ReturnType<typeof startSim>>;

async function withSim(scenario: string, fn: (sim: Sim, backupDir: string) => Promise<void>) {
  const sim = await startSim({ scenario, timeScale: SCALE });
  const backupDir = await Deno.makeTempDir({ prefix: "ovn-migrate-live-" });
  try {
    await fn(sim, backupDir);
  } finally {
    await sim.stop();
    await Deno.remove(backupDir, { recursive: true });
  }
}

/** Counts, per pool, how often status.configuration.name (the rendered config rolled out) changes. */
function countRollouts(sim: Sim): { counts: Map<string, number>; stop: () => void } {
  const last = new Map<string, string>();
  for (const p of sim.store.all(MCP)) last.set(p.metadata.name, p.status?.configuration?.name);
  const counts = new Map<string, number>([...last.keys()].map((k) => [k, 0]));
  const stop = sim.store.subscribe((e) => {
    if (e.key !== MCP) return;
    const name = e.object.metadata.name;
    const now = e.object.status?.configuration?.name;
    if (now && now !== last.get(name)) {
      last.set(name, now);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  });
  return { counts, stop };
}

const live = (backupDir: string, ...extra: string[]) => [
  "execute",
  "--method",
  "live",
  "--yes",
  "--etcd-backup-confirmed",
  "--backup-dir",
  backupDir,
  ...extra,
];

function assertCompleted(sim: Sim) {
  const nc = sim.store.get(NETCFG, undefined, "cluster")!;
  assert.equal(nc.spec.networkType, "OVNKubernetes");
  assert.equal(nc.status.networkType, "OVNKubernetes");
  const cond = (t: string) => nc.status.conditions.find((c: { type: string }) => c.type === t);
  assert.equal(cond("NetworkTypeMigrationInProgress").status, "False");
  assert.equal(cond("NetworkTypeMigrationInProgress").reason, "NetworkTypeMigrationCompleted");
  for (const t of ["MTUReady", "TargetCNIAvailable", "TargetCNIInUse", "OriginalCNIPurged"]) {
    assert.equal(cond(`NetworkTypeMigration${t}`).status, "Unknown", t);
  }
  assert.equal(sim.store.get(NETOP, undefined, "cluster")!.spec.migration ?? null, null);
}

Deno.test("live migration of sdn-small completes with exactly two rollouts per pool and reports the MTU 50 lower", async () => {
  await withSim("sdn-small", async (sim, backupDir) => {
    const mtuBefore = sim.store.get(NETCFG, undefined, "cluster")!.status.clusterNetworkMTU as number;
    const rollouts = countRollouts(sim);
    try {
      const run = await runCli(live(backupDir), { kubeconfig: sim.kubeconfigPath, timeScale: SCALE });
      assert.equal(run.code, 0, run.stderr);
      assertCompleted(sim);
      assert.deepEqual(Object.fromEntries(rollouts.counts), { master: 2, worker: 2 });
      const mtuAfter = sim.store.get(NETCFG, undefined, "cluster")!.status.clusterNetworkMTU;
      assert.equal(mtuAfter, mtuBefore - 50);
      assert.match(run.stdout, new RegExp(`Cluster network MTU: ${mtuBefore - 50}\\.`));
      assert.match(run.stderr, new RegExp(`cluster network MTU ${mtuBefore} → ${mtuBefore - 50}`));
      assert.match(run.stderr, /MTUReady=True/, "progress lines show the conditions");
      const saved = await Deno.readTextFile(`${backupDir}/network-config.yaml`);
      assert.match(saved, /networkType: OpenShiftSDN/, "the backup predates the trigger");
      // The annotation stays until cleanup (CNO never removes it; removing it is cleanup's job).
      const nc = sim.store.get(NETCFG, undefined, "cluster")!;
      assert.ok("network.openshift.io/network-type-migration" in nc.metadata.annotations);
    } finally {
      rollouts.stop();
    }
  });
});

Deno.test("live migration killed with SIGKILL after the trigger resumes and completes without a second trigger", async () => {
  await withSim("sdn-small", async (sim, backupDir) => {
    const rollouts = countRollouts(sim);
    try {
      const first = await runCli(live(backupDir), {
        kubeconfig: sim.kubeconfigPath,
        timeScale: SCALE,
        killWhen: /✔ Start the live migration/,
        killDelayMs: 300,
      });
      assert.ok(first.killed, first.stderr);
      const inProgress = sim.store.get(NETCFG, undefined, "cluster")!.status.conditions
        ?.find((c: { type: string }) => c.type === "NetworkTypeMigrationInProgress");
      assert.equal(inProgress?.status, "True", "killed while the migration was under way");
      const second = await runCli(live(backupDir), { kubeconfig: sim.kubeconfigPath, timeScale: SCALE });
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stderr, /resuming the live migration/);
      assertCompleted(sim);
      const triggers = sim.requestLog.writes().filter((r) =>
        r.verb === "patch" && r.resource === "networks" && r.apiGroup === "config.openshift.io"
      );
      assert.equal(triggers.length, 1, "the trigger was patched more than once");
      const operatorPatches = sim.requestLog.writes().filter((r) =>
        r.verb === "patch" && r.resource === "networks" && r.apiGroup === "operator.openshift.io"
      );
      assert.equal(operatorPatches.length, 0, "spec.migration was touched by the tool during the migration");
      assert.deepEqual(Object.fromEntries(rollouts.counts), { master: 2, worker: 2 });
    } finally {
      rollouts.stop();
    }
  });
});

Deno.test("sdn-egress-router: refused with the pod list and no write; --delete-egress-router-pods saves, deletes and completes", async () => {
  await withSim("sdn-egress-router", async (sim, backupDir) => {
    const routers = ["egress-router-redirect", "egress-router-http-proxy", "egress-router-dns-proxy"];
    sim.requestLog.clear();
    // The plan names the file the real run writes.
    const plan = await runCli(live(backupDir, "--delete-egress-router-pods", "--dry-run"), {
      kubeconfig: sim.kubeconfigPath,
      timeScale: SCALE,
    });
    assert.equal(plan.code, 0, plan.stderr);
    for (const name of routers) {
      assert.match(
        plan.stdout,
        new RegExp(
          `oc get pod ${name} -n egress-router-project -o yaml\\) >> \\S+/egress-router-pods-deleted\\.yaml && ` +
            `oc delete pod ${name} -n egress-router-project`,
        ),
      );
    }
    const refused = await runCli(live(backupDir), { kubeconfig: sim.kubeconfigPath, timeScale: SCALE });
    assert.equal(refused.code, 3, refused.stderr);
    for (const name of routers) assert.match(refused.stderr, new RegExp(`egress-router-project/${name}`));
    assert.match(refused.stderr, /--delete-egress-router-pods/);
    assert.deepEqual(sim.requestLog.writes(), []);

    const run = await runCli(live(backupDir, "--delete-egress-router-pods"), {
      kubeconfig: sim.kubeconfigPath,
      timeScale: SCALE,
    });
    assert.equal(run.code, 0, run.stderr);
    assertCompleted(sim);
    for (const name of routers) {
      assert.equal(sim.store.get("core/pods", "egress-router-project", name), undefined, `${name} still exists`);
    }
    // The tool deleted exactly the egress router pods (the MCO's drains evict others on their own).
    const deleted = sim.requestLog.writes().filter((r) => r.verb === "delete" && r.resource === "pods")
      .map((r) => r.name).sort();
    assert.deepEqual(deleted, [...routers].sort());
    const saved = await Deno.readTextFile(`${backupDir}/egress-router-pods-deleted.yaml`);
    for (const name of routers) assert.match(saved, new RegExp(`name: ${name}`));
    const cr = await Deno.readTextFile(`${backupDir}/egress-routers.yaml`);
    assert.match(cr, /kind: EgressRouter/);
    assert.match(cr, /name: egress-router-redirect/);
    assert.match(cr, /fallbackIP: 203\.0\.113\.27/);
    assert.doesNotMatch(cr, /egress-router-http-proxy/, "proxy modes have no EgressRouter equivalent");
    assert.match(run.stderr, /kind: EgressRouter/, "the CR equivalent is printed");
  });
});

Deno.test("--dry-run of the live migration prints the trigger patch and writes nothing", async () => {
  await withSim("sdn-small", async (sim, backupDir) => {
    sim.requestLog.clear();
    const run = await runCli(["execute", "--method", "live", "--dry-run", "--backup-dir", backupDir], {
      kubeconfig: sim.kubeconfigPath,
      timeScale: SCALE,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(sim.requestLog.writes(), []);
    assert.match(
      run.stdout,
      /"metadata":\{"annotations":\{"network\.openshift\.io\/network-type-migration":""\}\},"spec":\{"networkType":"OVNKubernetes"\}/,
    );
  });
});

Deno.test("sdn-cidr-overlap: CNO's rejection is quoted with the fix; rerun with --fix-subnets moves the join subnet and completes", async () => {
  await withSim("sdn-cidr-overlap", async (sim, backupDir) => {
    const blocked = await runCli(live(backupDir, "--skip-check", "cidr-overlap"), {
      kubeconfig: sim.kubeconfigPath,
      timeScale: SCALE,
    });
    assert.equal(blocked.code, 3, blocked.stderr);
    assert.match(blocked.stderr, /InvalidClusterConfig/);
    assert.match(blocked.stderr, /overlaps with network v4InternalSubnet\(100\.64\.0\.0\/16\)/);
    assert.match(blocked.stderr, /--fix-subnets/);
    const fixed = await runCli(live(backupDir, "--fix-subnets"), { kubeconfig: sim.kubeconfigPath, timeScale: SCALE });
    assert.equal(fixed.code, 0, fixed.stderr);
    assertCompleted(sim);
    const join = sim.store.get(NETOP, undefined, "cluster")!.spec.defaultNetwork.ovnKubernetesConfig.ipv4
      .internalJoinSubnet;
    assert.ok(join && join !== "100.64.0.0/16", `join subnet ${join}`);
  });
});

Deno.test("sdn-managed: refused without --managed-platform-ack (no write); with it the annotation is set first", async () => {
  await withSim("sdn-managed", async (sim, backupDir) => {
    sim.requestLog.clear();
    const refused = await runCli(live(backupDir), { kubeconfig: sim.kubeconfigPath, timeScale: SCALE });
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /--managed-platform-ack/);
    assert.deepEqual(sim.requestLog.writes(), []);
    const run = await runCli(live(backupDir, "--managed-platform-ack"), {
      kubeconfig: sim.kubeconfigPath,
      timeScale: SCALE,
    });
    assert.equal(run.code, 0, run.stderr);
    assertCompleted(sim);
    const nc = sim.store.get(NETCFG, undefined, "cluster")!;
    assert.equal(nc.metadata.annotations["unsupported-red-hat-internal-testing"], "true");
  });
});

Deno.test("a pool that degrades during the live migration stops it with the node, its reason and the daemon pod", async () => {
  const scenario = { name: "sdn-small-degrading", faults: { degradePoolOnRollout: "worker" } };
  const sim = await startSim({ scenario, timeScale: SCALE });
  const backupDir = await Deno.makeTempDir({ prefix: "ovn-migrate-live-" });
  try {
    const run = await runCli(live(backupDir), { kubeconfig: sim.kubeconfigPath, timeScale: SCALE });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /Machine config pool worker is degraded/);
    assert.match(run.stderr, /node worker-\d: /);
    assert.match(run.stderr, /oc logs -n openshift-machine-config-operator machine-config-daemon-/);
    assert.match(run.stderr, /again resumes/);
  } finally {
    await sim.stop();
    await Deno.remove(backupDir, { recursive: true });
  }
});

Deno.test("sdn-paused-pool: a pool that stays paused stops the live migration with the unpause command", async () => {
  await withSim("sdn-paused-pool", async (sim, backupDir) => {
    const run = await runCli(live(backupDir, "--skip-check", "machine-config-pools"), {
      kubeconfig: sim.kubeconfigPath,
      timeScale: SCALE,
    });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /Machine config pool worker stays paused/);
    assert.match(run.stderr, /oc patch mcp\/worker --type merge -p '\{"spec":\{"paused":false\}\}'/);
  });
});

Deno.test("--fix-subnets chooses a free join subnet before the trigger (dry run shows the patch first)", async () => {
  await withSim("sdn-cidr-overlap", async (sim, backupDir) => {
    sim.requestLog.clear();
    const run = await runCli(["execute", "--method", "live", "--dry-run", "--fix-subnets", "--backup-dir", backupDir], {
      kubeconfig: sim.kubeconfigPath,
      timeScale: SCALE,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(sim.requestLog.writes(), []);
    const subnet = run.stdout.indexOf(`"ovnKubernetesConfig":{"ipv4":{"internalJoinSubnet":"100.65.0.0/16"}}`);
    const trigger = run.stdout.indexOf(`"network.openshift.io/network-type-migration":""`);
    assert.ok(subnet > 0 && trigger > subnet, run.stdout);
  });
});
