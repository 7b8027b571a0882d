/**
 * `execute --method offline` against the simulated cluster, through the CLI as users run it
 * (issue 5 "Must show"; the cluster's reactions follow cluster-behaviour.md §1 and §5).
 */
import assert from "node:assert/strict";
import { startSim } from "../../sim/sim.ts";
import type { ScenarioInput } from "../../sim/scenario/schema.ts";
import { loadScenario } from "../../sim/scenario/load.ts";
import { isWrite } from "../../sim/server/request_log.ts";
import { PROGRESS_NAME, PROGRESS_NAMESPACE } from "../../lib/migrate/progress.ts";
import { runCli } from "./_cli.ts";

const SCALE = 200;
const NETCFG = "config.openshift.io/networks";
const NETOP = "operator.openshift.io/networks";

async function withSim(
  scenario: string | ScenarioInput,
  fn: (sim: Awaited<ReturnType<typeof startSim>>, backupDir: string) => Promise<void>,
) {
  const sim = await startSim({ scenario, timeScale: SCALE });
  const backupDir = await Deno.makeTempDir({ prefix: "ovn-migrate-backup-" });
  try {
    await fn(sim, backupDir);
  } finally {
    await sim.stop();
    await Deno.remove(backupDir, { recursive: true });
  }
}

const bootIDs = (sim: Awaited<ReturnType<typeof startSim>>) =>
  Object.fromEntries(sim.store.all("core/nodes").map((n) => [n.metadata.name, n.status.nodeInfo.bootID]));

function progressRecord(sim: Awaited<ReturnType<typeof startSim>>) {
  const cm = sim.store.get("core/configmaps", PROGRESS_NAMESPACE, PROGRESS_NAME);
  return cm ? JSON.parse(cm.data["progress.json"]) : undefined;
}

const offline = (backupDir: string, ...extra: string[]) => [
  "execute",
  "--method",
  "offline",
  "--yes",
  "--etcd-backup-confirmed",
  "--backup-dir",
  backupDir,
  ...extra,
];

Deno.test("offline migration of sdn-small: OVNKubernetes, every node rebooted after the flip, backup written, exit 0", async () => {
  await withSim("sdn-small", async (sim, backupDir) => {
    const before = bootIDs(sim);
    const run = await runCli(offline(backupDir), { kubeconfig: sim.kubeconfigPath, timeScale: SCALE });
    assert.equal(run.code, 0, run.stderr);
    const nc = sim.store.get(NETCFG, undefined, "cluster")!;
    assert.equal(nc.status.networkType, "OVNKubernetes");
    assert.equal(nc.spec.networkType, "OVNKubernetes");
    // Every node's boot ID differs from the one recorded just before the flip (and from the start).
    const atFlip = progressRecord(sim).data.bootIDsAtFlip as Record<string, string>;
    const after = bootIDs(sim);
    assert.deepEqual(Object.keys(atFlip).sort(), Object.keys(before).sort());
    for (const [node, id] of Object.entries(after)) {
      assert.notEqual(id, atFlip[node], `${node} was not rebooted after the flip`);
      assert.notEqual(id, before[node]);
    }
    for (const f of ["network-config.yaml", "network-operator.yaml", "machineconfigpools.yaml", "progress.json"]) {
      assert.ok((await Deno.stat(`${backupDir}/${f}`)).isFile, `${f} missing`);
    }
    const saved = await Deno.readTextFile(`${backupDir}/network-config.yaml`);
    assert.match(saved, /networkType: OpenShiftSDN/, "the backup predates the change");
    assert.match(run.stdout, /runs OVN-Kubernetes/);
    assert.match(run.stdout, /oc ovn-migrate cleanup/);
  });
});

