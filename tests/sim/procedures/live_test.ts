/**
 * The documented limited live migration (seed "Initiating the limited live migration process", procedures.md §6)
 * typed as kubectl commands against `sdn-small`, watched with `kubectl get -w`. Follows cluster-behaviour.md §2.1
 * (trigger), §2.3/§2.4 (the condition timeline a watcher sees, two MCO rollouts per pool), §2.6 (MTU 50 lower)
 * and §2.7 (final state, cleanup).
 */
import assert from "node:assert/strict";
import type { Obj } from "../../../sim/store.ts";
import { K } from "../../../sim/controllers/cno/names.ts";
import { recordDistinct, startProcedureSim } from "./kubectl.ts";
import { CO_HEALTH_WAIT, LIVE_TRIGGER_PATCH } from "./scripts.ts";
import { assertSubsequence, LIVE_TIMELINE } from "../live_timeline.ts";

const TIME_SCALE = 200;
const PREFIX = "NetworkTypeMigration";

/** One watch line (a conditions array as JSON) as "MTUReady=False/MachineConfigNotApplied …"; "" without conditions. */
function summarize(line: string): string {
  const json = line.trim();
  if (!json) return "";
  return (JSON.parse(json) as Obj[]).map((c) => `${c.type.replace(PREFIX, "")}=${c.status}/${c.reason}`).join(" ");
}

const completed = (n: Obj) =>
  n.status?.networkType === "OVNKubernetes" &&
  !!(n.status?.conditions as Obj[] | undefined)?.some((c) =>
    c.type === `${PREFIX}InProgress` && c.status === "False" && c.reason === "NetworkTypeMigrationCompleted"
  );

Deno.test("seed live procedure with kubectl: watcher sees the §2.4 timeline, two rollouts per pool, §2.7 final state", async () => {
  const p = await startProcedureSim("sdn-small", TIME_SCALE);
  const rendered = recordDistinct(p.sim, K.mcp, (o) => o.status?.configuration?.name);
  const before = new Map([...rendered.seen].map(([pool, names]) => [pool, names.length]));
  const upgradeable = recordDistinct(p.sim, K.clusterOperator, (o) => {
    const c = o.metadata.name === "network" &&
      (o.status?.conditions as Obj[] | undefined)?.find((x) => x.type === "Upgradeable");
    return c ? [c.status, c.reason].filter(Boolean).join("/") : undefined;
  });
  const watch = p.stream([
    "get",
    "network.config",
    "cluster",
    "-w",
    "-o",
    'jsonpath={.status.conditions}{"\\n"}',
    "--request-timeout=600s",
  ]);
  try {
    const mtuBefore = Number(
      await p.ok(["get", "network.config", "cluster", "-o", "jsonpath={.status.clusterNetworkMTU}"]),
    );
    assert.equal(mtuBefore, 1450);
    // Pre-check (seed step 1): no egress router pods.
    const egress = await p.shOk(
      `kubectl get pods --all-namespaces -o json | jq '.items[] | select(.metadata.annotations."pod.network.openshift.io/assign-macvlan" == "true") | {name: .metadata.name, namespace: .metadata.namespace}'`,
    );
    assert.equal(egress.trim(), "");

    await watch.started();
    // Seed step 3 / §2.1: the trigger.
    assert.match(
      await p.ok(["patch", "Network.config.openshift.io", "cluster", "--type=merge", "--patch", LIVE_TRIGGER_PATCH]),
      /network.config.openshift.io\/cluster patched/,
    );
    // Seed step 4: watch status.networkType and the conditions until the procedures.md §6 step 6 criterion holds.
    const done = await p.pollJson("live migration complete", ["get", "network.config", "cluster"], completed, 180_000);
    assert.equal(
      await p.ok(["get", "network.config.openshift.io", "cluster", "-o", "jsonpath={.status.networkType}"]),
      "OVNKubernetes",
    );
    const conditions = JSON.parse(
      await p.shOk(`kubectl get network.config cluster -o=jsonpath='{.status.conditions}' | jq .`),
    ) as Obj[];
    assert.deepEqual(
      conditions.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        [`${PREFIX}InProgress`, "False", "NetworkTypeMigrationCompleted", "Network type migration is completed"],
        ...["MTUReady", "TargetCNIAvailable", "TargetCNIInUse", "OriginalCNIPurged"].map((t) => [
          `${PREFIX}${t}`,
          "Unknown",
          "NetworkTypeMigrationNotInProgress",
          "Network type migration is not in progress",
        ]),
      ],
    );
    // §2.6: the cluster MTU ends 50 bytes lower; §2.7: status.migration gone, annotation kept.
    assert.equal(done.status.clusterNetworkMTU, mtuBefore - 50);
    assert.equal(done.status.migration, undefined);
    assert.ok("network.openshift.io/network-type-migration" in done.metadata.annotations, "CNO never removes it");

    // The watch saw every status write; its distinct condition states follow §2.4 in order.
    await watch.stop();
    const timeline = watch.lines.map(summarize).filter((l, i, all) => l && l !== all[i - 1]);
    assertSubsequence(timeline, LIVE_TIMELINE);
    assert.ok(!timeline.some((l) => l.includes("OriginalCNIPurged=True")), "completion resets in one write (§2.3)");

    // §6.4 checklist: exactly two MCO rollouts per pool.
    for (const pool of ["master", "worker"]) {
      const names = rendered.seen.get(pool)!;
      assert.equal(names.length - before.get(pool)!, 2, `two rollouts for ${pool}: ${names.join(", ")}`);
    }
    for (const m of (await p.getJson(["get", "mcp"])).items) {
      const exec = await p.shOk(
        `kubectl get machineconfig ${m.status.configuration.name} -o yaml | grep -E 'ExecStart|mtu-migration' || true`,
      );
      assert.match(exec, /ExecStart=\/usr\/local\/bin\/configure-ovs\.sh OVNKubernetes/);
      assert.doesNotMatch(exec, /mtu-migration/);
    }

    // §2.7: network.operator has no migration; SDN DaemonSets are gone, their namespace is kept.
    const operator = await p.getJson(["get", "Network.operator.openshift.io", "cluster"]);
    assert.equal(operator.spec.migration, undefined);
    assert.equal(operator.spec.defaultNetwork.type, "OVNKubernetes");
    assert.equal((await p.kubectl(["-n", "openshift-sdn", "get", "daemonsets", "-o", "name"])).stdout, "");
    await p.ok(["get", "namespace", "openshift-sdn"]);
    await p.ok(["-n", "openshift-ovn-kubernetes", "rollout", "status", "daemonset/ovnkube-node", "--timeout=120s"]);

    // procedures.md §6 step 6: then every CO healthy; seed step 5: the cleanup.
    await p.shOk(CO_HEALTH_WAIT);
    // §2.4: CO network was not Upgradeable while the migration ran (4.16), and is again on OVN (§1.5).
    assert.equal(
      await p.ok(["get", "co", "network", "-o", `jsonpath={.status.conditions[?(@.type=="Upgradeable")].status}`]),
      "True",
    );
    assert.deepEqual(upgradeable.seen.get("network"), [
      "False/OpenShiftSDNConfigured",
      "False/NetworkMigrationInProgress",
      "True",
    ]);
    await p.ok([
      "patch",
      "Network.operator.openshift.io",
      "cluster",
      "--type=merge",
      "--patch",
      '{ "spec": { "migration": null } }',
    ]);
    await p.ok([
      "patch",
      "Network.operator.openshift.io",
      "cluster",
      "--type=merge",
      "--patch",
      '{ "spec": { "defaultNetwork": { "openshiftSDNConfig": null } } }',
    ]);
    assert.match(await p.ok(["delete", "namespace", "openshift-sdn", "--timeout=120s"]), /deleted/);
    await p.sim.clock.sleep(120_000);
    for (const pool of ["master", "worker"]) {
      assert.equal(rendered.seen.get(pool)!.length - before.get(pool)!, 2, `no rollout from the cleanup (${pool})`);
    }
  } finally {
    rendered.stop();
    upgradeable.stop();
    await watch.stop();
    await p.stop();
  }
});

