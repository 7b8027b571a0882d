/** sdn-large: the bulk generators give the advertised size (2,000 nodes, 5,000 namespaces, 100,000 pods). */
import assert from "node:assert/strict";
import type { Obj } from "../../../sim/store.ts";
import { built, K } from "./_helpers.ts";

Deno.test("sdn-large builds 2,000 nodes, 5,000 projects, 100,000 application pods", async () => {
  const ctx = await built("sdn-large");
  const nodes = ctx.store.all(K.node);
  assert.equal(nodes.length, 2000);
  assert.equal(nodes.filter((n) => "node-role.kubernetes.io/master" in n.metadata.labels).length, 3);
  const projects = ctx.store.all(K.namespace).filter((n) => n.metadata.name.startsWith("project-"));
  assert.equal(projects.length, 5000);
  const pods = ctx.store.all(K.pod);
  assert.equal(pods.filter((p) => p.metadata.namespace.startsWith("project-")).length, 100_000);
  assert.equal(ctx.store.all(K.hostSubnet).length, 2000);
  assert.equal(new Set(ctx.store.all(K.hostSubnet).map((h: Obj) => h.subnet)).size, 2000);
  assert.equal(ctx.store.all(K.netNamespace).length, ctx.store.all(K.namespace).length);
  assert.equal(ctx.store.all(K.egressNetworkPolicy).length, 500);
  const multicast = ctx.store.all(K.netNamespace).filter((n) =>
    n.metadata.annotations?.["netnamespace.network.openshift.io/multicast-enabled"] === "true"
  );
  assert.equal(multicast.length, 200);
  // Pods are spread over the workers, not the masters.
  const perNode = new Map<string, number>();
  for (const p of pods) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  assert.ok(![...perNode.keys()].some((n) => n.startsWith("master-")));
  assert.ok(Math.max(...perNode.values()) <= 52);
});
