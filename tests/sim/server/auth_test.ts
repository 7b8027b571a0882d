/**
 * Authentication and authorization at the HTTP layer, as kube-apiserver answers: 401 without credentials,
 * 403 metav1.Status with the exact "cannot <verb> resource" message, client-certificate users (CN/O),
 * impersonation, and `kubectl auth can-i` through SelfSubjectAccessReview / SelfSubjectRulesReview.
 */
import assert from "node:assert/strict";
import { ALICE_TOKEN, api, kubectl, kubectlOk, startTestSim } from "./helpers.ts";

Deno.test("401 without credentials and 403 with kube-apiserver's message", async () => {
  const sim = await startTestSim();
  try {
    const anon = await api(sim, "/api/v1/namespaces/default/pods", { token: null });
    assert.equal(anon.status, 401);
    assert.deepEqual(anon.body, {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Unauthorized",
      reason: "Unauthorized",
      code: 401,
    });
    const denied = await api(sim, "/api/v1/namespaces/kube-system/pods", { token: ALICE_TOKEN });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.reason, "Forbidden");
    assert.equal(
      denied.body.message,
      'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "kube-system"',
    );
    const named = await api(sim, "/apis/config.openshift.io/v1/networks/cluster", { token: ALICE_TOKEN });
    assert.equal(
      named.body.message,
      'networks.config.openshift.io "cluster" is forbidden: User "alice" cannot get resource "networks" in API group "config.openshift.io" at the cluster scope',
    );
    const r = await kubectl(sim, ["get", "nodes"], { context: "alice" });
    assert.match(
      r.stderr,
      /Error from server \(Forbidden\): nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope/,
    );
    assert.match(
      await kubectlOk(sim, ["get", "pods", "-n", "default", "-o", "name"], { context: "alice" }),
      /pod\/web-1/,
    );
  } finally {
    await sim.stopAll();
  }
});

Deno.test("client certificate user (system:admin, O=system:masters) and impersonation", async () => {
  const sim = await startTestSim();
  try {
    const who = JSON.parse(await kubectlOk(sim, ["auth", "whoami", "-o", "json"], { context: "system-admin" }));
    assert.equal(who.status.userInfo.username, "system:admin");
    assert.ok(who.status.userInfo.groups.includes("system:masters"));
    const as = await kubectl(sim, ["get", "nodes", "--as=alice"]);
    assert.match(as.stderr, /User "alice" cannot list resource "nodes"/);
    const notAllowed = await kubectl(sim, ["get", "pods", "-n", "default", "--as=kube:admin"], { context: "alice" });
    assert.match(
      notAllowed.stderr,
      /users "kube:admin" is forbidden: User "alice" cannot impersonate resource "users"/,
    );
  } finally {
    await sim.stopAll();
  }
});

Deno.test("kubectl auth can-i answers yes/no per the scenario's rules", async () => {
  const sim = await startTestSim();
  try {
    assert.equal((await kubectlOk(sim, ["auth", "can-i", "patch", "networks.operator.openshift.io"])).trim(), "yes");
    assert.equal(
      (await kubectlOk(sim, ["auth", "can-i", "list", "pods", "-n", "default"], { context: "alice" })).trim(),
      "yes",
    );
    const no = await kubectl(sim, ["auth", "can-i", "list", "pods", "-n", "kube-system"], { context: "alice" });
    assert.equal(no.stdout.trim(), "no");
    assert.equal(no.code, 1);
    const rules = await kubectlOk(sim, ["auth", "can-i", "--list", "-n", "default"], { context: "alice" });
    assert.match(rules, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
  } finally {
    await sim.stopAll();
  }
});

Deno.test("a refused write leaves the connection usable (kubectl create as a restricted user)", async () => {
  const sim = await startTestSim();
  try {
    const r = await kubectl(sim, ["create", "configmap", "x", "-n", "default", "--from-literal=a=b"], {
      context: "alice",
    });
    assert.match(
      r.stderr,
      /configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "default"/,
    );
    assert.equal(sim.store.get("core/configmaps", "default", "x"), undefined);
  } finally {
    await sim.stopAll();
  }
});
