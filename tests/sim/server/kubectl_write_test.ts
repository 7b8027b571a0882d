/**
 * kubectl writes against the simulator, following kube-apiserver: PATCH as merge, JSON (with `test`) and
 * strategic merge (containers/env merged by name), optimistic concurrency (409 Conflict on a stale
 * resourceVersion), create/apply, and `wait --for=condition` on a MachineConfigPool status
 * (cluster-behaviour.md §4.5: MCP has a status subresource).
 */
import assert from "node:assert/strict";
import { api, kubectl, kubectlOk, startTestSim } from "./helpers.ts";

Deno.test("patch --type=merge and --type=json (a failing `test` op is rejected and changes nothing)", async () => {
  const sim = await startTestSim();
  try {
    await kubectlOk(sim, [
      "patch",
      "pod",
      "web-1",
      "-n",
      "default",
      "--type=merge",
      "-p",
      '{"metadata":{"labels":{"tier":"front"}}}',
    ]);
    assert.equal(sim.store.get("core/pods", "default", "web-1")!.metadata.labels.tier, "front");
    await kubectlOk(sim, [
      "patch",
      "pod",
      "web-1",
      "-n",
      "default",
      "--type=json",
      "-p",
      '[{"op":"test","path":"/metadata/labels/tier","value":"front"},{"op":"replace","path":"/metadata/labels/tier","value":"back"}]',
    ]);
    assert.equal(sim.store.get("core/pods", "default", "web-1")!.metadata.labels.tier, "back");
    const rv = sim.store.get("core/pods", "default", "web-1")!.metadata.resourceVersion;
    const failed = await kubectl(sim, [
      "patch",
      "pod",
      "web-1",
      "-n",
      "default",
      "--type=json",
      "-p",
      '[{"op":"test","path":"/metadata/labels/tier","value":"front"},{"op":"remove","path":"/metadata/labels"}]',
    ]);
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, /testing value \/metadata\/labels\/tier failed/);
    assert.equal(sim.store.get("core/pods", "default", "web-1")!.metadata.resourceVersion, rv);
  } finally {
    await sim.stopAll();
  }
});

Deno.test("strategic merge patch merges containers and env by name on a pod and a deployment", async () => {
  const sim = await startTestSim();
  try {
    await kubectlOk(sim, [
      "patch",
      "pod",
      "web-1",
      "-n",
      "default",
      "-p",
      '{"spec":{"containers":[{"name":"main","env":[{"name":"B","value":"2"}]},{"name":"side","image":"s:1"}]}}',
    ]);
    const p = sim.store.get("core/pods", "default", "web-1")!;
    assert.deepEqual(p.spec.containers.map((c: { name: string }) => c.name), ["main", "side"]);
    assert.equal(p.spec.containers[0].image, "registry.example/app:1");
    assert.deepEqual(p.spec.containers[0].env, [{ name: "A", value: "1" }, { name: "B", value: "2" }]);

    sim.store.create("apps/deployments", {
      metadata: { name: "api", namespace: "app" },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "api" } },
        template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "api", image: "api:1" }] } },
      },
    });
    await kubectlOk(sim, ["set", "image", "deployment/api", "-n", "app", "api=api:2"]);
    await kubectlOk(sim, [
      "patch",
      "deployment",
      "api",
      "-n",
      "app",
      "-p",
      '{"spec":{"template":{"spec":{"containers":[{"name":"api","$patch":"delete"}]}}}}',
    ]);
    const d = sim.store.get("apps/deployments", "app", "api")!;
    assert.deepEqual(d.spec.template.spec.containers, []);
    assert.equal(d.metadata.generation, 3);
    // Custom resources do not take strategic merge patches (415), as in kube-apiserver.
    sim.store.create("machineconfiguration.openshift.io/machineconfigpools", {
      metadata: { name: "worker" },
      spec: {},
    });
    const r = await api(sim, "/apis/machineconfiguration.openshift.io/v1/machineconfigpools/worker", {
      method: "PATCH",
      headers: { "Content-Type": "application/strategic-merge-patch+json" },
      body: '{"spec":{"paused":true}}',
    });
    assert.equal(r.status, 415);
    assert.equal(r.body.reason, "UnsupportedMediaType");
  } finally {
    await sim.stopAll();
  }
});

