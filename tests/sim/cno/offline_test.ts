/** Offline migration through the Store (cluster-behaviour.md §1). */
import assert from "node:assert/strict";
import { condition, coNetwork, K, networkConfig, networkOperator, newFixture, waitFor } from "./fixture.ts";

Deno.test("§0 start: CNO renders SDN and Multus at steady state without Progressing", async () => {
  const f = newFixture();
  try {
    const { store } = f.ctx;
    const sdn = store.get(K.daemonSet, "openshift-sdn", "sdn");
    assert.ok(sdn, "sdn DaemonSet rendered");
    assert.equal(sdn.status.numberReady, 6);
    assert.equal(sdn.metadata.ownerReferences[0].kind, "Network", "owned by network.operator cluster");
    assert.equal(sdn.metadata.ownerReferences[0].uid, store.get(K.networkOperator, undefined, "cluster")!.metadata.uid);
    assert.ok(store.get(K.daemonSet, "openshift-sdn", "sdn-controller"));
    assert.ok(store.get(K.daemonSet, "openshift-multus", "multus"));
    assert.equal(store.get(K.daemonSet, "openshift-ovn-kubernetes", "ovnkube-node"), undefined);
    assert.ok(store.get(K.configMap, "openshift-network-operator", "applied-cluster"));
    await waitFor("co/network conditions", () => coNetwork(f.ctx, "Available"));
    assert.equal(coNetwork(f.ctx, "Progressing")?.status, "False");
    assert.equal(coNetwork(f.ctx, "Degraded")?.status, "False");
    // §1.5: 4.16 with SDN is not upgradeable.
    assert.equal(coNetwork(f.ctx, "Upgradeable")?.reason, "OpenShiftSDNConfigured");
    const cv = await waitFor("clusterversion status", () => store.get(K.clusterVersion, undefined, "version")?.status);
    assert.equal(condition({ status: cv }, "Upgradeable")?.reason, "OpenShiftSDNConfigured");
    assert.match(
      condition({ status: cv }, "Upgradeable")!.message!,
      /^Cluster operator network should not be upgraded/,
    );
    assert.equal(f.mco.rollouts.size, 0);
  } finally {
    f.stop();
  }
});

Deno.test("§1.3–§1.5 offline: prepare, one MCO rollout, flip, old DaemonSets deleted, namespace kept, complete", async () => {
  const f = newFixture();
  try {
    const { store } = f.ctx;
    // §1.3 prepare
    store.mutate(K.networkOperator, undefined, "cluster", (o) => {
      o.spec.migration = { networkType: "OVNKubernetes" };
    });
    await waitFor("status.migration", () => networkConfig(f.ctx).status.migration?.networkType === "OVNKubernetes");
    assert.equal(networkConfig(f.ctx).status.networkType, "OpenShiftSDN");
    await waitFor("rollout", () => f.mco.rollouts.get("worker") === 1);
    await waitFor("pool updated", () => {
      const p = store.get(K.mcp, undefined, "worker");
      return condition(p!, "Updated")?.status === "True";
    });
    // §1.4 flip
    store.mutate(K.networkConfig, undefined, "cluster", (o) => {
      o.spec.networkType = "OVNKubernetes";
    });
    await waitFor("status.networkType", () => networkConfig(f.ctx).status.networkType === "OVNKubernetes");
    const nc = networkConfig(f.ctx);
    assert.equal(nc.status.clusterNetworkMTU, 1400);
    assert.deepEqual(nc.status.migration, { networkType: "OVNKubernetes" });
    assert.equal(nc.status.conditions, undefined, "offline never adds conditions");
    assert.equal(networkOperator(f.ctx).spec.defaultNetwork.type, "OVNKubernetes");
    await waitFor("ovnkube-node", () => store.get(K.daemonSet, "openshift-ovn-kubernetes", "ovnkube-node"));
    assert.ok(store.get(K.deployment, "openshift-ovn-kubernetes", "ovnkube-control-plane"));
    assert.equal(store.get(K.daemonSet, "openshift-sdn", "sdn"), undefined);
    assert.equal(store.get(K.daemonSet, "openshift-sdn", "sdn-controller"), undefined);
    assert.ok(store.get(K.namespace, undefined, "openshift-sdn"), "openshift-sdn namespace is kept");
    // ovnkube-node annotates the nodes it runs on.
    await waitFor(
      "node annotations",
      () => store.get(K.node, undefined, "worker-2")!.metadata.annotations?.["k8s.ovn.org/node-subnets"],
    );
    const subnets = store.all(K.node).map((n) =>
      JSON.parse(n.metadata.annotations["k8s.ovn.org/node-subnets"]).default[0]
    );
    assert.equal(new Set(subnets).size, 6, "one distinct subnet per node");
    const daemonConfig = store.get(K.configMap, "openshift-multus", "multus-daemon-config")!.data["daemon-config.json"];
    assert.match(daemonConfig, /10-ovn-kubernetes\.conf/);
    assert.ok(store.get(K.daemonSet, "openshift-multus", "multus")!.metadata.generation > 1, "Multus restarted");
    await waitFor("rollout done", () => coNetwork(f.ctx, "Progressing")?.status === "False");
    await waitFor("upgradeable", () => coNetwork(f.ctx, "Upgradeable")?.status === "True");
    // CNO never reboots nodes: the flip does not change what the MCO renders.
    await f.ctx.clock.sleep(90_000);
    assert.equal(f.mco.rollouts.get("worker"), 1);
    // §1.5 completion
    store.mutate(K.networkOperator, undefined, "cluster", (o) => {
      delete o.spec.migration;
    });
    await waitFor("status.migration removed", () => networkConfig(f.ctx).status.migration === undefined);
    await f.ctx.clock.sleep(30_000);
    assert.equal(f.mco.rollouts.get("worker"), 1, "no rollout on completion");
  } finally {
    f.stop();
  }
});

