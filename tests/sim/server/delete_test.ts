/**
 * Deletion as kube-apiserver and kube-controller-manager do it: an object with finalizers only gets a
 * deletionTimestamp and stays (Terminating) until its last finalizer is removed; a deleted namespace is
 * Terminating, its contents are deleted, it waits for their finalizers, then it goes; deletecollection;
 * garbage collection of dependents by ownerReferences.
 */
import assert from "node:assert/strict";
import type { Sim } from "../../../sim/sim.ts";
import { api, kubectl, kubectlOk, pod, startTestSim } from "./helpers.ts";

async function eventually(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

Deno.test("delete with finalizers: the object stays Terminating until the finalizer is removed", async () => {
  const sim = await startTestSim();
  try {
    sim.store.mutate("core/pods", "default", "web-1", (o) => {
      o.metadata.finalizers = ["example.com/keep"];
    });
    await kubectlOk(sim, ["delete", "pod", "web-1", "-n", "default", "--wait=false"]);
    const p = sim.store.get("core/pods", "default", "web-1")!;
    assert.ok(p.metadata.deletionTimestamp);
    assert.match(await kubectlOk(sim, ["get", "pod", "web-1", "-n", "default"]), /web-1\s+0\/1\s+Terminating/);
    await kubectlOk(sim, [
      "patch",
      "pod",
      "web-1",
      "-n",
      "default",
      "--type=json",
      "-p",
      '[{"op":"remove","path":"/metadata/finalizers"}]',
    ]);
    assert.equal(sim.store.get("core/pods", "default", "web-1"), undefined);
    const gone = await kubectl(sim, ["get", "pod", "web-1", "-n", "default"]);
    assert.match(gone.stderr, /Error from server \(NotFound\): pods "web-1" not found/);
  } finally {
    await sim.stopAll();
  }
});

Deno.test("namespace deletion: Terminating, contents deleted, finalizers awaited, then gone", async () => {
  const sim = await startTestSim({ core: true });
  try {
    sim.store.create("core/namespaces", { metadata: { name: "doomed" } });
    sim.store.create("core/pods", pod("doomed", "a"));
    sim.store.create("core/pods", {
      ...pod("doomed", "held"),
      metadata: { name: "held", namespace: "doomed", finalizers: ["example.com/hold"] },
    });
    sim.store.create("core/configmaps", { metadata: { name: "c", namespace: "doomed" } });
    await kubectlOk(sim, ["delete", "namespace", "doomed", "--wait=false"]);
    assert.match(await kubectlOk(sim, ["get", "ns", "doomed"]), /doomed\s+Terminating/);
    await eventually(
      "contents deleted",
      () => !sim.store.get("core/pods", "doomed", "a") && !sim.store.get("core/configmaps", "doomed", "c"),
    );
    await eventually(
      "content-remaining condition",
      () =>
        (sim.store.get("core/namespaces", undefined, "doomed")?.status?.conditions ?? []).some((
          c: { type: string; status: string },
        ) => c.type === "NamespaceFinalizersRemaining" && c.status === "True"),
    );
    assert.ok(sim.store.get("core/namespaces", undefined, "doomed"));
    const create = await kubectl(sim, ["create", "configmap", "late", "-n", "doomed"]);
    assert.match(create.stderr, /unable to create new content in namespace doomed because it is being terminated/);
    sim.store.mutate("core/pods", "doomed", "held", (o) => {
      o.metadata.finalizers = [];
    });
    await eventually("namespace gone", () => !sim.store.get("core/namespaces", undefined, "doomed"));
  } finally {
    await sim.stopAll();
  }
});

Deno.test("deletecollection by label selector, and garbage collection of owned objects", async () => {
  const sim = await startTestSim({ core: true });
  try {
    const r = await api(sim, "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb", { method: "DELETE" });
    assert.equal(r.status, 200);
    assert.equal(r.body.kind, "PodList");
    assert.deepEqual(names(sim, "default"), ["db-1"]);
    const ds = sim.store.create("apps/daemonsets", { metadata: { name: "agent", namespace: "app" }, spec: {} });
    const owner = { apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: ds.metadata.uid, controller: true };
    for (const n of ["agent-x", "agent-y"]) {
      sim.store.create("core/pods", {
        ...pod("app", n),
        metadata: { name: n, namespace: "app", ownerReferences: [owner] },
      });
    }
    sim.store.create("core/pods", pod("app", "standalone"));
    await kubectlOk(sim, ["delete", "ds", "agent", "-n", "app"]);
    await eventually("dependents collected", () => names(sim, "app").join() === "standalone");
  } finally {
    await sim.stopAll();
  }
});

function names(sim: Sim, ns: string): string[] {
  return sim.store.all("core/pods", ns).map((p) => p.metadata.name).sort();
}

Deno.test("PUT namespaces/{name}/finalize with no finalizers lets a Terminating namespace go", async () => {
  const sim = await startTestSim(); // no namespace controller: the finalizer stays until the client removes it
  try {
    sim.store.create("core/namespaces", { metadata: { name: "stuck" } });
    await kubectlOk(sim, ["delete", "namespace", "stuck", "--wait=false"]);
    const ns = structuredClone(sim.store.get("core/namespaces", undefined, "stuck")!);
    assert.deepEqual(ns.spec.finalizers, ["kubernetes"]);
    ns.spec.finalizers = [];
    const r = await api(sim, "/api/v1/namespaces/stuck/finalize", {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(ns),
    });
    assert.equal(r.status, 200);
    assert.equal(sim.store.get("core/namespaces", undefined, "stuck"), undefined);
  } finally {
    await sim.stopAll();
  }
});
