/**
 * A built-in scenario served to kubectl (startSim with the scenario builder, controllers off): the
 * cluster-behaviour.md §4 objects are readable the documented way (`oc get Network.config.openshift.io
 * cluster -o jsonpath=…`, `get mcp`, `get nodes`), and the scenario's restricted user gets the answers
 * its rules give (`auth can-i`).
 */
import assert from "node:assert/strict";
import { startSim } from "../../../sim/sim.ts";
import type { Run } from "./helpers.ts";

async function kubectlAt(kubeconfig: string, cacheDir: string, args: string[], context?: string): Promise<Run> {
  const out = await new Deno.Command("kubectl", {
    args: [
      `--kubeconfig=${kubeconfig}`,
      `--cache-dir=${cacheDir}`,
      ...(context ? [`--context=${context}`] : []),
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout), stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("sdn-restricted-user: documented reads work and the restricted user is limited", async () => {
  const sim = await startSim({ scenario: "sdn-restricted-user", controllers: false });
  const cache = await Deno.makeTempDir();
  try {
    const k = (args: string[], ctx?: string) => kubectlAt(sim.kubeconfigPath, cache, args, ctx);
    const type = await k(["get", "Network.config.openshift.io", "cluster", "-o", "jsonpath={.spec.networkType}"]);
    assert.equal(type.stdout, "OpenShiftSDN", type.stderr);
    const nodes = await k(["get", "nodes", "-o", "name"]);
    assert.equal(nodes.stdout.trim().split("\n").length, 6);
    const mcp = await k(["get", "mcp", "-o", "name"]);
    assert.match(mcp.stdout, /machineconfigpool\.machineconfiguration\.openshift\.io\/worker/);
    assert.equal((await k(["auth", "can-i", "list", "pods", "-n", "dev-project"], "dev")).stdout.trim(), "yes");
    assert.equal((await k(["auth", "can-i", "patch", "networks.operator.openshift.io"], "dev")).stdout.trim(), "no");
    const denied = await k(["get", "nodes"], "dev");
    assert.match(
      denied.stderr,
      /nodes is forbidden: User "dev" cannot list resource "nodes" in API group "" at the cluster scope/,
    );
  } finally {
    await sim.stop();
    await Deno.remove(cache, { recursive: true });
  }
});