Deno.test("§1.4 offline flip reports Progressing with the DaemonSet messages while OVN rolls out", async () => {
  const f = newFixture();
  try {
    const { store } = f.ctx;
    const seen: string[] = [];
    const unsub = store.subscribe((e) => {
      if (e.key === K.networkOperator) {
        const p = condition(e.object, "Progressing");
        if (p?.status === "True") seen.push(p.message!);
      }
    });
    store.mutate(K.networkOperator, undefined, "cluster", (o) => {
      o.spec.migration = { networkType: "OVNKubernetes" };
    });
    await waitFor("status.migration", () => networkConfig(f.ctx).status.migration);
    store.mutate(K.networkConfig, undefined, "cluster", (o) => {
      o.spec.networkType = "OVNKubernetes";
    });
    await waitFor("progressing seen", () => seen.length > 0);
    await waitFor("settled", () => coNetwork(f.ctx, "Progressing")?.status === "False");
    unsub();
    assert.ok(seen.some((m) => m.includes(`DaemonSet "/openshift-ovn-kubernetes/ovnkube-node"`)), seen.join("\n"));
    assert.equal(coNetwork(f.ctx, "Progressing")?.status, "False");
  } finally {
    f.stop();
  }
});

Deno.test("§1.2 changing networkType without migration is rejected with Degraded InvalidOperatorConfig", async () => {
  const f = newFixture();
  try {
    f.ctx.store.mutate(K.networkConfig, undefined, "cluster", (o) => {
      o.spec.networkType = "OVNKubernetes";
    });
    const d = await waitFor("degraded", () => {
      const c = coNetwork(f.ctx, "Degraded");
      return c?.status === "True" ? c : undefined;
    });
    assert.equal(d.reason, "InvalidOperatorConfig");
    assert.equal(
      d.message,
      "Not applying unsafe configuration change: invalid configuration: [cannot change default network type when not " +
        "doing migration]. Use 'oc edit network.operator.openshift.io cluster' to undo the change.",
    );
    assert.equal(networkConfig(f.ctx).status.networkType, "OpenShiftSDN");
    assert.ok(f.ctx.store.get(K.daemonSet, "openshift-sdn", "sdn"));
  } finally {
    f.stop();
  }
});

Deno.test("§1.2 flipping to a type other than the migration target is rejected", async () => {
  const f = newFixture();
  try {
    const { store } = f.ctx;
    store.mutate(K.networkOperator, undefined, "cluster", (o) => {
      o.spec.migration = { networkType: "OVNKubernetes" };
    });
    await waitFor("status.migration", () => networkConfig(f.ctx).status.migration);
    store.mutate(K.networkConfig, undefined, "cluster", (o) => {
      o.spec.networkType = "Kuryr";
    });
    const d = await waitFor("degraded", () => {
      const c = coNetwork(f.ctx, "Degraded");
      return c?.status === "True" ? c : undefined;
    });
    assert.match(d.message!, /\[can only change default network type to the target migration network type\]/);
  } finally {
    f.stop();
  }
});

Deno.test("§1.2 changing the SDN MTU without migration, and serviceNetwork during migration, are unsafe", async () => {
  const f = newFixture();
  try {
    const { store } = f.ctx;
    store.mutate(K.networkOperator, undefined, "cluster", (o) => {
      o.spec.defaultNetwork.openshiftSDNConfig.mtu = 1400;
    });
    let d = await waitFor(
      "degraded",
      () => coNetwork(f.ctx, "Degraded")?.status === "True" && coNetwork(f.ctx, "Degraded"),
    );
    assert.match(d.message!, /\[cannot change openshift-sdn mtu without migration\]/);
    store.mutate(K.networkOperator, undefined, "cluster", (o) => {
      o.spec.defaultNetwork.openshiftSDNConfig.mtu = 1450;
      o.spec.migration = { networkType: "OVNKubernetes" };
    });
    await waitFor("status.migration", () => networkConfig(f.ctx).status.migration);
    await waitFor("healthy", () => coNetwork(f.ctx, "Degraded")?.status === "False");
    store.mutate(K.networkConfig, undefined, "cluster", (o) => {
      o.spec.serviceNetwork = ["172.31.0.0/16"];
    });
    d = await waitFor(
      "degraded",
      () => coNetwork(f.ctx, "Degraded")?.status === "True" && coNetwork(f.ctx, "Degraded"),
    );
    assert.match(d.message!, /\[cannot change ServiceNetwork during migration\]/);
  } finally {
    f.stop();
  }
});

