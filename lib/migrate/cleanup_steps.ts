/**
 * The clean-up after a verified migration (procedures.md §5 step 14, §6 step 7, §8 step 11, §9 steps 3–4):
 * clear `spec.migration`, drop the old plugin's configuration block, delete the old plugin's namespace
 * (and wait for it to go), remove the live-migration annotation. After a rollback to SDN the mirror image:
 * `ovnKubernetesConfig` and `openshift-ovn-kubernetes`. Every step is skipped when the cluster already
 * shows its effect, so a second run changes nothing.
 */
import { clearMigrationStep, getNetworkOperator, operatorPatch, removeLiveAnnotationStep } from "./common_steps.ts";
import { BlockedError } from "../errors.ts";
import { R } from "../kube/resources.ts";
import type { Kube } from "../kube/types.ts";
import { findCondition as condition } from "../openshift/conditions.ts";
import { COND, MIGRATION_ANNOTATION } from "../openshift/names.ts";
import { nodeReady } from "../openshift/nodes.ts";
import { poolDegraded, poolUpdating } from "../openshift/pools.ts";
import type { NetworkType } from "./offline.ts";
import { operatorProblem } from "./operators.ts";
import type { Step, StepContext } from "./step.ts";
import { watchUntil } from "./wait.ts";

export interface CleanupStepOptions {
  /** The plugin the cluster runs now (status.networkType). */
  target: NetworkType;
  timeoutMs: number;
}

type Ctx = StepContext<CleanupStepOptions>;

const OLD: Record<NetworkType, { config: string; namespace: string }> = {
  OVNKubernetes: { config: "openshiftSDNConfig", namespace: "openshift-sdn" },
  OpenShiftSDN: { config: "ovnKubernetesConfig", namespace: "openshift-ovn-kubernetes" },
};

const dropConfigBody = (o: CleanupStepOptions) => ({ spec: { defaultNetwork: { [OLD[o.target].config]: null } } });

/**
 * Why the cluster is not ready for cleanup (a migration or rollback unfinished, nodes or operators not
 * healthy), or undefined. Returns the plugin it runs when it is ready.
 */
export async function cleanupBlocker(
  kube: Kube,
): Promise<{ reason: string; hint?: string } | { target: NetworkType }> {
  const [nc, no] = await Promise.all([kube.get(R.networkConfig, "cluster"), kube.get(R.networkOperator, "cluster")]);
  if (!nc || !no) return { reason: "the Network objects (config and operator) named cluster do not exist" };
  const spec = nc.spec?.networkType;
  const status = nc.status?.networkType;
  if (status !== "OVNKubernetes" && status !== "OpenShiftSDN") {
    return {
      reason: `the cluster runs ${status ?? "an unknown network plugin"}; cleanup handles SDN and OVN-Kubernetes`,
    };
  }
  if (spec !== status) {
    return {
      reason: `a network type change is unfinished: spec.networkType is ${spec} but the cluster runs ${status}`,
      hint:
        `Finish it first (\`oc ovn-migrate execute\` or \`oc ovn-migrate rollback\` resumes it; \`oc ovn-migrate status\` shows where it is).`,
    };
  }
  const inProgress = condition(nc, COND.inProgress);
  if (inProgress?.status === "True") {
    return {
      reason: `a live migration is in progress (${COND.inProgress} True, ${inProgress.reason ?? ""})`,
      hint: "Wait for it to complete: `oc ovn-migrate status --watch`.",
    };
  }
  const migration = no.spec?.migration;
  if (migration?.mode === "Live" || migration?.mtu) {
    return {
      reason: `network.operator spec.migration is still in use (${JSON.stringify(migration)})`,
      hint: "Wait for the network operator to finish: `oc ovn-migrate status --watch`.",
    };
  }
  if (migration?.networkType && migration.networkType !== status) {
    return {
      reason: `a migration to ${migration.networkType} was prepared (spec.migration) but the cluster runs ${status}`,
      hint:
        `Finish it with \`oc ovn-migrate execute --method offline\`, or undo it with oc patch Network.operator.openshift.io cluster ` +
        `--type=merge -p '{"spec":{"migration":null}}'.`,
    };
  }
  // Back on SDN, only a rollback leaves OVN-Kubernetes behind; its namespace is the evidence (CNO keeps it).
  if (status === "OpenShiftSDN" && !migration && !(await kube.get(R.namespace, "openshift-ovn-kubernetes"))) {
    return {
      reason: "this cluster runs OpenShift SDN and was never migrated (no openshift-ovn-kubernetes namespace); " +
        "there is nothing to clean up",
      hint: "Migrate first: `oc ovn-migrate preflight`, then `oc ovn-migrate execute`.",
    };
  }
  const nodes = await kube.list(R.node);
  const notReady = nodes.filter((n) => !nodeReady(n)).map((n) => n.metadata.name);
  if (notReady.length) {
    return { reason: `nodes are not Ready: ${notReady.join(", ")}`, hint: "Check `oc get nodes`." };
  }
  const pools = await kube.list(R.machineConfigPool);
  const busy = pools.filter((p) => poolDegraded(p) || poolUpdating(p));
  if (busy.length) {
    return {
      reason: `machine config pools are still rolling out or degraded: ${busy.map((p) => p.metadata.name).join(", ")}`,
      hint: "Check `oc get mcp`.",
    };
  }
  const unhealthy = (await kube.list(R.clusterOperator)).map(operatorProblem).filter(Boolean);
  if (unhealthy.length) {
    return { reason: `cluster operators are not healthy: ${unhealthy.join("; ")}`, hint: "Check `oc get co`." };
  }
  return { target: status };
}

