/** Scenario loading: built-in names, file paths, and errors that name the file and the field. */
import assert from "node:assert/strict";
import { listScenarios, loadScenario } from "../../../sim/scenario/load.ts";

const REQUIRED = [
  "sdn-small",
  "sdn-multitenant",
  "sdn-egress-router",
  "sdn-cidr-overlap",
  "sdn-paused-pool",
  "sdn-degraded-pool",
  "sdn-unmanaged-ds",
  "sdn-no-mtu-configmap",
  "sdn-large",
  "hypershift",
  "ovn-after-offline",
  "ovn-after-live",
  "ocp-4.14-sdn",
  "not-openshift",
  "sdn-egress-ip",
  "sdn-nncp-primary",
  "sdn-pdb-webhook",
  "sdn-upgrading",
  "sdn-restricted-user",
  "sdn-managed",
  "kuryr-4.14",
];

async function withFile(text: string, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/scenario.yaml`;
    await Deno.writeTextFile(path, text);
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("listScenarios lists every required built-in scenario", async () => {
  const names = await listScenarios();
  for (const n of REQUIRED) assert.ok(names.includes(n), `missing built-in scenario ${n}`);
  assert.deepEqual(names, [...names].sort());
});

Deno.test("every built-in scenario loads, is named after its file and has a description", async () => {
  for (const n of await listScenarios()) {
    const spec = await loadScenario(n);
    assert.equal(spec.name, n);
    assert.ok(spec.description.length > 20, `${n} has no description`);
  }
});

Deno.test("defaults fill nested blocks a scenario leaves out (network, faults, timings, generate)", async () => {
  const spec = await loadScenario("ocp-4.14-sdn");
  assert.equal(spec.version, "4.14.38");
  assert.equal(spec.network.type, "OpenShiftSDN");
  assert.deepEqual(spec.network.serviceNetwork, ["172.30.0.0/16"]);
  assert.equal(spec.network.hardwareMTU, 1500);
  assert.equal(spec.faults.prometheusMissing, false);
  assert.equal(spec.timings.rebootSeconds, 60);
  assert.equal(spec.generate.namespaces, 0);
});

Deno.test("a scenario file is loaded by path", async () => {
  await withFile("name: mine\nversion: 4.15.33\npools: [{name: worker, nodes: 2}]\n", async (path) => {
    const spec = await loadScenario(path);
    assert.equal(spec.name, "mine");
    assert.equal(spec.version, "4.15.33");
    assert.equal(spec.pools.length, 1);
  });
});

Deno.test("a bad field is reported with the file and the field path", async () => {
  await withFile(
    "name: bad\nnetwork:\n  sdnMode: Isolated\npools:\n  - {name: worker, nodes: -1}\n",
    async (path) => {
      await assert.rejects(() => loadScenario(path), (e: Error) => {
        assert.match(e.message, new RegExp(`invalid scenario ${path.replaceAll(".", "\\.")}`));
        assert.match(e.message, /network\.sdnMode: /);
        assert.match(e.message, /pools\[0\]\.nodes: /);
        assert.doesNotMatch(e.message, /\n\s+at /); // no stack trace
        return true;
      });
    },
  );
});

Deno.test("a bad CIDR names the field and the expected form", async () => {
  await withFile("name: bad\nnetwork:\n  serviceNetwork: [172.30.0.0]\n", async (path) => {
    await assert.rejects(() => loadScenario(path), /network\.serviceNetwork\[0\]: must be a CIDR/);
  });
});

Deno.test("a missing name, invalid YAML, a non-mapping and semantic mistakes are clear errors", async () => {
  await withFile("version: 4.16.1\n", async (path) => {
    await assert.rejects(() => loadScenario(path), /name: /);
  });
  await withFile("name: [unclosed\n", async (path) => {
    await assert.rejects(() => loadScenario(path), /invalid YAML in scenario .*scenario\.yaml/);
  });
  await withFile("- just\n- a list\n", async (path) => {
    await assert.rejects(() => loadScenario(path), /must hold one YAML mapping/);
  });
  await withFile("name: x\npools: [{name: worker, nodes: 1}, {name: worker, nodes: 2}]\n", async (path) => {
    await assert.rejects(() => loadScenario(path), /pools\[1\]\.name: duplicate pool "worker"/);
  });
  await withFile("name: x\npools: [{name: worker, nodes: 2, nodeNames: [a]}]\n", async (path) => {
    await assert.rejects(() => loadScenario(path), /pools\[0\]\.nodeNames: has 1 names for 2 nodes/);
  });
  await withFile("name: x\nobjects: [{kind: Pod, metadata: {name: p}}]\n", async (path) => {
    await assert.rejects(() => loadScenario(path), /objects\[0\]: needs apiVersion and kind/);
  });
  await withFile("name: x\nmigratedFrom: {method: offline}\n", async (path) => {
    await assert.rejects(() => loadScenario(path), /network\.type: a cluster migrated from OpenShiftSDN/);
  });
});

Deno.test("an unknown built-in name lists the built-in scenarios; a missing file says so", async () => {
  await assert.rejects(
    () => loadScenario("no-such-scenario"),
    /unknown scenario "no-such-scenario" \(built-in: .*sdn-small/,
  );
  await assert.rejects(
    () => loadScenario("/nonexistent/dir/x.yaml"),
    /scenario file \/nonexistent\/dir\/x\.yaml not found/,
  );
});
