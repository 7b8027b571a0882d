/**
 * CRD schema validation with kube-apiserver's messages (types, enums, required, nullable) and the
 * hand-written x-kubernetes-validations rule on network.operator `spec.migration` (cluster-behaviour.md §1.2:
 * "networkType migration in mode other than 'Live' may not be configured at the same time as mtu migration").
 */
import assert from "node:assert/strict";
import { loadCrds } from "../../../sim/resources.ts";
import { crdValidator, namedRules, networkMigrationModeRule } from "../../../sim/schema_validation.ts";

function validatorFor(group: string, resource: string) {
  const c = loadCrds().find((c) => c.def.group === group && c.def.resource === resource);
  assert.ok(c?.schema, `${group}/${resource} has a schema`);
  return crdValidator(c.schema, namedRules[`${group}/${resource}`]);
}

Deno.test("spec.migration rule: mtu migration needs mode Live when a networkType is set", () => {
  const v = validatorFor("operator.openshift.io", "networks");
  const mtu = { network: { from: 1450, to: 1400 }, machine: { to: 1500 } };
  assert.deepEqual(v({ spec: { migration: { networkType: "OVNKubernetes", mtu } } }, undefined), [
    `spec.migration: Invalid value: "object": networkType migration in mode other than 'Live' may not be configured at the same time as mtu migration`,
  ]);
  assert.deepEqual(
    v({ spec: { migration: { networkType: "OVNKubernetes", mtu, mode: "Offline" } } }, undefined).length,
    1,
  );
  assert.deepEqual(v({ spec: { migration: { networkType: "OVNKubernetes", mtu, mode: "Live" } } }, undefined), []);
  assert.deepEqual(v({ spec: { migration: { mtu } } }, undefined), []);
  assert.deepEqual(v({ spec: { migration: { networkType: "", mtu } } }, undefined), []);
  assert.equal(networkMigrationModeRule.path, "spec.migration");
});

Deno.test("schema: enum, type, required and nullable errors read like kube-apiserver's", () => {
  const v = validatorFor("operator.openshift.io", "networks");
  assert.deepEqual(v({ spec: { migration: { mode: "Sideways" } } }, undefined), [
    'spec.migration.mode: Unsupported value: "Sideways": supported values: "Live", "Offline", ""',
  ]);
  assert.deepEqual(v({ spec: { defaultNetwork: { ovnKubernetesConfig: { mtu: "big" } } } }, undefined), [
    'spec.defaultNetwork.ovnKubernetesConfig.mtu: Invalid value: "string": spec.defaultNetwork.ovnKubernetesConfig.mtu in body must be of type integer: "string"',
  ]);
  const cfg = validatorFor("config.openshift.io", "networks");
  assert.deepEqual(cfg({ spec: { clusterNetwork: [{ hostPrefix: 23 }] } }, undefined), []);
  // observedConfig is nullable and preserves unknown fields.
  assert.deepEqual(
    v({ spec: { observedConfig: null, unsupportedConfigOverrides: { any: { thing: 1 } } } }, undefined),
    [],
  );
  const mcp = validatorFor("machineconfiguration.openshift.io", "machineconfigpools");
  assert.match(
    mcp({ spec: { paused: "yes" } }, undefined)[0],
    /^spec\.paused: Invalid value: "string": .* must be of type boolean/,
  );
});
