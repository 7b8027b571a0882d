/**
 * @kubernetes/client-node 2.x against the simulator (what the product uses): typed list and merge patch,
 * a custom resource 404, Watch (ADDED then MODIFIED), and Exec over WebSocket with its status.
 */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import * as k8s from "@kubernetes/client-node";
import { startTestSim } from "./helpers.ts";

Deno.test("client-node: list, patch, 404, watch and exec", async () => {
  const sim = await startTestSim();
  try {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(sim.kubeconfigPath);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: "default", labelSelector: "app=web" });
    assert.deepEqual(pods.items.map((p) => p.metadata?.name), ["web-1", "web-2"]);
    const patched = await core.patchNamespacedPod(
      { namespace: "default", name: "web-1", body: { metadata: { labels: { c: "d" } } } },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch),
    );
    assert.deepEqual(patched.metadata?.labels, { app: "web", c: "d" });
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    await assert.rejects(
      custom.getClusterCustomObject({
        group: "config.openshift.io",
        version: "v1",
        plural: "networks",
        name: "cluster",
      }),
      (e: { code?: number }) => e.code === 404,
    );

    const events: string[] = [];
    const watch = new k8s.Watch(kc);
    let sawModified: () => void = () => {};
    const modified = new Promise<void>((r) => (sawModified = r));
    const req = await watch.watch(
      "/api/v1/namespaces/default/pods",
      { allowWatchBookmarks: true, labelSelector: "app=db" },
      (type, obj) => {
        events.push(`${type} ${obj.metadata?.name}`);
        if (type === "MODIFIED") sawModified();
      },
      () => {},
    );
    sim.store.mutate("core/pods", "default", "db-1", (o) => {
      o.metadata.labels.touched = "1";
    });
    await modified;
    req.abort();
    assert.deepEqual(events.filter((e) => !e.startsWith("BOOKMARK")), ["ADDED db-1", "MODIFIED db-1"]);

    sim.ctx.exec.register((r) => ({ stdout: `ran ${r.command.join(" ")}\n`, exitCode: 0 }));
    let out = "";
    let status = "";
    let finished: () => void = () => {};
    const done = new Promise<void>((r) => (finished = r));
    await new k8s.Exec(kc).exec(
      "default",
      "web-2",
      "main",
      ["echo", "x"],
      new Writable({
        write(chunk, _enc, cb) {
          out += chunk;
          cb();
        },
      }),
      null,
      null,
      false,
      (s) => {
        status = s.status ?? "";
        finished();
      },
    );
    await done;
    assert.equal(status, "Success");
    assert.equal(out, "ran echo x\n");
  } finally {
    await sim.stopAll();
  }
});
