/** Cluster operators, ClusterVersion and the status manager's Degraded paths (cluster-behaviour.md §1.4, §4.3, §5). */
import assert from "node:assert/strict";
import { newSimContext } from "../../../sim/context.ts";
import { cnoControllers } from "../../../sim/controllers/cno/index.ts";
import { ScenarioSpec } from "../../../sim/scenario/schema.ts";
import { condition, coNetwork, K, newFixture, waitFor } from "./fixture.ts";

Deno.test("§1.4 a DaemonSet rollout that stops changing makes CO network Degraded RolloutHung", async () => {
  const f = newFixture();
  try {
    const { store } = f.ctx;
    await waitFor("steady", () => coNetwork(f.ctx, "Progressing")?.status === "False");
    const ds = store.mustGet(K.daemonSet, "openshift-sdn", "sdn");
    store.update(K.daemonSet, {
      ...ds,
      status: { ...ds.status, numberAvailable: 5, numberReady: 5, numberUnavailable: 1 },
    }, {
      subresource: "status",
    });
    const p = await waitFor(
      "progressing",
      () => coNetwork(f.ctx, "Progressing")?.status === "True" && coNetwork(f.ctx, "Progressing"),
    );
    assert.equal(p.reason, "Deploying");
    assert.equal(p.message, `DaemonSet "/openshift-sdn/sdn" is not available (awaiting 1 nodes)`);
    const d = await waitFor(
      "hung",
      () => coNetwork(f.ctx, "Degraded")?.status === "True" && coNetwork(f.ctx, "Degraded"),
    );
    assert.equal(d.reason, "RolloutHung");
    assert.match(d.message!, /^DaemonSet "\/openshift-sdn\/sdn" rollout is not making progress - last change \d{4}-/);
  } finally {
    f.stop();
  }
});

Deno.test("§4.3 machine-config CO follows the pools; other operators are healthy with versions", async () => {
  const f = newFixture();
  try {
    const { store } = f.ctx;
    const mc = () => store.mustGet(K.clusterOperator, undefined, "machine-config");
    await waitFor("machine-config status", () => condition(mc(), "Available")?.status === "True");
    const dns = store.mustGet(K.clusterOperator, undefined, "dns");
    assert.equal(condition(dns, "Degraded")?.status, "False");
    assert.deepEqual(dns.status.versions, [{ name: "operator", version: "4.16.20" }]);
    f.mco.degrade("master", true);
    const d = await waitFor(
      "degraded",
      () => condition(mc(), "Degraded")?.status === "True" && condition(mc(), "Degraded"),
    );
    assert.equal(d.reason, "RequiredPoolsFailed");
    assert.equal(condition(mc(), "Upgradeable")?.reason, "DegradedPool");
  } finally {
    f.stop();
  }
});

Deno.test("ClusterVersion reports an upgrade in progress and aggregates Upgradeable", async () => {
  const f = newFixture({ upgradingTo: "4.16.21" });
  try {
    const cv = await waitFor(
      "cv",
      () =>
        f.ctx.store.get(K.clusterVersion, undefined, "version")?.status &&
        f.ctx.store.get(K.clusterVersion, undefined, "version"),
    );
    assert.equal(cv.status.desired.version, "4.16.21");
    assert.equal(cv.status.history[0].state, "Partial");
    assert.equal(cv.status.history[1].state, "Completed");
    assert.equal(condition(cv, "Progressing")?.status, "True");
    assert.match(condition(cv, "Progressing")!.message!, /^Working towards 4\.16\.21/);
    assert.equal(condition(cv, "Available")?.message, "Done applying 4.16.20");
  } finally {
    f.stop();
  }
});

Deno.test("§4.3 CO network Upgradeable is True on 4.15 even with SDN", async () => {
  const f = newFixture({ version: "4.15.31" });
  try {
    await waitFor("co", () => coNetwork(f.ctx, "Upgradeable"));
    assert.equal(coNetwork(f.ctx, "Upgradeable")?.status, "True");
  } finally {
    f.stop();
  }
});

Deno.test("a plain Kubernetes cluster (no OpenShift API groups) starts the controllers without errors", () => {
  const ctx = newSimContext(ScenarioSpec.parse({ name: "plain", openshift: false }), { timeScale: 1000 });
  const logs: string[] = [];
  ctx.log = (_c, m) => logs.push(m);
  const cs = cnoControllers();
  for (const c of cs) c.start(ctx);
  for (const c of cs) c.stop();
  ctx.clock.stop();
  assert.deepEqual(logs, []);
});

Deno.test("a master that is not Ready makes dns Progressing and the control-plane operators Degraded until it returns", async () => {
  const f = newFixture();
  try {
    const { store } = f.ctx;
    const co = (name: string, type: string) => condition(store.mustGet(K.clusterOperator, undefined, name), type);
    await waitFor("healthy", () => co("kube-apiserver", "Degraded")?.status === "False");
    const setReady = (status: string) =>
      store.mutate(K.node, undefined, "master-1", (o) => {
        o.status.conditions = [{
          type: "Ready",
          status,
          reason: status === "True" ? "KubeletReady" : "NodeStatusUnknown",
        }];
      }, { subresource: "status" });
    setReady("Unknown");
    const d = await waitFor(
      "degraded",
      () => co("kube-apiserver", "Degraded")?.status === "True" && co("kube-apiserver", "Degraded"),
    );
    assert.match(d.message!, /^NodeControllerDegraded: The master nodes not ready: node "master-1" not ready since /);
    assert.equal(co("dns", "Progressing")?.message, `DNS "default" is progressing: Have 5 available DNS pods, want 6.`);
    setReady("True");
    await waitFor(
      "healthy again",
      () => co("kube-apiserver", "Degraded")?.status === "False" && co("dns", "Progressing")?.status === "False",
    );
  } finally {
    f.stop();
  }
});