Deno.test("optimistic concurrency: an update with a stale resourceVersion is a 409 Conflict", async () => {
  const sim = await startTestSim();
  try {
    const stale = structuredClone(sim.store.get("core/pods", "default", "web-2")!);
    sim.store.mutate("core/pods", "default", "web-2", (o) => {
      o.metadata.labels.changed = "yes";
    });
    stale.metadata.labels.mine = "1";
    const r = await api(sim, "/api/v1/namespaces/default/pods/web-2", {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(stale),
    });
    assert.equal(r.status, 409);
    assert.equal(r.body.kind, "Status");
    assert.equal(r.body.reason, "Conflict");
    assert.match(r.body.message, /Operation cannot be fulfilled on pods "web-2": the object has been modified/);
    const replaced = await kubectl(sim, ["replace", "-f", "-"], { stdin: JSON.stringify(stale) });
    assert.notEqual(replaced.code, 0);
    assert.match(replaced.stderr, /the object has been modified; please apply your changes to the latest version/);
  } finally {
    await sim.stopAll();
  }
});

Deno.test("create -f, apply -f (validate=strict works without a client-side schema) and dry-run", async () => {
  const sim = await startTestSim();
  try {
    const cm = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "app" },
      data: { a: "1" },
    };
    await kubectlOk(sim, ["create", "-f", "-"], { stdin: JSON.stringify(cm) });
    cm.data.a = "2";
    await kubectlOk(sim, ["apply", "-f", "-"], { stdin: JSON.stringify(cm) });
    assert.equal(sim.store.get("core/configmaps", "app", "settings")!.data.a, "2");
    await kubectlOk(sim, ["create", "configmap", "dry", "-n", "app", "--dry-run=server", "--from-literal=k=v"]);
    assert.equal(sim.store.get("core/configmaps", "app", "dry"), undefined);
    const gen = await kubectlOk(sim, ["create", "-f", "-", "-o", "name"], {
      stdin: JSON.stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { generateName: "gen-", namespace: "app" },
      }),
    });
    assert.match(gen, /^configmap\/gen-[a-z0-9]{5}$/m);
  } finally {
    await sim.stopAll();
  }
});

Deno.test("wait --for=condition=Updated on a MachineConfigPool set from the test", async () => {
  const sim = await startTestSim();
  try {
    const key = "machineconfiguration.openshift.io/machineconfigpools";
    sim.store.create(key, {
      metadata: { name: "worker" },
      spec: {},
      status: { conditions: [{ type: "Updated", status: "False", lastTransitionTime: sim.clock.iso() }] },
    });
    const waiting = kubectl(sim, ["wait", "mcp/worker", "--for=condition=Updated", "--timeout=30s"]);
    await new Promise((r) => setTimeout(r, 1500));
    sim.store.mutate(key, undefined, "worker", (o) => {
      o.status = { conditions: [{ type: "Updated", status: "True", lastTransitionTime: sim.clock.iso() }] };
    }, { subresource: "status" });
    const r = await waiting;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /machineconfigpool\.machineconfiguration\.openshift\.io\/worker condition met/);
  } finally {
    await sim.stopAll();
  }
});

Deno.test("a create cannot set status where a status subresource exists (pods start Pending)", async () => {
  const sim = await startTestSim();
  try {
    const created = JSON.parse(
      await kubectlOk(sim, ["create", "-f", "-", "-o", "json"], {
        stdin: JSON.stringify({
          apiVersion: "machineconfiguration.openshift.io/v1",
          kind: "MachineConfigPool",
          metadata: { name: "infra" },
          spec: { paused: true },
          status: { machineCount: 3 },
        }),
      }),
    );
    assert.equal(created.status, undefined);
    assert.equal(created.spec.paused, true);
    await kubectlOk(sim, ["run", "tool", "-n", "app", "--image=registry.example/tool:1"]);
    assert.equal(sim.store.get("core/pods", "app", "tool")!.status.phase, "Pending");
    // network.config has no status subresource (cluster-behaviour.md §0): status is part of the object.
    const net = JSON.parse(
      await kubectlOk(sim, ["create", "-f", "-", "-o", "json"], {
        stdin: JSON.stringify({
          apiVersion: "config.openshift.io/v1",
          kind: "Network",
          metadata: { name: "cluster" },
          spec: { networkType: "OpenShiftSDN" },
          status: { networkType: "OpenShiftSDN" },
        }),
      }),
    );
    assert.equal(net.status.networkType, "OpenShiftSDN");
  } finally {
    await sim.stopAll();
  }
});
