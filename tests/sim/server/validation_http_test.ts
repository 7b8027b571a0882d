/**
 * CRD validation through the API (kube-apiserver answers 422 Invalid with the field in the causes and
 * stores nothing): the operator Network CRD's `spec.migration` rule and its mode enum
 * (cluster-behaviour.md §1.2), a type error on a MachineConfigPool, seen through kubectl and fetch.
 */
import assert from "node:assert/strict";
import { api, kubectl, startTestSim } from "./helpers.ts";

const NETOP = "operator.openshift.io/networks";

Deno.test("422 for the spec.migration rule and the mode enum; nothing stored", async () => {
  const sim = await startTestSim();
  try {
    sim.store.create(NETOP, { metadata: { name: "cluster" }, spec: { defaultNetwork: { type: "OpenShiftSDN" } } });
    const rv = sim.store.get(NETOP, undefined, "cluster")!.metadata.resourceVersion;
    const bad = await kubectl(sim, [
      "patch",
      "network.operator.openshift.io",
      "cluster",
      "--type=merge",
      "-p",
      '{"spec":{"migration":{"networkType":"OVNKubernetes","mtu":{"network":{"from":1450,"to":1400},"machine":{"to":1500}}}}}',
    ]);
    assert.notEqual(bad.code, 0);
    assert.match(
      bad.stderr,
      /The Network "cluster" is invalid: spec\.migration: Invalid value: "object": networkType migration in mode other than 'Live' may not be configured at the same time as mtu migration/,
    );
    assert.equal(sim.store.get(NETOP, undefined, "cluster")!.metadata.resourceVersion, rv);

    const live = await kubectl(sim, [
      "patch",
      "network.operator.openshift.io",
      "cluster",
      "--type=merge",
      "-p",
      '{"spec":{"migration":{"networkType":"OVNKubernetes","mode":"Live","mtu":{"network":{"from":1450,"to":1400},"machine":{"to":1500}}}}}',
    ]);
    assert.equal(live.code, 0, live.stderr);

    const r = await api(sim, "/apis/operator.openshift.io/v1/networks/cluster", {
      method: "PATCH",
      headers: { "Content-Type": "application/merge-patch+json" },
      body: '{"spec":{"migration":{"mode":"Sideways","mtu":null}}}',
    });
    assert.equal(r.status, 422);
    assert.equal(r.body.reason, "Invalid");
    assert.deepEqual(r.body.details.causes, [{
      reason: "FieldValueNotSupported",
      message: 'Unsupported value: "Sideways": supported values: "Live", "Offline", ""',
      field: "spec.migration.mode",
    }]);
  } finally {
    await sim.stopAll();
  }
});

Deno.test("422 for a wrong type on create, with the field path", async () => {
  const sim = await startTestSim();
  try {
    const r = await kubectl(sim, ["create", "-f", "-"], {
      stdin: JSON.stringify({
        apiVersion: "machineconfiguration.openshift.io/v1",
        kind: "MachineConfigPool",
        metadata: { name: "infra" },
        spec: { paused: "yes" },
      }),
    });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /spec\.paused: Invalid value: "string": spec\.paused in body must be of type boolean: "string"/,
    );
    assert.equal(sim.store.get("machineconfiguration.openshift.io/machineconfigpools", undefined, "infra"), undefined);
  } finally {
    await sim.stopAll();
  }
});

Deno.test("unknown fields of a custom resource: Strict rejects, Warn prunes with a Warning header", async () => {
  const sim = await startTestSim();
  try {
    const mcp = {
      apiVersion: "machineconfiguration.openshift.io/v1",
      kind: "MachineConfigPool",
      metadata: { name: "infra" },
      spec: { paused: false, pasued: true },
    };
    const strict = await kubectl(sim, ["create", "-f", "-"], { stdin: JSON.stringify(mcp) });
    assert.notEqual(strict.code, 0);
    assert.match(strict.stderr, /strict decoding error: unknown field "spec\.pasued"/);
    const warned = await kubectl(sim, ["create", "--validate=warn", "-f", "-"], { stdin: JSON.stringify(mcp) });
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stderr, /Warning: unknown field "spec\.pasued"/);
    const stored = sim.store.get("machineconfiguration.openshift.io/machineconfigpools", undefined, "infra")!;
    assert.deepEqual(stored.spec, { paused: false });
  } finally {
    await sim.stopAll();
  }
});
