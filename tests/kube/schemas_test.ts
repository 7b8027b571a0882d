/** The zod schemas accept what the simulated cluster serves (its objects follow cluster-behaviour.md §4). */
import { assert, assertMatch, assertThrows } from "./_assert.ts";
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
