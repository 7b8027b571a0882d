/** status and execute on a plain Kubernetes cluster: a clear configuration error (exit 2), not read errors. */
import assert from "node:assert/strict";
import { startSim } from "../../sim/sim.ts";
import { runCli } from "../migrate/_cli.ts";

Deno.test("status and execute on not-openshift exit 2 naming the missing OpenShift API group", async () => {
  const sim = await startSim({ scenario: "not-openshift" });
  try {
    for (const args of [["status"], ["execute", "--method", "offline", "--yes"]]) {
      const run = await runCli(args, { kubeconfig: sim.kubeconfigPath });
      assert.equal(run.code, 2, `${args[0]}: ${run.stderr}`);
      assert.match(run.stderr, /not an OpenShift cluster: the API group config\.openshift\.io is missing/);
    }
    assert.deepEqual(sim.requestLog.writes(), []);
  } finally {
    await sim.stop();
  }
});