Deno.test("§2.5 sdn-unmanaged-ds: the live migration waits at OriginalCNINotPurged until the extra DaemonSet is deleted", async () => {
  const p = await startProcedureSim("sdn-unmanaged-ds", TIME_SCALE);
  try {
    await p.ok(["patch", "Network.config.openshift.io", "cluster", "--type=merge", "--patch", LIVE_TRIGGER_PATCH]);
    const waiting = await p.pollJson(
      "CNI switched, original not purged",
      ["get", "network.config", "cluster"],
      (n) =>
        n.status?.networkType === "OVNKubernetes" &&
        summarize(JSON.stringify(n.status.conditions ?? [])).includes("TargetCNIInUse=True/MachineConfigApplied") &&
        summarize(JSON.stringify(n.status.conditions ?? [])).includes("OriginalCNIPurged=False/OriginalCNINotPurged") &&
        // Step 4 (purge) ran: TargetCNIInUse turns True one reconcile before status.migration goes (§2.4).
        n.status.migration === undefined,
      180_000,
    );
    assert.equal(waiting.status.networkType, "OVNKubernetes");
    // Nothing moves on: CNO deleted its own SDN DaemonSets, the administrator's stays and blocks completion.
    await p.sim.clock.sleep(300_000);
    const still = await p.getJson(["get", "network.config", "cluster"]);
    const line = summarize(JSON.stringify(still.status.conditions));
    assert.ok(line.includes("InProgress=True/NetworkTypeMigrationStarted"), line);
    assert.ok(line.includes("OriginalCNIPurged=False/OriginalCNINotPurged"), line);
    const purged = (still.status.conditions as Obj[]).find((c) => c.type === `${PREFIX}OriginalCNIPurged`)!;
    assert.equal(purged.message, "The original CNI plugin is running in the cluster");
    assert.equal(
      await p.ok(["-n", "openshift-sdn", "get", "daemonsets", "-o", "name"]),
      "daemonset.apps/sdn-debug-tools\n",
    );
    // procedures.md §6 "remove DaemonSets in openshift-sdn that CNO doesn't manage": then it completes.
    await p.ok(["-n", "openshift-sdn", "delete", "daemonset", "sdn-debug-tools"]);
    await p.pollJson("complete", ["get", "network.config", "cluster"], completed, 120_000);
  } finally {
    await p.stop();
  }
});
