/** The zod schemas accept what the simulated cluster serves (its objects follow cluster-behaviour.md §4). */
import { assert, assertMatch, assertRejects, assertThrows } from "./_assert.ts";
import { KubeError } from "../../lib/errors.ts";
import { connect } from "../../lib/kube/connect.ts";
import { R, type ResourceRef } from "../../lib/kube/resources.ts";
import * as S from "../../lib/kube/schemas.ts";
import { startSim } from "../../sim/sim.ts";
import { captureLogger, globals } from "./_fixtures.ts";

const PAIRS: [ResourceRef, Parameters<typeof S.parseList>[0]][] = [
  [R.networkConfig, S.NetworkConfigSchema],
  [R.networkOperator, S.NetworkOperatorSchema],
  [R.infrastructure, S.InfrastructureSchema],
  [R.clusterVersion, S.ClusterVersionSchema],
  [R.clusterOperator, S.ClusterOperatorSchema],
  [R.machineConfigPool, S.MachineConfigPoolSchema],
  [R.machineConfig, S.MachineConfigSchema],
  [R.node, S.NodeSchema],
  [R.pod, S.PodSchema],
  [R.daemonSet, S.DaemonSetSchema],
  [R.deployment, S.DeploymentSchema],
  [R.namespace, S.NamespaceSchema],
  [R.configMap, S.ConfigMapSchema],
  [R.hostSubnet, S.HostSubnetSchema],
  [R.netNamespace, S.NetNamespaceSchema],
  [R.egressNetworkPolicy, S.EgressNetworkPolicySchema],
  [R.egressRouter, S.EgressRouterSchema],
  [R.nncp, S.NodeNetworkConfigurationPolicySchema],
  [R.networkAttachmentDefinition, S.NetworkAttachmentDefinitionSchema],
  [R.podDisruptionBudget, S.PodDisruptionBudgetSchema],
  [R.validatingWebhook, S.ValidatingWebhookConfigurationSchema],
  [R.mutatingWebhook, S.MutatingWebhookConfigurationSchema],
];

for (const scenario of ["sdn-pdb-webhook", "sdn-egress-router", "sdn-nncp-primary"]) {
  Deno.test(`schemas parse every object of the simulated ${scenario} cluster`, async () => {
    const sim = await startSim({ scenario, controllers: false });
    const kube = await connect(globals({ kubeconfig: sim.kubeconfigPath }), captureLogger());
    try {
      let total = 0;
      for (const [ref, schema] of PAIRS) {
        const items = await kube.list(ref);
        S.parseList(schema, items, ref.kind);
        total += items.length;
      }
      assert(total > 50, `objects were read (${total})`);
    } finally {
      await kube.close?.();
      await sim.stop();
    }
  });
}

Deno.test("parseObject names the object and the field that does not fit", () => {
  const ok = S.parseObject(S.MachineConfigPoolSchema, {
    metadata: { name: "worker" },
    spec: { paused: false, maxUnavailable: "10%", extra: { kept: true } },
  }, "MachineConfigPool");
  assert((ok.spec as Record<string, unknown>).extra, "unknown fields pass through");
  const err = assertThrows(
    () =>
      S.parseObject(
        S.MachineConfigPoolSchema,
        { metadata: { name: "worker" }, spec: { paused: "yes" } },
        "MachineConfigPool",
      ),
    KubeError,
  );
  assertMatch(err.message, /unexpected MachineConfigPool worker: spec\.paused:/);
});

Deno.test("reads parse at the facade: a malformed object from the cluster is an error naming the object and field", async () => {
  const sim = await startSim({ scenario: "sdn-small", controllers: false });
  const kube = await connect(globals({ kubeconfig: sim.kubeconfigPath }), captureLogger());
  try {
    const pools = await kube.list(R.machineConfigPool);
    assert(pools.length === 2 && typeof pools[0].metadata.name === "string", "well-formed objects come back typed");
    sim.store.mutate("core/nodes", undefined, "worker-0", (n) => {
      n.status.nodeInfo.bootID = 42;
    }, { subresource: "status" });
    for (const read of [() => kube.list(R.node), () => kube.get(R.node, "worker-0")]) {
      const err = await assertRejects(read, KubeError);
      assertMatch(err.message, /unexpected nodes worker-0: status\.nodeInfo\.bootID:/);
    }
  } finally {
    await kube.close?.();
    await sim.stop();
  }
});
