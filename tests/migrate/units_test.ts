/** Pure pieces of the migration steps, on literal objects shaped like the cluster's. */
import assert from "node:assert/strict";
import type { KubeObject } from "../../lib/kube/types.ts";
import { podError } from "../../lib/migrate/offline.ts";
import { poolSettled, renderedRunsPlugin } from "../../lib/openshift/pools.ts";
import { rebootBatches } from "../../lib/migrate/reboot.ts";
import { primaryNicNncps } from "../../lib/migrate/nncp.ts";

const node = (name: string, role: string): KubeObject => ({
  metadata: { name, labels: { [`node-role.kubernetes.io/${role}`]: "" } },
});

Deno.test("reboot batches: workers by batch size, masters one at a time unless allowed", () => {
  const nodes = [
    node("m-0", "master"),
    node("w-0", "worker"),
    node("m-1", "master"),
    node("w-1", "worker"),
    node("w-2", "worker"),
  ];
  const names = (b: KubeObject[][]) => b.map((x) => x.map((n) => n.metadata.name));
  assert.deepEqual(names(rebootBatches(nodes, "all", false)), [["w-0", "w-1", "w-2"], ["m-0"], ["m-1"]]);
  assert.deepEqual(names(rebootBatches(nodes, 2, false)), [["w-0", "w-1"], ["w-2"], ["m-0"], ["m-1"]]);
  assert.deepEqual(names(rebootBatches(nodes, "all", true)), [["w-0", "w-1", "w-2"], ["m-0", "m-1"]]);
  assert.deepEqual(names(rebootBatches(nodes, 1, true)), [["w-0"], ["w-1"], ["w-2"], ["m-0"], ["m-1"]]);
});

Deno.test("a rendered MachineConfig runs the plugin when a unit calls configure-ovs.sh with it (cluster-behaviour §0)", () => {
  const mc = (type: string): KubeObject => ({
    metadata: { name: "rendered-worker-1" },
    spec: {
      config: {
        systemd: {
          units: [{
            name: "ovs-configuration.service",
            contents: `ExecStart=/usr/local/bin/configure-ovs.sh ${type}\n`,
          }],
        },
      },
    },
  });
  assert.equal(renderedRunsPlugin(mc("OVNKubernetes"), "OVNKubernetes"), true);
  assert.equal(renderedRunsPlugin(mc("OpenShiftSDN"), "OVNKubernetes"), false);
  assert.equal(renderedRunsPlugin(undefined, "OVNKubernetes"), false);
});

Deno.test("a pool is settled only when every machine runs the targeted configuration (cluster-behaviour §5)", () => {
  const pool = (status: Record<string, unknown>): KubeObject => ({
    metadata: { name: "worker" },
    spec: { configuration: { name: "rendered-worker-2" } },
    status: {
      configuration: { name: "rendered-worker-2" },
      machineCount: 3,
      updatedMachineCount: 3,
      readyMachineCount: 3,
      unavailableMachineCount: 0,
      conditions: [{ type: "Updated", status: "True" }],
      ...status,
    },
  });
  assert.equal(poolSettled(pool({})), true);
  assert.equal(poolSettled(pool({ updatedMachineCount: 2 })), false);
  assert.equal(poolSettled(pool({ configuration: { name: "rendered-worker-1" } })), false);
  assert.equal(poolSettled(pool({ conditions: [{ type: "Updated", status: "False" }] })), false);
});

Deno.test("pods in error after the flip: sandbox not created, crash-looping, failed; running pods are fine", () => {
  const pod = (status: Record<string, unknown>): KubeObject => ({ metadata: { name: "p", namespace: "n" }, status });
  assert.equal(podError(pod({ phase: "Running", containerStatuses: [{ state: { running: {} } }] })), undefined);
  assert.equal(
    podError(pod({
      phase: "Pending",
      conditions: [{ type: "PodReadyToStartContainers", status: "False", reason: "FailedCreatePodSandBox" }],
    })),
    "FailedCreatePodSandBox",
  );
  assert.equal(
    podError(pod({ phase: "Running", containerStatuses: [{ state: { waiting: { reason: "CrashLoopBackOff" } } }] })),
    "CrashLoopBackOff",
  );
  assert.equal(podError(pod({ phase: "Failed" })), "Failed");
  // Right after a reboot the sandbox is being created: False without a reason is not an error.
  assert.equal(
    podError(pod({ phase: "Pending", conditions: [{ type: "PodReadyToStartContainers", status: "False" }] })),
    undefined,
  );
  assert.equal(
    podError(pod({ phase: "Pending", containerStatuses: [{ state: { waiting: { reason: "ContainerCreating" } } }] })),
    undefined,
  );
});

Deno.test("NNCPs execute deletes are the ones preflight flags: br-ex, DHCP bond/ethernet, an address in the machine network", () => {
  const nncp = (interfaces: unknown[]): KubeObject => ({
    metadata: { name: "x" },
    spec: { desiredState: { interfaces } },
  });
  const primary = (o: KubeObject) => primaryNicNncps([o], ["10.0.0.0/16"]).length === 1;
  assert.equal(primary(nncp([{ name: "bond0", type: "bond", ipv4: { enabled: true, dhcp: true } }])), true);
  assert.equal(primary(nncp([{ name: "br-ex", type: "ovs-bridge" }])), true);
  assert.equal(
    primary(
      nncp([{
        name: "ens3",
        type: "ethernet",
        ipv4: { enabled: true, address: [{ ip: "10.0.1.5", "prefix-length": 16 }] },
      }]),
    ),
    true,
  );
  assert.equal(
    primary(nncp([{ name: "ens5.300", type: "vlan", ipv4: { enabled: true, address: [{ ip: "192.0.2.1" }] } }])),
    false,
  );
  assert.equal(primary(nncp([{ name: "ens4", type: "ethernet", ipv4: { enabled: false } }])), false);
});
