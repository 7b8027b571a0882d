/** Limited live migration through the Store (cluster-behaviour.md §2). */
import assert from "node:assert/strict";
import type { Obj } from "../../../sim/store.ts";
import {
  condition,
  coNetwork,
  K,
  MIGRATION_ANNOTATION,
  networkConfig,
  networkOperator,
  newFixture,
  recordConditions,
  waitFor,
} from "./fixture.ts";
import type { SimContext } from "../../../sim/types.ts";
import { assertSubsequence, LIVE_TIMELINE } from "../live_timeline.ts";

function trigger(ctx: SimContext, target: string): void {
  ctx.store.mutate(K.networkConfig, undefined, "cluster", (o) => {
    o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [MIGRATION_ANNOTATION]: "" };
    o.spec.networkType = target;
  });
}

const done = (ctx: SimContext, type: string) => {
  const nc = networkConfig(ctx);
  return nc.status.networkType === type && condition(nc, "NetworkTypeMigrationInProgress")?.reason ===
      "NetworkTypeMigrationCompleted";
};

Deno.test("§2.4 live SDN→OVN: condition timeline in order, two rollouts per pool, §2.7 final state", async () => {
  // A slower clock keeps each pool-updating window wide enough to be observed on a busy test machine.
  const f = newFixture({}, { timeScale: 200 });
  const rec = recordConditions(f.ctx);
  try {
    const { store, metrics } = f.ctx;
    trigger(f.ctx, "OVNKubernetes");
    await waitFor("migration complete", () => done(f.ctx, "OVNKubernetes"), 180_000);
    assertSubsequence(rec.timeline, LIVE_TIMELINE);
    // Completion resets every condition in one write: OriginalCNIPurged=True is never observed.
    assert.ok(!rec.timeline.some((l) => l.includes("OriginalCNIPurged=True")), rec.timeline.join("\n"));
    assert.equal(f.mco.rollouts.get("master"), 2);
    assert.equal(f.mco.rollouts.get("worker"), 2);
    const nc = networkConfig(f.ctx);
    assert.equal(nc.status.clusterNetworkMTU, 1400);
    assert.equal(nc.status.migration, undefined);
    assert.ok(MIGRATION_ANNOTATION in nc.metadata.annotations, "CNO never removes the annotation");
    assert.deepEqual(nc.status.conditions.map((c: Obj) => c.type), [
      "NetworkTypeMigrationInProgress",
      "NetworkTypeMigrationMTUReady",
      "NetworkTypeMigrationTargetCNIAvailable",
      "NetworkTypeMigrationTargetCNIInUse",
      "NetworkTypeMigrationOriginalCNIPurged",
    ]);
    const no = networkOperator(f.ctx);
    assert.equal(no.spec.migration, undefined);
    assert.equal(no.spec.defaultNetwork.type, "OVNKubernetes");
    assert.equal(store.get(K.daemonSet, "openshift-sdn", "sdn"), undefined);
    assert.equal(store.get(K.daemonSet, "openshift-sdn", "sdn-controller"), undefined);
    assert.ok(store.get(K.namespace, undefined, "openshift-sdn"));
    const ovnkube = store.get(K.daemonSet, "openshift-ovn-kubernetes", "ovnkube-node")!;
    const env = ovnkube.spec.template.spec.containers.find((c: Obj) => c.name === "ovnkube-controller").env;
    assert.ok(!env.some((e: Obj) => e.name === "OVN_KUBE_LIVE_MIGRATION"), "OVN redeployed in normal mode");
    // §3 condition metric after completion: InProgress 0, others -1.
    const series = metrics.series("openshift_network_operator_live_migration_condition");
    assert.equal(series.find((s) => s.labels.type === "NetworkTypeMigrationInProgress")?.value, 0);
    assert.equal(series.find((s) => s.labels.type === "NetworkTypeMigrationMTUReady")?.value, -1);
    assert.equal(series.length, 5);
    assert.match(metrics.text(), /# HELP openshift_network_operator_live_migration_condition \[ALPHA\] /);
    assert.equal(metrics.series("openshift_network_operator_live_migration_blocked").length, 0);
    await waitFor("upgradeable", () => coNetwork(f.ctx, "Upgradeable")?.status === "True");
  } finally {
    rec.stop();
    f.stop();
  }
});

Deno.test("§2.4 live: while in progress CO network is not Upgradeable and status.migration reports the current type", async () => {
  const f = newFixture({}, { holdPools: true });
  try {
    trigger(f.ctx, "OVNKubernetes");
    await waitFor("step 2", () => networkConfig(f.ctx).status.migration?.mtu);
    const nc = networkConfig(f.ctx);
    assert.deepEqual(nc.status.migration, {
      networkType: "OpenShiftSDN",
      mtu: { network: { from: 1450, to: 1400 }, machine: { to: 1500 } },
    });
    assert.equal(nc.status.clusterNetworkMTU, 1400);
    assert.deepEqual(networkOperator(f.ctx).spec.migration, {
      mode: "Live",
      networkType: "OVNKubernetes",
      mtu: { network: { from: 1450, to: 1400 }, machine: { to: 1500 } },
    });
    // Both CNIs are rendered while migrating.
    assert.ok(f.ctx.store.get(K.daemonSet, "openshift-sdn", "sdn"));
    assert.ok(f.ctx.store.get(K.daemonSet, "openshift-ovn-kubernetes", "ovnkube-node"));
    const mc = f.ctx.store.get(K.configMap, "openshift-multus", "multus-daemon-config")!;
    assert.ok("daemon-config-lm-ovn.json" in mc.data && "daemon-config-lm-sdn.json" in mc.data);
    const up = await waitFor("upgradeable", () => {
      const c = coNetwork(f.ctx, "Upgradeable");
      return c?.reason === "NetworkMigrationInProgress" && c;
    });
    assert.equal(up.message, "A CNI migration is in progress; upgrade is blocked until that finishes.");
    const cv = f.ctx.store.get(K.clusterVersion, undefined, "version")!;
    assert.equal(condition(cv, "Upgradeable")?.reason, "NetworkMigrationInProgress");
  } finally {
    f.stop();
  }
});

interface BlockCase {
  name: string;
  input?: Obj;
  objects?: [string, Obj][];
  target?: string;
  error: string;
  reasons: string[];
}

const EGRESS_POD: [string, Obj] = [K.pod, {
  metadata: {
    name: "egress-multi",
    namespace: "egress-router-project",
    annotations: { "pod.network.openshift.io/assign-macvlan": "true" },
  },
  spec: { containers: [{ name: "egress-router" }] },
}];

const BLOCKS: BlockCase[] = [
  {
    name: "1 UnsupportedCNI",
    target: "Calico",
    error: "network type live migration is only supported for OVNKubernetes and OpenShiftSDN CNI",
    reasons: ["UnsupportedCNI"],
  },
  {
    name: "2 UnsupportedHyperShiftCluster",
    input: { controlPlaneTopology: "External" },
    error: "network type live migration is not supported on HyperShift clusters",
    reasons: ["UnsupportedHyperShiftCluster"],
  },
  {
    name: "3 UnsupportedSDNNetworkIsolationMode",
    input: { network: { sdnMode: "Multitenant" } },
    error: "network type live migration is not supported on SDN Multitenant clusters",
    reasons: ["UnsupportedSDNNetworkIsolationMode"],
  },
  {
    name: "4 NetworkOverlap",
    input: { network: { serviceNetwork: ["100.64.0.0/16"] } },
    error: "network serviceNetwork(100.64.0.0/16) overlaps with network v4InternalSubnet(100.64.0.0/16)",
    reasons: ["overlapping_networks_serviceNetwork_v4InternalSubnet", "NetworkOverlap"],
  },
  {
    name: "5 UnsupportedMACVLANInterface",
    objects: [EGRESS_POD],
    error: 'network type live migration is not supported for pods with "pod.network.openshift.io/assign-macvlan" ' +
      "annotation. Please remove all egress router pods",
    reasons: ["UnsupportedMACVLANInterface"],
  },
];

for (const b of BLOCKS) {
  Deno.test(`§2.2 blocking validation ${b.name}: Degraded InvalidClusterConfig, blocked metric, no conditions`, async () => {
    const f = newFixture(b.input ?? {}, { objects: b.objects });
    try {
      trigger(f.ctx, b.target ?? "OVNKubernetes");
      const d = await waitFor(
        "degraded",
        () => coNetwork(f.ctx, "Degraded")?.status === "True" && coNetwork(f.ctx, "Degraded"),
      );
      assert.equal(d.reason, "InvalidClusterConfig");
      assert.equal(
        d.message,
        `The cluster configuration is invalid (${b.error}). Use 'oc edit network.config.openshift.io cluster' to fix.`,
      );
      const reasons = f.ctx.metrics.series("openshift_network_operator_live_migration_blocked").map((s) =>
        s.labels.reason
      );
      assert.deepEqual(reasons.sort(), [...b.reasons].sort());
      assert.ok(f.ctx.metrics.series("openshift_network_operator_live_migration_blocked").every((s) => s.value === 1));
      await f.ctx.clock.sleep(20_000);
      assert.equal(networkConfig(f.ctx).status.conditions, undefined);
      assert.equal(networkOperator(f.ctx).spec.migration, undefined);
      assert.equal(f.ctx.metrics.series("openshift_network_operator_live_migration_condition").length, 0);
    } finally {
      f.stop();
    }
  });
}

Deno.test("§2.2 removing the egress router pod lets the migration start and clears the blocked metric", async () => {
  const f = newFixture({}, { objects: [EGRESS_POD] });
  try {
    trigger(f.ctx, "OVNKubernetes");
    await waitFor("blocked", () => f.ctx.metrics.series("openshift_network_operator_live_migration_blocked").length);
    f.ctx.store.delete(K.pod, "egress-router-project", "egress-multi");
    await waitFor(
      "started",
      () => condition(networkConfig(f.ctx), "NetworkTypeMigrationInProgress")?.status === "True",
    );
    assert.equal(f.ctx.metrics.series("openshift_network_operator_live_migration_blocked").length, 0);
    await waitFor("not degraded", () => coNetwork(f.ctx, "Degraded")?.status === "False");
  } finally {
    f.stop();
  }
});

Deno.test("§2.8 live rollback OVN→SDN: type switches at step 2, two rollouts, OVN purged, node annotations cleaned", async () => {
  const f = newFixture({}, { ovn: true });
  try {
    const { store } = f.ctx;
    store.mutate(K.node, undefined, "worker-0", (o) => {
      o.metadata.annotations = { "k8s.ovn.org/node-subnets": '{"default":["10.128.2.0/23"]}', keep: "me" };
    });
    trigger(f.ctx, "OpenShiftSDN");
    await waitFor("step 2", () => networkConfig(f.ctx).status.migration?.mtu);
    const mid = networkConfig(f.ctx);
    assert.equal(mid.status.networkType, "OpenShiftSDN", "rollback switches the type together with the MTU");
    assert.deepEqual(mid.status.migration.mtu, { network: { from: 1400, to: 1400 }, machine: { to: 1500 } });
    await waitFor("complete", () => done(f.ctx, "OpenShiftSDN"), 180_000);
    assert.equal(f.mco.rollouts.get("worker"), 2);
    assert.equal(store.get(K.daemonSet, "openshift-ovn-kubernetes", "ovnkube-node"), undefined);
    assert.ok(store.get(K.namespace, undefined, "openshift-ovn-kubernetes"));
    assert.equal(networkConfig(f.ctx).status.clusterNetworkMTU, 1450);
    await waitFor("annotations cleaned", () => {
      const a = store.get(K.node, undefined, "worker-0")!.metadata.annotations;
      return !("k8s.ovn.org/node-subnets" in a) && a.keep === "me";
    });
  } finally {
    f.stop();
  }
});

Deno.test("§2.5 a degraded pool stalls the live migration with MachineConfigPoolDegraded", async () => {
  const f = newFixture();
  try {
    trigger(f.ctx, "OVNKubernetes");
    await waitFor("step 2", () => networkConfig(f.ctx).status.migration?.mtu);
    f.mco.degrade("worker", true);
    const c = await waitFor("pool degraded condition", () => {
      const c = condition(networkConfig(f.ctx), "NetworkTypeMigrationMTUReady");
      return c?.reason === "MachineConfigPoolDegraded" && c;
    });
    assert.equal(c.message, "MachineConfig Pool worker is degraded");
    const d = await waitFor(
      "co degraded",
      () => coNetwork(f.ctx, "Degraded")?.status === "True" && coNetwork(f.ctx, "Degraded"),
    );
    assert.equal(d.reason, "NetworkTypeMigrationFailed");
    assert.equal(
      d.message,
      "Failed to process SDN live migration (MCP is degraded, network type migration cannot proceed). " +
        "Use 'oc edit network.config.openshift.io cluster' to fix.",
    );
  } finally {
    f.stop();
  }
});

Deno.test("§2.5/§2.6 live migration without the mtu ConfigMap fails at step 2", async () => {
  const f = newFixture({ network: { hardwareMTU: null } });
  try {
    trigger(f.ctx, "OVNKubernetes");
    const d = await waitFor(
      "degraded",
      () => coNetwork(f.ctx, "Degraded")?.status === "True" && coNetwork(f.ctx, "Degraded"),
    );
    assert.equal(
      d.message,
      `Failed to process SDN live migration (configmaps "mtu" not found). Use 'oc edit network.config.openshift.io cluster' to fix.`,
    );
    assert.equal(networkConfig(f.ctx).status.migration?.mtu, undefined);
  } finally {
    f.stop();
  }
});

for (const step of ["live-step-1", "live-step-2", "live-step-3", "live-step-4"]) {
  Deno.test(`faults.cnoDegradeAtStep ${step}: CNO Degraded NetworkTypeMigrationFailed and the step never happens`, async () => {
    const f = newFixture({ faults: { cnoDegradeAtStep: step } });
    try {
      trigger(f.ctx, "OVNKubernetes");
      const d = await waitFor(
        "degraded",
        () => coNetwork(f.ctx, "Degraded")?.status === "True" && coNetwork(f.ctx, "Degraded"),
        60_000,
      );
      assert.equal(d.reason, "NetworkTypeMigrationFailed");
      assert.match(d.message!, /^Failed to process SDN live migration \(.+\)\. Use 'oc edit network.config/);
      await f.ctx.clock.sleep(60_000);
      const no = networkOperator(f.ctx);
      const expect: Record<string, () => void> = {
        "live-step-1": () => assert.equal(no.spec.migration, undefined),
        "live-step-2": () => assert.equal(no.spec.migration?.mtu, undefined),
        "live-step-3": () => assert.equal(no.spec.defaultNetwork.type, "OpenShiftSDN"),
        "live-step-4": () => assert.equal(no.spec.migration?.networkType, "OVNKubernetes"),
      };
      expect[step]();
      assert.equal(condition(networkConfig(f.ctx), "NetworkTypeMigrationInProgress")?.status, "True");
    } finally {
      f.stop();
    }
  });
}