Deno.test("--dry-run prints every patch and writes nothing (request log)", async () => {
  await withSim("sdn-small", async (sim, backupDir) => {
    sim.requestLog.clear();
    const run = await runCli(["execute", "--method", "offline", "--dry-run", "--backup-dir", backupDir], {
      kubeconfig: sim.kubeconfigPath,
      timeScale: SCALE,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(sim.requestLog.writes(), []);
    assert.match(run.stdout, /"spec":\{"migration":\{"networkType":"OVNKubernetes"\}\}/);
    assert.match(run.stdout, /"spec":\{"networkType":"OVNKubernetes"\}/);
    assert.match(run.stdout, /nothing was written/);
    assert.equal(sim.store.get(NETOP, undefined, "cluster")!.spec.migration ?? null, null);
  });
});

Deno.test("killed with SIGKILL at each step in turn, execute resumes and completes with no disruptive step repeated", async () => {
  await withSim("sdn-small", async (sim, backupDir) => {
    // Watch the operator Network: once our migration field is set it must never be cleared.
    let migrationSet = false;
    let clearedAfterSet = false;
    const unsubscribe = sim.store.subscribe((e) => {
      if (e.key !== NETOP) return;
      const m = e.object.spec?.migration;
      if (m?.networkType === "OVNKubernetes") migrationSet = true;
      else if (migrationSet) clearedAfterSet = true;
    });
    try {
      const steps = 12;
      let runs = 0;
      for (let k = 1; k <= steps; k++) {
        runs++;
        const run = await runCli(offline(backupDir), {
          kubeconfig: sim.kubeconfigPath,
          timeScale: SCALE,
          // The first step at or after step k that starts (skipped and recorded steps print no "[n/12]").
          killWhen: new RegExp(`\\[(${Array.from({ length: steps - k + 1 }, (_, i) => k + i).join("|")})/${steps}\\]`),
          killDelayMs: 150,
        });
        if (!run.killed) {
          assert.equal(run.code, 0, run.stderr);
          break;
        }
      }
      const final = await runCli(offline(backupDir), { kubeconfig: sim.kubeconfigPath, timeScale: SCALE });
      assert.equal(final.code, 0, final.stderr);
      assert.ok(runs >= 8, `only ${runs} runs were killed`);
      assert.equal(sim.store.get(NETCFG, undefined, "cluster")!.status.networkType, "OVNKubernetes");
      assert.equal(clearedAfterSet, false, "spec.migration was cleared after we set it");

      const writes = sim.requestLog.writes();
      const patches = (resource: string, group: string) =>
        writes.filter((r) => r.verb === "patch" && r.resource === resource && r.apiGroup === group);
      assert.equal(patches("networks", "operator.openshift.io").length, 1, "spec.migration patched more than once");
      assert.equal(patches("networks", "config.openshift.io").length, 1, "the flip was patched more than once");
      const reboots = sim.requestLog.records({ resource: "pods" }).filter((r) => r.subresource === "exec");
      const perPod = new Map<string, number>();
      for (const r of reboots) perPod.set(r.name!, (perPod.get(r.name!) ?? 0) + 1);
      assert.equal(perPod.size, 6, "one reboot per node");
      for (const [pod, n] of perPod) assert.equal(n, 1, `${pod} was asked to reboot ${n} times`);
    } finally {
      unsubscribe();
    }
  });
});

Deno.test("a pool that degrades during the rollout stops execute with the node, its reason and the daemon pod (exit 3)", async () => {
  const scenario = { ...(await loadScenario("sdn-small")), name: "degrade-on-rollout" };
  scenario.faults = { ...scenario.faults, degradePoolOnRollout: "worker" };
  await withSim(scenario, async (sim, backupDir) => {
    const run = await runCli(offline(backupDir, "--timeout", "2m"), {
      kubeconfig: sim.kubeconfigPath,
      timeScale: SCALE,
    });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /Machine config pool worker is degraded/);
    assert.match(run.stderr, /node worker-\d: /);
    assert.match(
      run.stderr,
      /oc logs -n openshift-machine-config-operator machine-config-daemon-\w+ -c machine-config-daemon/,
    );
    assert.match(run.stderr, /again resumes/);
  });
});

Deno.test("sdn-degraded-pool is refused by the preflight gate before any write (exit 3)", async () => {
  await withSim("sdn-degraded-pool", async (sim, backupDir) => {
    sim.requestLog.clear();
    const run = await runCli(offline(backupDir), { kubeconfig: sim.kubeconfigPath, timeScale: SCALE });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /machine-config-pools/);
    assert.match(run.stderr, /worker/);
    assert.deepEqual(sim.requestLog.writes(), []);
  });
});

Deno.test("a node that never comes back from its reboot stops execute with a diagnosis (exit 3)", async () => {
  await withSim("sdn-small", async (sim, backupDir) => {
    // Only the reboots after the flip fail: the MCO's rollout before it must still complete.
    const run = await runCli(offline(backupDir, "--reboot-batch", "1"), {
      kubeconfig: sim.kubeconfigPath,
      timeScale: SCALE,
      killWhen: /Switch the cluster network type/,
      killDelayMs: 0,
    });
    assert.equal(run.killed, true);
    sim.ctx.scenario.faults.nodesNeverReturn.push("worker-1");
    const resumed = await runCli(offline(backupDir, "--timeout", "20s", "--reboot-batch", "1"), {
      kubeconfig: sim.kubeconfigPath,
      timeScale: SCALE,
    });
    assert.equal(resumed.code, 3, resumed.stderr);
    assert.match(resumed.stderr, /did not come back/);
    assert.match(resumed.stderr, /worker-1/);
    assert.match(resumed.stderr, /again resumes/);
  });
});

