import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { CHECK_IDS, CHECKS } from "../../lib/verify/checks/index.ts";
import { countLevels, evaluateChecks, selectChecks } from "../../lib/verify/run.ts";
import { recommend } from "../../lib/verify/recommend.ts";
import { healthyFacts, options, v, withFacts } from "./fixtures.ts";

Deno.test("registry: ids are unique, kebab-case, and every check has a title and methods", () => {
  assert.equal(new Set(CHECK_IDS).size, CHECK_IDS.length);
  for (const c of CHECKS) {
    assert.match(c.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, c.id);
    assert.ok(c.title.length > 0 && c.methods.length > 0, c.id);
  }
  for (
    const id of [
      "rbac",
      "cluster-version",
      "network-type",
      "platform",
      "machine-config-pools",
      "cidr-overlap",
      "mtu",
      "egress-router-pods",
    ]
  ) {
    assert.ok(CHECK_IDS.includes(id), id);
  }
});

Deno.test("selectChecks: --only and --skip-check keep registry order", () => {
  assert.deepEqual(selectChecks(["mtu", "rbac"], []).map((c) => c.id), ["rbac", "mtu"]);
  const skipped = selectChecks([], ["etcd-backup"]).map((c) => c.id);
  assert.ok(!skipped.includes("etcd-backup"));
  assert.equal(skipped.length, CHECKS.length - 1);
});

Deno.test("selectChecks: unknown ids are a usage error listing the valid ids", () => {
  assert.throws(() => selectChecks(["mtu", "no-such-check"], ["bogus"]), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.equal(e.exitCode, 2);
    assert.match(e.message, /unknown check ids: no-such-check, bogus/);
    assert.match(e.hint!, /valid ids: api-openshift, rbac, cluster-version/);
    return true;
  });
});

Deno.test("evaluateChecks: identical results merge into method both; differing ones stay per method", () => {
  const f = withFacts((f) => (v(f.networkOperator)!.defaultNetwork.openshiftSDNConfig!.mode = "Multitenant"));
  const results = evaluateChecks(f, CHECKS, ["offline", "live"], options());
  const iso = results.filter((r) => r.id === "sdn-isolation-mode");
  assert.deepEqual(iso.map((r) => `${r.method}:${r.level}`), ["offline:warn", "live:fail"]);
  assert.deepEqual(results.filter((r) => r.id === "nodes").map((r) => r.method), ["both"]);
  assert.ok(!results.some((r) => r.id === "kuryr-objects"), "Kuryr checks are not listed for SDN");
});

Deno.test("evaluateChecks: a check whose fact failed to read is skipped with the error", () => {
  const f = withFacts((f) => (f.hostSubnets = { error: "hostsubnets is forbidden", status: 403 }));
  const r = evaluateChecks(f, selectChecks(["egress-ip", "nodes"], []), ["live"], options());
  assert.equal(r[0].id, "nodes");
  assert.equal(r[1].level, "skip");
  assert.match(r[1].message, /could not read hostSubnets \(forbidden\)/);
});

Deno.test("countLevels: the worst level per check counts once", () => {
  const f = withFacts((f) => {
    v(f.machineConfigPools).items[0].paused = true;
    v(f.machineConfigPools).items[1].paused = true;
  });
  const r = evaluateChecks(f, selectChecks(["machine-config-pools", "nodes"], []), ["live"], options());
  assert.deepEqual(countLevels(r), { pass: 1, warn: 0, fail: 1, skip: 0 });
});

Deno.test("recommend: healthy 4.16 → live", () => {
  const f = healthyFacts();
  const rec = recommend(f, evaluateChecks(f, CHECKS, ["offline", "live"], options()), ["offline", "live"]);
  assert.equal(rec.recommended, "live");
  assert.match(rec.reasons.join("\n"), /live: no blocking check/);
});

Deno.test("recommend: live blocked by checks → offline, with the blocking ids", () => {
  const f = withFacts((f) => (v(f.networkOperator)!.defaultNetwork.openshiftSDNConfig!.mode = "Multitenant"));
  const rec = recommend(f, evaluateChecks(f, CHECKS, ["offline", "live"], options()), ["offline", "live"]);
  assert.equal(rec.recommended, "offline");
  assert.deepEqual(rec.reasons.slice(0, 1), ["live: blocked by sdn-isolation-mode"]);
});

Deno.test("recommend: version gate 4.14 → offline; both blocked → none", () => {
  const f = withFacts((f) => (v(f.clusterVersion)!.desired = "4.14.30"));
  const rec = recommend(f, evaluateChecks(f, CHECKS, ["offline", "live"], options()), ["offline", "live"]);
  assert.equal(rec.recommended, "offline");
  assert.match(rec.reasons[0], /live: the limited live migration needs 4\.16 or 4\.15\.31\+/);
  const paused = withFacts((f) => (v(f.machineConfigPools).items[0].paused = true));
  const none = recommend(paused, evaluateChecks(paused, CHECKS, ["offline", "live"], options()), ["offline", "live"]);
  assert.equal(none.recommended, "none");
  assert.deepEqual(none.reasons, ["live: blocked by machine-config-pools", "offline: blocked by machine-config-pools"]);
});

Deno.test("recommend: only the requested method is considered", () => {
  const f = healthyFacts();
  const rec = recommend(f, evaluateChecks(f, CHECKS, ["offline"], options()), ["offline"]);
  assert.equal(rec.recommended, "offline");
});

Deno.test("evaluateChecks: a check asked for by --only but not applicable is skipped with the reason", () => {
  const r = evaluateChecks(
    healthyFacts(),
    selectChecks(["kuryr-objects"], []),
    ["offline", "live"],
    options({ onlyChecks: ["kuryr-objects"] }),
  );
  assert.equal(r.length, 1);
  assert.equal(r[0].level, "skip");
  assert.match(r[0].message, /applies only to Kuryr clusters \(this one runs OpenShiftSDN\)/);
});
