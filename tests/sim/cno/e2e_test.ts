/**
 * End to end through the whole simulator (scenario builder, MCO, kubelets, workloads, CNO): the documented
 * offline and live procedures drive `sdn-small` to OVN-Kubernetes (cluster-behaviour.md §1, §2).
 */
import assert from "node:assert/strict";
import { startSim } from "../../../sim/sim.ts";
import type { Obj } from "../../../sim/store.ts";
import { K, MIGRATION_ANNOTATION, recordConditions, waitFor } from "./fixture.ts";
import { findCondition } from "../../../sim/controllers/cno/util.ts";

const TIME_SCALE = 400;
const CAP_MS = 120_000;

const nc = (store: { mustGet(k: string, ns: undefined, n: string): Obj }) =>
  store.mustGet(K.networkConfig, undefined, "cluster");
const poolsUpdated = (store: { all(k: string): Obj[] }) =>
  store.all(K.mcp).every((p) =>
    findCondition(p.status?.conditions, "Updated")?.status === "True" &&
    p.status?.configuration?.name === p.spec?.configuration?.name
  );

Deno.test("§2 e2e live migration on sdn-small: conditions in order, two rollouts per pool, final state", async () => {
  const sim = await startSim({ scenario: "sdn-small", timeScale: TIME_SCALE });
  const rec = recordConditions(sim.ctx);
  const configs = new Map<string, Set<string>>();
  const unsub = sim.store.subscribe((e) => {
    if (e.key !== K.mcp) return;
    const name = e.object.spec?.configuration?.name;
    if (name) configs.set(e.object.metadata.name, (configs.get(e.object.metadata.name) ?? new Set()).add(name));
  });
  try {
    const { store } = sim;
    await waitFor("pools settled", () => poolsUpdated(store), CAP_MS);
    const before = new Map([...configs].map(([k, v]) => [k, v.size]));
    store.mutate(K.networkConfig, undefined, "cluster", (o) => {
      o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [MIGRATION_ANNOTATION]: "" };
      o.spec.networkType = "OVNKubernetes";
    });
    await waitFor("live migration complete", () => {
      const c = nc(store);
      return c.status.networkType === "OVNKubernetes" &&
        findCondition(c.status.conditions, "NetworkTypeMigrationInProgress")?.reason ===
          "NetworkTypeMigrationCompleted";
    }, CAP_MS);
    for (const pool of ["master", "worker"]) {
      assert.equal(configs.get(pool)!.size - (before.get(pool) ?? 0), 2, `two rollouts for ${pool}`);
    }
    const order = [
      "TargetCNIAvailable=True/TargetCNIDeployed",
      "MTUReady=True/MachineConfigApplied",
      "TargetCNIInUse=True/MachineConfigApplied",
      "InProgress=False/NetworkTypeMigrationCompleted",
    ];
    let i = 0;
    for (const want of order) {
      while (i < rec.timeline.length && !rec.timeline[i].includes(want)) i++;
      assert.ok(i < rec.timeline.length, `missing ${want}:\n${rec.timeline.join("\n")}`);
    }
    assert.equal(store.get(K.daemonSet, "openshift-sdn", "sdn"), undefined);
    assert.ok(store.get(K.namespace, undefined, "openshift-sdn"));
    assert.equal(nc(store).status.clusterNetworkMTU, 1400);
  } finally {
    unsub();
    rec.stop();
    await sim.stop();
  }
});

Deno.test("§1 e2e offline migration on sdn-small: one MCO rollout, flip, OVN running", async () => {
  const sim = await startSim({ scenario: "sdn-small", timeScale: TIME_SCALE });
  try {
    const { store } = sim;
    await waitFor("pools settled", () => poolsUpdated(store), CAP_MS);
    const initial = store.mustGet(K.mcp, undefined, "worker").spec.configuration.name;
    store.mutate(K.networkOperator, undefined, "cluster", (o) => {
      o.spec.migration = { networkType: "OVNKubernetes" };
    });
    await waitFor(
      "new rendered config",
      () => store.mustGet(K.mcp, undefined, "worker").spec.configuration.name !== initial,
      CAP_MS,
    );
    await waitFor("pools updated", () => poolsUpdated(store), CAP_MS);
    const prepared = store.mustGet(K.mcp, undefined, "worker").spec.configuration.name;
    const mc = store.mustGet(K.machineConfig, undefined, prepared);
    assert.match(JSON.stringify(mc.spec.config), /ExecStart=\/usr\/local\/bin\/configure-ovs.sh OVNKubernetes/);
    store.mutate(K.networkConfig, undefined, "cluster", (o) => {
      o.spec.networkType = "OVNKubernetes";
    });
    await waitFor("flipped", () => nc(store).status.networkType === "OVNKubernetes", CAP_MS);
    await waitFor("ovnkube-node", () => store.get(K.daemonSet, "openshift-ovn-kubernetes", "ovnkube-node"), CAP_MS);
    assert.equal(store.get(K.daemonSet, "openshift-sdn", "sdn"), undefined);
    await sim.clock.sleep(60_000);
    assert.equal(
      store.mustGet(K.mcp, undefined, "worker").spec.configuration.name,
      prepared,
      "no MCO rollout after the flip",
    );
  } finally {
    await sim.stop();
  }
});

Deno.test("§2.8 e2e live rollback on ovn-after-live: back to OpenShiftSDN, OVN workloads gone, namespace kept", async () => {
  const sim = await startSim({ scenario: "ovn-after-live", timeScale: TIME_SCALE });
  try {
    const { store } = sim;
    await waitFor("pools settled", () => poolsUpdated(store), CAP_MS);
    store.mutate(K.networkConfig, undefined, "cluster", (o) => {
      o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [MIGRATION_ANNOTATION]: "" };
      o.spec.networkType = "OpenShiftSDN";
    });
    await waitFor("rollback complete", () => {
      const c = nc(store);
      return c.status.networkType === "OpenShiftSDN" &&
        findCondition(c.status.conditions, "NetworkTypeMigrationInProgress")?.reason ===
          "NetworkTypeMigrationCompleted";
    }, CAP_MS);
    assert.equal(store.get(K.daemonSet, "openshift-ovn-kubernetes", "ovnkube-node"), undefined);
    assert.ok(store.get(K.namespace, undefined, "openshift-ovn-kubernetes"));
    assert.ok(store.get(K.daemonSet, "openshift-sdn", "sdn"));
    assert.ok(
      store.all(K.node).every((n) =>
        !Object.keys(n.metadata.annotations ?? {}).some((k) => k.startsWith("k8s.ovn.org"))
      ),
    );
  } finally {
    await sim.stop();
  }
});