Deno.test("a pod still crash-looping after the reboots: its node is rebooted once more, then execute stops naming it (exit 3)", async () => {
  await withSim("sdn-small", async (sim, backupDir) => {
    const first = await runCli(offline(backupDir), {
      kubeconfig: sim.kubeconfigPath,
      timeScale: SCALE,
      killWhen: /Switch the cluster network type/,
      killDelayMs: 0,
    });
    assert.equal(first.killed, true);
    // An application pod (not a DaemonSet's, which a rollout could replace) on a worker.
    const victim = sim.store.all("core/pods").find((p) =>
      p.spec.nodeName?.startsWith("worker-") && !p.spec.hostNetwork && !p.metadata.namespace.startsWith("openshift-")
    )!;
    assert.ok(victim, "sdn-small has an application pod on a worker");
    const node: string = victim.spec.nodeName;
    const other = node === "worker-0" ? "worker-1" : "worker-0";
    const id = `${victim.metadata.namespace}/${victim.metadata.name}`;
    sim.ctx.scenario.faults.crashLoopPods.push(id);
    sim.requestLog.clear();
    const resumed = await runCli(offline(backupDir), { kubeconfig: sim.kubeconfigPath, timeScale: SCALE });
    assert.equal(resumed.code, 3, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`pods not running on 1 node\\(s\\) after the reboots: ${node} \\(1\\)`));
    assert.match(resumed.stderr, new RegExp(`${node}: ${id} \\(CrashLoopBackOff\\)`));
    assert.match(resumed.stderr, /Reboot those nodes again/);
    // The documented remedy was tried once: that node's daemon got a second reboot request, no other node did.
    const execs = sim.requestLog.records({ resource: "pods" }).filter((r) => r.subresource === "exec");
    const daemonOn = (node: string) =>
      sim.store.all("core/pods").find((p) =>
        p.metadata.namespace === "openshift-machine-config-operator" && p.spec.nodeName === node &&
        p.metadata.name.startsWith("machine-config-daemon-")
      )!.metadata.name;
    assert.equal(execs.filter((r) => r.name === daemonOn(node)).length, 2);
    assert.equal(execs.filter((r) => r.name === daemonOn(other)).length, 1);
  });
});

Deno.test("10% API errors and dropped watches do not stop the offline migration", async () => {
  const scenario = { ...(await loadScenario("sdn-small")), name: "flaky-api" };
  scenario.faults = { ...scenario.faults, apiErrorRate: 0.1, dropWatchesAfterSeconds: 2 };
  await withSim(scenario, async (sim, backupDir) => {
    const run = await runCli(offline(backupDir), { kubeconfig: sim.kubeconfigPath, timeScale: SCALE });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(sim.store.get(NETCFG, undefined, "cluster")!.status.networkType, "OVNKubernetes");
    const failed = sim.requestLog.records().filter((r) => r.code >= 500 || r.code === 429);
    assert.ok(failed.length > 0, "the fault injector injected no errors");
  });
});

Deno.test("bad flag values fail with exit 2 and nothing written", async () => {
  await withSim("sdn-small", async (sim, backupDir) => {
    const cases: [string[], RegExp][] = [
      [["--mtu", "1450"], /--mtu 1450 is too large.*hardware MTU is 1500/s],
      [["--geneve-port", "4789"], /--geneve-port 4789 is the VXLAN port/],
      [["--v4-internal-subnet", "10.128.0.0/16"], /--v4-internal-subnet 10.128.0.0\/16 overlaps clusterNetwork/],
      [["--v4-internal-subnet", "10.0.0/16"], /--v4-internal-subnet/],
      [["--geneve-port", "70000"], /port/i],
    ];
    sim.requestLog.clear();
    for (const [flags, message] of cases) {
      const run = await runCli(offline(backupDir, ...flags), { kubeconfig: sim.kubeconfigPath, timeScale: SCALE });
      assert.equal(run.code, 2, `${flags.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
    }
    // Without a terminal and without --yes, execute refuses before touching the cluster.
    const noYes = await runCli(["execute", "--method", "offline", "--backup-dir", backupDir], {
      kubeconfig: sim.kubeconfigPath,
    });
    assert.equal(noYes.code, 2);
    assert.match(noYes.stderr, /--yes/);
    assert.deepEqual(sim.requestLog.writes().filter(isWrite), []);
  });
});

Deno.test("offline on sdn-cidr-overlap with preflight's fix (--join-subnet) moves the join subnet before the flip", async () => {
  await withSim("sdn-cidr-overlap", async (sim, backupDir) => {
    const run = await runCli(offline(backupDir, "--join-subnet", "100.65.0.0/16"), {
      kubeconfig: sim.kubeconfigPath,
      timeScale: SCALE,
    });
    assert.equal(run.code, 0, run.stderr);
    const ovn = sim.store.get(NETOP, undefined, "cluster")!.spec.defaultNetwork.ovnKubernetesConfig;
    assert.equal(ovn.v4InternalSubnet, "100.65.0.0/16");
    assert.equal(sim.store.get(NETCFG, undefined, "cluster")!.status.networkType, "OVNKubernetes");
  });
});
