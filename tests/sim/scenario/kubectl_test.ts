/**
 * The built scenarios as real `kubectl` sees them through the simulated API server (passive: no controllers),
 * with the documented commands that gather the same facts as preflight.
 */
import assert from "node:assert/strict";
import { startSim } from "../../../sim/sim.ts";

async function withSim(scenario: string, fn: (kubectl: (...args: string[]) => Promise<string>) => Promise<void>) {
  const sim = await startSim({ scenario, controllers: false });
  try {
    await fn(async (...args) => {
      const out = await new Deno.Command("kubectl", { args: ["--kubeconfig", sim.kubeconfigPath, ...args] }).output();
      const text = new TextDecoder().decode(out.stdout);
      if (!out.success) throw new Error(`kubectl ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
      return text;
    });
  } finally {
    await sim.stop();
  }
}

Deno.test("kubectl: sdn-egress-router — the documented egress-router pod query finds the three pods", async () => {
  await withSim("sdn-egress-router", async (kubectl) => {
    // procedures.md §6 step 2: get pods --all-namespaces -o json | jq '… assign-macvlan == "true" …'
    const pods = JSON.parse(await kubectl("get", "pods", "--all-namespaces", "-o", "json")).items;
    // deno-lint-ignore no-explicit-any
    const found = pods.filter((p: any) =>
      p.metadata.annotations?.["pod.network.openshift.io/assign-macvlan"] === "true"
    )
      // deno-lint-ignore no-explicit-any
      .map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`).sort();
    assert.deepEqual(found, [
      "egress-router-project/egress-router-dns-proxy",
      "egress-router-project/egress-router-http-proxy",
      "egress-router-project/egress-router-redirect",
    ]);
  });
});

Deno.test("kubectl: sdn-cidr-overlap and sdn-small network facts by jsonpath", async () => {
  await withSim("sdn-cidr-overlap", async (kubectl) => {
    const svc = await kubectl(
      "get",
      "network.config.openshift.io",
      "cluster",
      "-o",
      "jsonpath={.spec.serviceNetwork[0]}",
    );
    assert.equal(svc, "100.64.0.0/16");
  });
  await withSim("sdn-small", async (kubectl) => {
    assert.equal(
      await kubectl(
        "get",
        "network.operator.openshift.io",
        "cluster",
        "-o",
        "jsonpath={.spec.defaultNetwork.openshiftSDNConfig.mode}",
      ),
      "NetworkPolicy",
    );
    assert.equal(
      await kubectl("get", "configmap", "mtu", "-n", "openshift-network-operator", "-o", "jsonpath={.data.mtu}"),
      "1500",
    );
    const hostsubnets = JSON.parse(await kubectl("get", "hostsubnets", "-o", "json")).items;
    assert.equal(hostsubnets.length, 6);
    const version = await kubectl("get", "clusterversion", "version", "-o", "jsonpath={.status.desired.version}");
    assert.equal(version, "4.16.20");
  });
});

Deno.test("kubectl: sdn-multitenant NetNamespaces show the joined projects", async () => {
  await withSim("sdn-multitenant", async (kubectl) => {
    const items = JSON.parse(await kubectl("get", "netnamespaces", "-o", "json")).items;
    // deno-lint-ignore no-explicit-any
    const netid = (n: string) => items.find((i: any) => i.metadata.name === n).netid;
    assert.equal(netid("team-a"), netid("team-b"));
    assert.equal(netid("shared-tools"), 0);
  });
});

Deno.test("kubectl: not-openshift serves no network.config", async () => {
  await withSim("not-openshift", async (kubectl) => {
    await assert.rejects(
      () => kubectl("get", "network.config.openshift.io", "cluster"),
      /doesn't have a resource type/,
    );
    assert.match(await kubectl("get", "nodes", "-o", "name"), /node\/worker-0/);
  });
});