export function cleanupSteps(): Step<CleanupStepOptions>[] {
  return [
    clearMigrationStep("clear-migration", "Clear spec.migration", () => undefined),
    {
      id: "drop-old-config",
      title: "Drop the old plugin's configuration from network.operator",
      disruptive: false,
      skip: async (ctx) => {
        const key = OLD[ctx.options.target].config;
        return (await getNetworkOperator(ctx.kube)).spec?.defaultNetwork?.[key] ? undefined : `no ${key}`;
      },
      done: () => Promise.resolve(false),
      plan: (ctx) => Promise.resolve([operatorPatch(dropConfigBody(ctx.options))]),
      apply: async (ctx) => {
        await ctx.kube.patch(R.networkOperator, "cluster", dropConfigBody(ctx.options), "merge");
      },
      verify: async (ctx) => {
        const key = OLD[ctx.options.target].config;
        if ((await getNetworkOperator(ctx.kube)).spec?.defaultNetwork?.[key]) {
          throw new BlockedError(
            `network.operator spec.defaultNetwork.${key} is still set after the patch.`,
            "Something sets it again (a GitOps tool or an operator): `oc get network.operator cluster -o yaml` shows the field manager.",
          );
        }
      },
    },
    {
      id: "delete-old-namespace",
      title: "Delete the old plugin's namespace",
      disruptive: true,
      skip: async (ctx) => {
        const ns = OLD[ctx.options.target].namespace;
        return await ctx.kube.get(R.namespace, ns) ? undefined : `namespace ${ns} does not exist`;
      },
      done: () => Promise.resolve(false),
      plan: (ctx) => {
        const ns = OLD[ctx.options.target].namespace;
        return Promise.resolve([{ command: `oc delete namespace ${ns}`, request: `DELETE /api/v1/namespaces/${ns}` }]);
      },
      apply: async (ctx) => {
        await ctx.kube.delete(R.namespace, OLD[ctx.options.target].namespace);
      },
      verify: (ctx) => {
        const ns = OLD[ctx.options.target].namespace;
        return watchUntil<true>(
          ctx.kube,
          R.namespace,
          { fieldSelector: `metadata.name=${ns}` },
          (items) => items.size === 0 ? { done: true } : { progress: `waiting for namespace ${ns} to be deleted` },
          {
            timeoutMs: ctx.options.timeoutMs,
            signal: ctx.signal,
            report: ctx.report,
            onTimeout: () =>
              new BlockedError(
                `Namespace ${ns} is still terminating.`,
                `Check what holds it: oc get namespace ${ns} -o yaml (status.conditions name the remaining content).`,
              ),
          },
        );
      },
    },
    // Only after completion: removing it mid-migration can wedge the cluster (checked by cleanupBlocker).
    removeLiveAnnotationStep(`Remove the ${MIGRATION_ANNOTATION} annotation`),
  ];
}
