/**
 * kubectl reads against the simulator: discovery (`api-resources`, `version`), `get -o json|yaml|jsonpath`,
 * label and field selectors, and `--chunk-size` paging with limit/continue — kube-apiserver's list
 * semantics (order by namespace/name, continue tokens, remainingItemCount).
 */
import assert from "node:assert/strict";
import { kubectl, kubectlOk, startTestSim } from "./helpers.ts";

Deno.test("discovery: kubectl api-resources lists core, apps and OpenShift CRD resources with short names", async () => {
  const sim = await startTestSim();
  try {
    const out = await kubectlOk(sim, ["api-resources", "--no-headers"]);
    assert.match(out, /^pods\s+po\s+v1\s+true\s+Pod$/m);
    assert.match(out, /^daemonsets\s+ds\s+apps\/v1\s+true\s+DaemonSet$/m);
    assert.match(
      out,
      /^machineconfigpools\s+mcp\s+machineconfiguration\.openshift\.io\/v1\s+false\s+MachineConfigPool$/m,
    );
    assert.match(out, /^networks\s+config\.openshift\.io\/v1\s+false\s+Network$/m);
    assert.match(out, /^networks\s+operator\.openshift\.io\/v1\s+false\s+Network$/m);
    const version = JSON.parse(await kubectlOk(sim, ["version", "-o", "json"]));
    assert.deepEqual(version.serverVersion.minor, "29"); // OpenShift 4.16 ships Kubernetes 1.29
  } finally {
    await sim.stopAll();
  }
});

Deno.test("get -o json|yaml|jsonpath returns the stored objects", async () => {
  const sim = await startTestSim();
  try {
    const list = JSON.parse(await kubectlOk(sim, ["get", "pods", "-n", "default", "-o", "json"]));
    assert.deepEqual(list.items.map((p: { metadata: { name: string } }) => p.metadata.name), [
      "db-1",
      "web-1",
      "web-2",
    ]);
    const yaml = await kubectlOk(sim, ["get", "pod", "web-1", "-n", "default", "-o", "yaml"]);
    assert.match(yaml, /^kind: Pod$/m);
    assert.match(yaml, /^ {2}name: web-1$/m);
    const stored = sim.store.get("core/pods", "default", "web-1")!;
    assert.match(yaml, new RegExp(`uid: ${stored.metadata.uid}`));
    const jp = await kubectlOk(sim, ["get", "pods", "-n", "default", "-o", "jsonpath={.items[*].spec.nodeName}"]);
    assert.deepEqual(jp, "worker-0 worker-0 worker-0");
    const table = await kubectlOk(sim, ["get", "pods", "-n", "default"]);
    assert.match(table, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    assert.match(table, /^web-1\s+0\/1\s+Running\s+0\s+\d+s$/m);
  } finally {
    await sim.stopAll();
  }
});

Deno.test("get with -l and --field-selector filters like kube-apiserver", async () => {
  const sim = await startTestSim();
  try {
    assert.deepEqual(
      await kubectlOk(sim, ["get", "pods", "-n", "default", "-l", "app=web", "-o", "name"]),
      "pod/web-1\npod/web-2\n",
    );
    assert.deepEqual(
      await kubectlOk(sim, ["get", "pods", "-A", "-l", "app in (db)", "-o", "name"]),
      "pod/db-1\n",
    );
    assert.deepEqual(
      await kubectlOk(sim, ["get", "pods", "-A", "--field-selector", "metadata.name!=web-1", "-o", "name"]),
      "pod/db-1\npod/web-2\n",
    );
  } finally {
    await sim.stopAll();
  }
});

Deno.test("--chunk-size pages with limit/continue and returns every object once", async () => {
  const sim = await startTestSim();
  try {
    for (let i = 0; i < 25; i++) {
      sim.store.create("core/pods", {
        metadata: { name: `bulk-${String(i).padStart(2, "0")}`, namespace: "app" },
        spec: { containers: [{ name: "c", image: "x" }] },
      });
    }
    sim.requestLog.clear();
    const out = await kubectlOk(sim, ["get", "pods", "-n", "app", "--chunk-size=10", "-o", "name"]);
    const names = out.trim().split("\n");
    assert.deepEqual(names.length, 25);
    assert.deepEqual(new Set(names).size, 25);
    assert.deepEqual(names[0], "pod/bulk-00");
    const lists = sim.requestLog.records({ verb: "list", resource: "pods" });
    assert.deepEqual(lists.length, 3);
    assert.ok(lists.every((r) => r.query?.includes("limit=10")));
    assert.ok(lists.slice(1).every((r) => r.query?.includes("continue=")));
  } finally {
    await sim.stopAll();
  }
});

Deno.test("kubectl get prints CRD printer columns (ClusterOperator) from the Table response", async () => {
  const sim = await startTestSim();
  try {
    const t = "2026-01-01T00:00:00Z";
    sim.store.create("config.openshift.io/clusteroperators", {
      metadata: { name: "network" },
      spec: {},
      status: {
        versions: [{ name: "operator", version: "4.16.20" }],
        conditions: [
          { type: "Available", status: "True", lastTransitionTime: t },
          { type: "Progressing", status: "False", lastTransitionTime: t },
          { type: "Degraded", status: "False", lastTransitionTime: t },
        ],
      },
    });
    const out = await kubectlOk(sim, ["get", "co"]);
    assert.match(out, /^NAME\s+VERSION\s+AVAILABLE\s+PROGRESSING\s+DEGRADED\s+SINCE$/m);
    assert.match(out, /^network\s+4\.16\.20\s+True\s+False\s+False\s+\S+/m);
  } finally {
    await sim.stopAll();
  }
});

Deno.test("a plain Kubernetes scenario (openshift: false) serves no OpenShift API groups", async () => {
  const sim = await startTestSim({ scenario: { openshift: false } });
  try {
    const out = await kubectlOk(sim, ["api-resources", "--no-headers", "-o", "name"]);
    assert.match(out, /^pods$/m);
    assert.doesNotMatch(out, /openshift\.io/);
    const r = await kubectl(sim, ["get", "networks.config.openshift.io"]);
    assert.notEqual(r.code, 0);
  } finally {
    await sim.stopAll();
  }
});