Deno.test("§1.6 offline rollback: OVN to SDN deletes OVN workloads and keeps openshift-ovn-kubernetes", async () => {
  const f = newFixture({}, { ovn: true });
  try {
    const { store } = f.ctx;
    assert.ok(store.get(K.daemonSet, "openshift-ovn-kubernetes", "ovnkube-node"));
    store.mutate(K.networkOperator, undefined, "cluster", (o) => {
      o.spec.migration = { networkType: "OpenShiftSDN" };
    });
    await waitFor("status.migration", () => networkConfig(f.ctx).status.migration?.networkType === "OpenShiftSDN");
    store.mutate(K.networkConfig, undefined, "cluster", (o) => {
      o.spec.networkType = "OpenShiftSDN";
    });
    await waitFor("status.networkType", () => networkConfig(f.ctx).status.networkType === "OpenShiftSDN");
    assert.equal(networkConfig(f.ctx).status.clusterNetworkMTU, 1450);
    await waitFor("sdn", () => store.get(K.daemonSet, "openshift-sdn", "sdn"));
    assert.equal(store.get(K.daemonSet, "openshift-ovn-kubernetes", "ovnkube-node"), undefined);
    assert.equal(store.get(K.deployment, "openshift-ovn-kubernetes", "ovnkube-control-plane"), undefined);
    assert.ok(store.get(K.namespace, undefined, "openshift-ovn-kubernetes"));
  } finally {
    f.stop();
  }
});

Deno.test("faults.cnoDegradeAtStep offline-prepare and offline-flip make CNO Degraded and stop the step", async () => {
  for (const step of ["offline-prepare", "offline-flip"]) {
    const f = newFixture({ faults: { cnoDegradeAtStep: step } });
    try {
      const { store } = f.ctx;
      store.mutate(K.networkOperator, undefined, "cluster", (o) => {
        o.spec.migration = { networkType: "OVNKubernetes" };
      });
      if (step === "offline-flip") {
        await waitFor("status.migration", () => networkConfig(f.ctx).status.migration);
        store.mutate(K.networkConfig, undefined, "cluster", (o) => {
          o.spec.networkType = "OVNKubernetes";
        });
      }
      const d = await waitFor(
        "degraded",
        () => coNetwork(f.ctx, "Degraded")?.status === "True" && coNetwork(f.ctx, "Degraded"),
      );
      assert.equal(d.reason, "ApplyOperatorConfig");
      assert.match(d.message!, /^Error while updating operator configuration: could not apply/);
      await f.ctx.clock.sleep(20_000);
      if (step === "offline-prepare") assert.equal(networkConfig(f.ctx).status.migration, undefined);
      else assert.equal(networkConfig(f.ctx).status.networkType, "OpenShiftSDN");
    } finally {
      f.stop();
    }
  }
});

Deno.test("§0 network.config has no status subresource: every CNO status write bumps metadata.generation", async () => {
  const f = newFixture();
  try {
    const before = networkConfig(f.ctx).metadata.generation;
    f.ctx.store.mutate(K.networkOperator, undefined, "cluster", (o) => {
      o.spec.migration = { networkType: "OVNKubernetes" };
    });
    await waitFor("status.migration", () => networkConfig(f.ctx).status.migration);
    assert.ok(networkConfig(f.ctx).metadata.generation > before);
  } finally {
    f.stop();
  }
});

Deno.test("§1.4 offline Kuryr→OVN: Kuryr workloads deleted, openshift-kuryr kept", async () => {
  const f = newFixture({ version: "4.14.30", network: { type: "Kuryr" } });
  try {
    const { store } = f.ctx;
    assert.ok(store.get(K.daemonSet, "openshift-kuryr", "kuryr-cni"));
    assert.ok(store.get(K.deployment, "openshift-kuryr", "kuryr-controller"));
    store.mutate(K.networkOperator, undefined, "cluster", (o) => {
      o.spec.migration = { networkType: "OVNKubernetes" };
    });
    await waitFor("prepared", () => networkConfig(f.ctx).status.migration?.networkType === "OVNKubernetes");
    store.mutate(K.networkConfig, undefined, "cluster", (o) => {
      o.spec.networkType = "OVNKubernetes";
    });
    await waitFor("flipped", () => networkConfig(f.ctx).status.networkType === "OVNKubernetes");
    await waitFor("ovnkube-node", () => store.get(K.daemonSet, "openshift-ovn-kubernetes", "ovnkube-node"));
    assert.equal(store.get(K.daemonSet, "openshift-kuryr", "kuryr-cni"), undefined);
    assert.equal(store.get(K.deployment, "openshift-kuryr", "kuryr-controller"), undefined);
    assert.ok(store.get(K.namespace, undefined, "openshift-kuryr"));
    assert.equal(networkConfig(f.ctx).status.clusterNetworkMTU, 1400);
  } finally {
    f.stop();
  }
});
