/**
 * Reboots through the machine-config-daemon exec (procedures.md §5 step 12, §8 step 7:
 * `oc rsh <mcd pod> chroot /rootfs shutdown -r +1`), faults.mcdExecFailures, and `rebootNode`.
 */
import assert from "node:assert/strict";
import { rebootNode } from "../../../sim/controllers/node/index.ts";
import type { Obj } from "../../../sim/store.ts";
import type { SimContext } from "../../../sim/types.ts";
import { NODES, PODS, simSleep, startSim, until } from "../mco/fixture.ts";

function mcdPod(ctx: SimContext, node: string): Obj {
  return ctx.store.all(PODS, "openshift-machine-config-operator")
    .find((p) => p.metadata.name.startsWith("machine-config-daemon-") && p.spec.nodeName === node)!;
}

function exec(ctx: SimContext, pod: Obj, command: string[]) {
  return ctx.exec.run({
    namespace: pod.metadata.namespace,
    pod,
    container: "machine-config-daemon",
    command,
    stdin: new Uint8Array(),
    tty: false,
    user: "kube:admin",
  });
}

const ready = (ctx: SimContext, node: string) =>
  ctx.store.mustGet(NODES, undefined, node).status.conditions.find((c: Obj) => c.type === "Ready");
const boot = (ctx: SimContext, node: string) => ctx.store.mustGet(NODES, undefined, node).status.nodeInfo.bootID;

Deno.test("§5 step 12: MCD exec `chroot /rootfs shutdown -r +1` schedules a real reboot (NotReady, then Ready with a new bootID)", async () => {
  const sim = startSim({}, { timeScale: 1000 });
  try {
    const { ctx } = sim;
    const before = boot(ctx, "worker-1");
    const res = await exec(ctx, mcdPod(ctx, "worker-1"), ["chroot", "/rootfs", "shutdown", "-r", "+1"]);
    assert.equal(res.exitCode, 0);
    assert.match(
      res.stderr ?? "",
      /^Shutdown scheduled for \w{3} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, use 'shutdown -c' to cancel\.\n$/,
    );
    assert.equal(ready(ctx, "worker-1").status, "True", "nothing happens before the minute is up");
    await until(ctx, () => ready(ctx, "worker-1").status !== "True", "worker-1 down");
    await until(ctx, () => ready(ctx, "worker-1").status === "True", "worker-1 back");
    assert.notEqual(boot(ctx, "worker-1"), before);
    assert.equal(ready(ctx, "worker-1").reason, "KubeletReady");
    assert.equal(ready(ctx, "worker-1").message, "kubelet is posting ready status");
    assert.equal(ready(ctx, "worker-2").status, "True", "other nodes untouched");

    const now = await exec(ctx, mcdPod(ctx, "worker-2"), ["chroot", "/rootfs", "systemctl", "reboot"]);
    assert.equal(now.exitCode, 0);
    const b2 = boot(ctx, "worker-2");
    await until(
      ctx,
      () => boot(ctx, "worker-2") !== b2 && ready(ctx, "worker-2").status === "True",
      "worker-2 rebooted",
    );

    const other = await exec(ctx, mcdPod(ctx, "worker-0"), ["chroot", "/rootfs", "cat", "/etc/os-release"]);
    assert.equal(other.exitCode, 127, "other commands are left to other handlers");
  } finally {
    sim.stop();
  }
});

Deno.test("faults.mcdExecFailures: the first N MCD execs per node fail with exit 1, then the reboot works", async () => {
  const sim = startSim({ faults: { mcdExecFailures: 2 } }, { timeScale: 1000 });
  try {
    const { ctx } = sim;
    const cmd = ["chroot", "/rootfs", "shutdown", "-r", "now"];
    for (let i = 0; i < 2; i++) {
      const r = await exec(ctx, mcdPod(ctx, "worker-0"), cmd);
      assert.equal(r.exitCode, 1);
      assert.match(r.stderr ?? "", /Failed to connect to bus/);
    }
    const before = boot(ctx, "worker-0");
    assert.equal((await exec(ctx, mcdPod(ctx, "worker-0"), cmd)).exitCode, 0);
    assert.equal((await exec(ctx, mcdPod(ctx, "worker-1"), cmd)).exitCode, 1, "counted per node");
    await until(ctx, () => boot(ctx, "worker-0") !== before && ready(ctx, "worker-0").status === "True", "rebooted");
  } finally {
    sim.stop();
  }
});

Deno.test("rebootNode: pods go not ready while the node is down and run again after; delaySeconds honoured", async () => {
  const sim = startSim({}, { timeScale: 1000 });
  try {
    const { ctx } = sim;
    const podsOn = () => ctx.store.all(PODS).filter((p) => p.spec.nodeName === "worker-0");
    const isReady = (p: Obj) => p.status.conditions.some((c: Obj) => c.type === "Ready" && c.status === "True");
    assert.ok(podsOn().length > 0 && podsOn().every(isReady));
    const before = boot(ctx, "worker-0");
    rebootNode(ctx, "worker-0", { delaySeconds: 10 });
    assert.equal(ready(ctx, "worker-0").status, "True");
    await until(ctx, () => ready(ctx, "worker-0").status === "Unknown", "down");
    await until(ctx, () => podsOn().every((p) => !isReady(p)), "pods not ready");
    await until(ctx, () => ready(ctx, "worker-0").status === "True", "up");
    await until(ctx, () => podsOn().every(isReady), "pods ready again");
    assert.notEqual(boot(ctx, "worker-0"), before);
    assert.ok(podsOn().some((p) => p.status.containerStatuses[0].restartCount >= 1), "containers restarted");
  } finally {
    sim.stop();
  }
});

Deno.test("MCD exec `shutdown -c` cancels a scheduled reboot; a reboot records the kubelet's Rebooted event", async () => {
  const sim = startSim({}, { timeScale: 1000 });
  try {
    const { ctx } = sim;
    const before = boot(ctx, "worker-0");
    assert.equal((await exec(ctx, mcdPod(ctx, "worker-0"), ["chroot", "/rootfs", "shutdown", "-r", "+2"])).exitCode, 0);
    assert.equal((await exec(ctx, mcdPod(ctx, "worker-0"), ["chroot", "/rootfs", "shutdown", "-c"])).exitCode, 0);
    assert.equal((await exec(ctx, mcdPod(ctx, "worker-1"), ["chroot", "/rootfs", "shutdown", "-r", "+1"])).exitCode, 0);
    const b1 = boot(ctx, "worker-1");
    await until(
      ctx,
      () => boot(ctx, "worker-1") !== b1 && ready(ctx, "worker-1").status === "True",
      "worker-1 rebooted",
    );
    await simSleep(ctx, 90); // past the cancelled +2 minutes
    assert.equal(boot(ctx, "worker-0"), before, "cancelled reboot never happened");
    assert.equal(ready(ctx, "worker-0").status, "True");
    const ev = ctx.store.all("core/events", "default").find((e) => e.reason === "Rebooted");
    assert.equal(ev?.involvedObject.name, "worker-1");
    assert.equal(ev?.message, `Node worker-1 has been rebooted, boot id: ${boot(ctx, "worker-1")}`);
  } finally {
    sim.stop();
  }
});
