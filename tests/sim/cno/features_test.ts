/** Feature migration during the offline flip (cluster-behaviour.md §1.4). */
import assert from "node:assert/strict";
import type { Obj } from "../../../sim/store.ts";
import type { SimContext } from "../../../sim/types.ts";
import { K, networkConfig, newFixture, waitFor } from "./fixture.ts";

const objects: [string, Obj][] = [
  [K.namespace, { metadata: { name: "shop" } }],
  [K.namespace, { metadata: { name: "stream" } }],
  [K.egressNetworkPolicy, {
    metadata: { name: "default", namespace: "shop" },
    spec: {
      egress: [{ type: "Allow", to: { cidrSelector: "1.2.3.0/24" } }, {
        type: "Deny",
        to: { cidrSelector: "0.0.0.0/0" },
      }],
    },
  }],
  [K.netNamespace, { metadata: { name: "shop" }, netname: "shop", netid: 100, egressIPs: ["10.0.0.200"] }],
  [K.netNamespace, {
    metadata: { name: "stream", annotations: { "netnamespace.network.openshift.io/multicast-enabled": "true" } },
    netname: "stream",
    netid: 101,
  }],
  [K.hostSubnet, {
    metadata: { name: "worker-0" },
    host: "worker-0",
    hostIP: "10.0.0.20",
    subnet: "10.128.2.0/23",
    egressCIDRs: ["10.0.0.192/27"],
  }],
];

async function offlineMigrate(ctx: SimContext, features?: Obj): Promise<void> {
  ctx.store.mutate(K.networkOperator, undefined, "cluster", (o) => {
    o.spec.migration = { networkType: "OVNKubernetes", ...(features ? { features } : {}) };
  });
  await waitFor("prepared", () => networkConfig(ctx).status.migration);
  ctx.store.mutate(K.networkConfig, undefined, "cluster", (o) => {
    o.spec.networkType = "OVNKubernetes";
  });
  await waitFor("flipped", () => networkConfig(ctx).status.networkType === "OVNKubernetes");
}

Deno.test("§1.4 feature migration converts egress firewall, multicast and egress IPs to OVN", async () => {
  const f = newFixture({}, { objects });
  try {
    const { store } = f.ctx;
    await offlineMigrate(f.ctx);
    const ef = await waitFor("EgressFirewall", () => store.get(K.egressFirewall, "shop", "default"));
    assert.deepEqual(ef.spec, objects[2][1].spec);
    await waitFor(
      "multicast",
      () =>
        store.get(K.namespace, undefined, "stream")!.metadata.annotations?.["k8s.ovn.org/multicast-enabled"] === "true",
    );
    const eip = await waitFor("EgressIP", () => store.get(K.egressIP, undefined, "egressip-shop"));
    assert.deepEqual(eip.spec, {
      egressIPs: ["10.0.0.200"],
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "shop" } },
    });
    const node = store.get(K.node, undefined, "worker-0")!;
    assert.equal(node.metadata.labels["k8s.ovn.org/egress-assignable"], "");
    assert.deepEqual(JSON.parse(node.metadata.annotations["networkoperator.openshift.io/sdn-to-ovn-migration"]), {
      EgressCIDRs: ["10.0.0.192/27"],
    });
    assert.equal(store.get(K.hostSubnet, undefined, "worker-0")!.egressCIDRs, undefined);
    assert.equal(store.get(K.netNamespace, undefined, "shop")!.egressIPs, undefined);
  } finally {
    f.stop();
  }
});

Deno.test("§1.4 features set to false are not converted", async () => {
  const f = newFixture({}, { objects });
  try {
    const { store } = f.ctx;
    await offlineMigrate(f.ctx, { egressIP: false, egressFirewall: false, multicast: false });
    await f.ctx.clock.sleep(30_000);
    assert.equal(store.get(K.egressFirewall, "shop", "default"), undefined);
    assert.equal(store.get(K.egressIP, undefined, "egressip-shop"), undefined);
    assert.equal(
      store.get(K.namespace, undefined, "stream")!.metadata.annotations?.["k8s.ovn.org/multicast-enabled"],
      undefined,
    );
  } finally {
    f.stop();
  }
});
