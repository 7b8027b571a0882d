/**
 * The documented offline migration (seeds/000_05f04bafa56c4484.txt "Migrating to the OVN-Kubernetes network plugin
 * by using the offline migration method", steps 1–11; procedures.md §5) typed as kubectl commands against
 * `sdn-small`. Follows cluster-behaviour.md §1.1 (procedure), §1.3 (prepare: one MCO rollout per pool), §1.4 (flip:
 * status.networkType, Multus, no MCO rollout), §1.5 (completion) and §5 (node annotations, reboots).
 */
import assert from "node:assert/strict";
import type { Obj } from "../../../sim/store.ts";
import { K } from "../../../sim/controllers/cno/names.ts";
import { cond, recordDistinct, startProcedureSim } from "./kubectl.ts";
import { CO_HEALTH_WAIT, MCD_NAMESPACE, REBOOT_ALL_NODES } from "./scripts.ts";

const TIME_SCALE = 200;
const MCD_NS = MCD_NAMESPACE;

const poolsAt = (mcps: Obj, names: Map<string, string>) =>
  mcps.items.every((p: Obj) =>
    p.spec.configuration.name !== names.get(p.metadata.name) &&
    p.status.configuration?.name === p.spec.configuration.name &&
    cond(p, "Updated")?.status === "True"
  );

