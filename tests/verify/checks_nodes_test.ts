import assert from "node:assert/strict";
import { nodes } from "../../lib/verify/checks/nodes.ts";
import { machineConfigPools } from "../../lib/verify/checks/machine_config_pools.ts";
import { nodeCount } from "../../lib/verify/checks/node_count.ts";
import { estimateMinutes, formatMinutes, maxUnavailableOf } from "../../lib/verify/estimate.ts";
import type { NodeFact } from "../../lib/verify/facts.ts";
import { healthyFacts, v, withFacts } from "./fixtures.ts";
import { evalCheck, worst } from "./helpers.ts";

Deno.test("nodes: NotReady and cordoned nodes fail with the node named", () => {
  assert.equal(worst(evalCheck(nodes, healthyFacts(), "live")), "pass");
  const notReady = withFacts((f) => Object.assign(v(f.nodes)[4], { ready: false, readyMessage: "kubelet stopped" }));
  const r = evalCheck(nodes, notReady, "live");
  assert.equal(worst(r), "fail");
  assert.match(r[0].message, /worker-1.*kubelet stopped/);
  assert.deepEqual(r[0].objects, [{ kind: "Node", name: "worker-1" }]);
  const cordoned = withFacts((f) => (v(f.nodes)[3].unschedulable = true));
  const rc = evalCheck(nodes, cordoned, "offline");
  assert.equal(worst(rc), "fail");
  assert.equal(rc[0].fix, "oc adm uncordon worker-0");
});

Deno.test("machine-config-pools: paused fails with the exact unpause patch", () => {
  assert.equal(worst(evalCheck(machineConfigPools, healthyFacts(), "live")), "pass");
  const paused = withFacts((f) => (v(f.machineConfigPools).items[1].paused = true));
  const r = evalCheck(machineConfigPools, paused, "live");
  assert.equal(worst(r), "fail");
  assert.equal(r[0].fix, `oc patch mcp/worker --type merge -p '{"spec":{"paused":false}}'`);
  assert.deepEqual(r[0].objects, [{ kind: "MachineConfigPool", name: "worker" }]);
});

Deno.test("machine-config-pools: degraded and not-updated pools fail", () => {
  const degraded = withFacts((f) => {
    const p = v(f.machineConfigPools).items[0];
    p.degradedMachineCount = 1;
    p.conditions.push({ type: "NodeDegraded", status: "True", message: `Node master-0 is reporting: "boom"` });
  });
  const r = evalCheck(machineConfigPools, degraded, "offline");
  assert.equal(worst(r), "fail");
  assert.match(r[0].message, /master is degraded \(1 of 3 nodes\): Node master-0 is reporting/);
  const updating = withFacts((f) => {
    const p = v(f.machineConfigPools).items[1];
    p.updatedMachineCount = 2;
    p.conditions = [{ type: "Updated", status: "False" }, { type: "Updating", status: "True" }];
  });
  assert.match(evalCheck(machineConfigPools, updating, "live")[0].message, /worker is not updated \(2 of 3/);
});

const manyNodes = (n: number) =>
  withFacts((f) => {
    const base = v(f.nodes)[3];
    f.nodes = {
      value: Array.from({ length: n }, (_, i): NodeFact => ({ ...base, name: `worker-${i}`, internalIPs: [] })),
    };
  });

Deno.test("node-count: exactly 150 passes, 151 warns about the support case", () => {
  assert.equal(worst(evalCheck(nodeCount, manyNodes(150), "offline")), "pass");
  const r = evalCheck(nodeCount, manyNodes(151), "offline");
  assert.equal(worst(r), "warn");
  assert.match(r[0].message, /151 nodes: more than 150 nodes.*support case/);
});

Deno.test("node-count: the estimate grows with pool size and doubles for live", () => {
  const r = evalCheck(nodeCount, healthyFacts(), "live");
  assert.match(r[0].message, /estimated live duration about 48 min/);
  const pools = v(healthyFacts().machineConfigPools).items;
  assert.equal(estimateMinutes(pools, "live"), 3 * 8 * 2);
  assert.equal(estimateMinutes(pools, "offline"), 3 * 8 + 16);
  assert.equal(maxUnavailableOf({ ...pools[1], machineCount: 100, maxUnavailable: "10%" }), 10);
  assert.equal(maxUnavailableOf({ ...pools[1], machineCount: 5, maxUnavailable: "10%" }), 1);
  assert.equal(maxUnavailableOf({ ...pools[1], maxUnavailable: undefined }), 1);
  assert.equal(formatMinutes(125), "2 h 5 min");
  const empty = pools.map((p) => ({ ...p, machineCount: 0 }));
  assert.equal(estimateMinutes(empty, "live", 6), 6 * 8 * 2, "no pool counts yet: every node, one at a time");
});
