/**
 * Each blocking validation of cluster-behaviour.md §2.2, reached with the documented trigger (seed step 3) on the
 * scenario that has the blocker, and read back the ways the documentation reads it: `kubectl get co network`,
 * network.operator status, and the `openshift_network_operator_live_migration_blocked{reason}` metric (§3) through
 * the prometheus-k8s-0 exec of procedures.md §7. Two cases also follow the documented fix until the migration starts.
 */
import assert from "node:assert/strict";
import type { Obj } from "../../../sim/store.ts";
import { cond, type ProcedureSim, startProcedureSim } from "./kubectl.ts";
import { LIVE_TRIGGER_PATCH, promQuery } from "./scripts.ts";

const TIME_SCALE = 200;

interface Blocker {
  scenario: string;
  check: string;
  /** The target type of the trigger patch (default: the documented OVNKubernetes). */
  patch?: string;
  error: string;
  reasons: string[];
  /** The documented way out; afterwards the migration must start. */
  fix?: (p: ProcedureSim) => Promise<void>;
}

const BLOCKERS: Blocker[] = [
  {
    scenario: "sdn-small",
    check: "1 UnsupportedCNI",
    patch: LIVE_TRIGGER_PATCH.replace('"OVNKubernetes"', '"Calico"'),
    error: "network type live migration is only supported for OVNKubernetes and OpenShiftSDN CNI",
    reasons: ["UnsupportedCNI"],
  },
  {
    scenario: "hypershift",
    check: "2 UnsupportedHyperShiftCluster",
    error: "network type live migration is not supported on HyperShift clusters",
    reasons: ["UnsupportedHyperShiftCluster"],
  },
  {
    scenario: "sdn-multitenant",
    check: "3 UnsupportedSDNNetworkIsolationMode",
    error: "network type live migration is not supported on SDN Multitenant clusters",
    reasons: ["UnsupportedSDNNetworkIsolationMode"],
  },
  {
    scenario: "sdn-cidr-overlap",
    check: "4 NetworkOverlap",
    error: "network serviceNetwork(100.64.0.0/16) overlaps with network v4InternalSubnet(100.64.0.0/16)",
    reasons: ["NetworkOverlap", "overlapping_networks_serviceNetwork_v4InternalSubnet"],
    // procedures.md §6 step 4: move the join subnet.
    fix: async (p) => {
      await p.ok([
        "patch",
        "network.operator.openshift.io",
        "cluster",
        "--type=merge",
        '-p={"spec":{"defaultNetwork":{"ovnKubernetesConfig":{"ipv4":{"internalJoinSubnet": "100.63.0.0/16"}}}}}',
      ]);
    },
  },
  {
    scenario: "sdn-egress-router",
    check: "5 UnsupportedMACVLANInterface",
    error: 'network type live migration is not supported for pods with "pod.network.openshift.io/assign-macvlan" ' +
      "annotation. Please remove all egress router pods",
    reasons: ["UnsupportedMACVLANInterface"],
    // Seed live steps 1–2: find the egress router pods with the documented jq query and delete each.
    fix: async (p) => {
      const found = await p.shOk(
        `kubectl get pods --all-namespaces -o json | jq -c '.items[] | select(.metadata.annotations."pod.network.openshift.io/assign-macvlan" == "true") | {name: .metadata.name, namespace: .metadata.namespace}'`,
      );
      const pods = found.trim().split("\n").map((l) => JSON.parse(l) as { name: string; namespace: string });
      assert.equal(pods.length, 3, found);
      for (const pod of pods) await p.ok(["delete", "pod", pod.name, "-n", pod.namespace]);
    },
  },
];

const blockedReasons = async (p: ProcedureSim): Promise<string[]> => {
  const body = JSON.parse(await p.shOk(promQuery("openshift_network_operator_live_migration_blocked", "x")));
  assert.equal(body.status, "success");
  return (body.data.result as Obj[]).map((r) => {
    assert.equal(r.metric.__name__, "openshift_network_operator_live_migration_blocked");
    assert.equal(r.value[1], "1");
    return r.metric.reason;
  }).sort();
};

for (const b of BLOCKERS) {
  Deno.test(`§2.2 ${b.check} on ${b.scenario}: Degraded InvalidClusterConfig and the blocked metric via kubectl`, async () => {
    const p = await startProcedureSim(b.scenario, TIME_SCALE);
    try {
      await p.ok([
        "patch",
        "Network.config.openshift.io",
        "cluster",
        "--type=merge",
        "--patch",
        b.patch ?? LIVE_TRIGGER_PATCH,
      ]);
      const co = await p.pollJson(
        "co network Degraded",
        ["get", "co", "network"],
        (o) => cond(o, "Degraded")?.status === "True",
      );
      const degraded = cond(co, "Degraded")!;
      const message =
        `The cluster configuration is invalid (${b.error}). Use 'oc edit network.config.openshift.io cluster' to fix.`;
      assert.equal(degraded.reason, "InvalidClusterConfig");
      assert.equal(degraded.message, message);
      // The status manager mirrors network.operator's conditions to the ClusterOperator (cluster-behaviour.md §0).
      const operator = await p.getJson(["get", "network.operator.openshift.io", "cluster"]);
      assert.equal(cond(operator, "Degraded")?.reason, "InvalidClusterConfig");
      assert.equal(cond(operator, "Degraded")?.message, message);
      assert.equal(operator.spec.migration, undefined, "clusterconfig does not touch network.operator");
      assert.deepEqual(await blockedReasons(p), [...b.reasons].sort());

      // No conditions on network.config and no condition metric while blocked.
      await p.sim.clock.sleep(30_000);
      assert.equal(await p.ok(["get", "network.config", "cluster", "-o", "jsonpath={.status.conditions}"]), "");
      const conditionMetric = JSON.parse(
        await p.shOk(promQuery("openshift_network_operator_live_migration_condition", "x")),
      );
      assert.deepEqual(conditionMetric.data.result, []);

      if (b.fix) {
        await b.fix(p);
        await p.pollJson(
          "migration started",
          ["get", "network.config", "cluster"],
          (o) => cond(o, "NetworkTypeMigrationInProgress")?.status === "True",
        );
        await p.pollJson("not Degraded", ["get", "co", "network"], (o) => cond(o, "Degraded")?.status === "False");
      }
    } finally {
      await p.stop();
    }
  });
}