Deno.test("seed offline steps 1–11 with kubectl drive sdn-small to OVNKubernetes with one MCO rollout per pool (§1, §5)", async () => {
  const p = await startProcedureSim("sdn-small", TIME_SCALE);
  const rendered = recordDistinct(p.sim, K.mcp, (o) => o.status?.configuration?.name);
  try {
    // procedures.md §5 step 3: the cluster is healthy before anything changes.
    await p.shOk(CO_HEALTH_WAIT);
    const before = await p.getJson(["get", "mcp"]);
    const initial = new Map<string, string>(before.items.map((m: Obj) => [m.metadata.name, m.spec.configuration.name]));
    const bootstrapped = new Map([...rendered.seen].map(([pool, names]) => [pool, names.length]));

    // Step 1: back up the cluster network configuration.
    await p.shOk("kubectl get Network.config.openshift.io cluster -o yaml > cluster-openshift-sdn.yaml");
    const backup = await p.shOk("grep -E '^  networkType:|^kind:' cluster-openshift-sdn.yaml");
    assert.match(backup, /kind: Network/);
    assert.match(backup, /networkType: OpenShiftSDN/);

    // procedures.md §5 step 4: a clean start.
    await p.ok([
      "patch",
      "Network.operator.openshift.io",
      "cluster",
      "--type=merge",
      "--patch",
      '{"spec":{"migration":null}}',
    ]);

    // Step 2: prepare — §1.3: CNO reports status.migration, the MCO re-renders and rolls every pool once.
    assert.match(
      await p.ok([
        "patch",
        "Network.operator.openshift.io",
        "cluster",
        "--type=merge",
        "--patch",
        '{ "spec": { "migration": { "networkType": "OVNKubernetes" } } }',
      ]),
      /network.operator.openshift.io\/cluster patched/,
    );
    assert.match(await p.ok(["get", "mcp"]), /^NAME\s+CONFIG\s+UPDATED\s+UPDATING\s+DEGRADED/);
    assert.match(await p.ok(["get", "co"]), /network\s+4\.16\.20/);

    // Step 5: wait for the pools. Pools may not show Updating at the same moment as the patch (prior art), so
    // first see every pool target a new rendered config, then use the documented wait.
    await p.pollJson(
      "new rendered configs",
      ["get", "mcp"],
      (l) => l.items.every((m: Obj) => m.spec.configuration.name !== initial.get(m.metadata.name)),
    );
    await p.ok(["wait", "mcp", "--all", "--for=condition=Updated=True", "--timeout=300s"]);
    const mcps = await p.pollJson("pools updated", ["get", "mcp"], (l) => poolsAt(l, initial));
    const summary = await p.ok(["get", "mcp"]);
    for (const pool of ["master", "worker"]) {
      assert.match(summary, new RegExp(`^${pool}\\s+\\S+\\s+True\\s+False\\s+False`, "m"));
    }

    // Step 6.1: node annotations — state Done and currentConfig == desiredConfig on every node.
    const described = await p.shOk(`kubectl describe node | egrep "hostname|machineconfig"`);
    const blocks = described.split(/kubernetes\.io\/hostname=/).slice(1);
    assert.equal(blocks.length, 6, described);
    for (const b of blocks) {
      const current = b.match(/machineconfiguration\.openshift\.io\/currentConfig: (\S+)/)?.[1];
      const desired = b.match(/machineconfiguration\.openshift\.io\/desiredConfig: (\S+)/)?.[1];
      assert.ok(current && current === desired, b);
      assert.match(b, /machineconfiguration\.openshift\.io\/state: Done/);
      const pool = current.startsWith("rendered-master-") ? "master" : "worker";
      assert.equal(current, mcps.items.find((m: Obj) => m.metadata.name === pool).spec.configuration.name);
    }
    // Step 6.2: the rendered config carries configure-ovs.sh OVNKubernetes (§0 MCO templates).
    for (const m of mcps.items) {
      const exec = await p.shOk(`kubectl get machineconfig ${m.status.configuration.name} -o yaml | grep ExecStart`);
      assert.match(exec, /ExecStart=\/usr\/local\/bin\/configure-ovs\.sh OVNKubernetes/);
      assert.doesNotMatch(exec, /configure-ovs\.sh OpenShiftSDN/);
    }
    // Step 6.3: the machine-config-daemon pods are listed as in the documentation's example.
    const mcdPods = await p.ok(["get", "pod", "-n", MCD_NS]);
    assert.equal(mcdPods.match(/^machine-config-daemon-\S+\s+2\/2\s+Running/gm)?.length, 6, mcdPods);

    // Step 7: flip — §1.4: status.networkType follows right after apply; OVN is rendered, SDN DaemonSets go.
    await p.ok([
      "patch",
      "Network.config.openshift.io",
      "cluster",
      "--type=merge",
      "--patch",
      '{ "spec": { "networkType": "OVNKubernetes" } }',
    ]);
    await p.pollJson(
      "status.networkType OVNKubernetes",
      ["get", "network.config", "cluster"],
      (n) => n.status?.networkType === "OVNKubernetes",
    );
    // Step 8: Multus rolls out (§1.4 readinessindicatorfile change).
    const rollout = await p.ok(["-n", "openshift-multus", "rollout", "status", "daemonset/multus", "--timeout=300s"]);
    assert.match(rollout, /daemon set "multus" successfully rolled out/);
    const multusConfig = await p.getJson(["-n", "openshift-multus", "get", "configmap", "multus-daemon-config"]);
    assert.match(multusConfig.data["daemon-config.json"], /10-ovn-kubernetes\.conf/);

    // Step 9: reboot every node through its machine-config-daemon pod; each comes back with a new bootID.
    const nodesBefore = await p.getJson(["get", "nodes"]);
    const boots = new Map<string, string>(
      nodesBefore.items.map((n: Obj) => [n.metadata.name, n.status.nodeInfo.bootID]),
    );
    const rebooted = await p.shOk(REBOOT_ALL_NODES);
    assert.equal(rebooted.match(/^rebooting \S+-\d$/gm)?.length, 6, rebooted);
    await p.pollJson(
      "every node rebooted and Ready",
      ["get", "nodes"],
      (l) =>
        l.items.length === 6 &&
        l.items.every((n: Obj) =>
          n.status.nodeInfo.bootID !== boots.get(n.metadata.name) && cond(n, "Ready")?.status === "True"
        ),
      180_000,
    );

    // Step 10: confirm.
    assert.equal(
      await p.ok(["get", "network.config/cluster", "-o", `jsonpath={.status.networkType}{"\\n"}`]),
      "OVNKubernetes\n",
    );
    const nodes = await p.ok(["get", "nodes"]);
    assert.equal(nodes.match(/^\S+\s+Ready\s/gm)?.length, 6, nodes);
    await p.pollJson(
      "no pod in an error state",
      ["get", "pods", "--all-namespaces"],
      (l) => l.items.every((pod: Obj) => ["Running", "Succeeded"].includes(pod.status?.phase)),
    );
    const wide = await p.ok(["get", "pods", "--all-namespaces", "-o", "wide", "--sort-by={.spec.nodeName}"]);
    assert.match(wide, /openshift-ovn-kubernetes\s+ovnkube-node-\S+/);
    await p.shOk(CO_HEALTH_WAIT);
    const cos = await p.ok(["get", "co"]);
    for (const line of cos.trim().split("\n").slice(1)) assert.match(line, /\sTrue\s+False\s+False\s/, line);

    // Step 11: clean up — §1.5: status.migration goes, no new rendered config; §1.4: the namespace is the user's.
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
    await p.pollJson("status.migration removed", ["get", "network.config", "cluster"], (n) => !n.status.migration);
    assert.match(
      await p.ok(["delete", "namespace", "openshift-sdn", "--timeout=120s"]),
      /namespace "openshift-sdn" deleted/,
    );
    assert.equal((await p.kubectl(["get", "namespace", "openshift-sdn"])).code, 1);
    const operator = await p.getJson(["get", "Network.operator.openshift.io", "cluster"]);
    assert.equal(operator.spec.defaultNetwork.type, "OVNKubernetes");
    assert.equal(operator.spec.migration, undefined);
    assert.equal(operator.spec.defaultNetwork.openshiftSDNConfig, undefined);

    // §1.5: Upgradeable on CO network is True again once the default network is OVN-Kubernetes.
    assert.equal(
      await p.ok(["get", "co", "network", "-o", `jsonpath={.status.conditions[?(@.type=="Upgradeable")].status}`]),
      "True",
    );

    // §6.3 checklist: offline produces exactly one MCO rollout per pool, also after the cleanup settles.
    await p.sim.clock.sleep(120_000);
    await p.ok(["wait", "mcp", "--all", "--for=condition=Updated=True", "--timeout=60s"]);
    for (const pool of ["master", "worker"]) {
      const names = rendered.seen.get(pool)!;
      assert.equal(names.length - bootstrapped.get(pool)!, 1, `one rollout for ${pool}: ${names.join(", ")}`);
    }
  } finally {
    rendered.stop();
    await p.stop();
  }
});
