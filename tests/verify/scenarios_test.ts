/**
 * preflight against the simulated cluster's built-in scenarios (issue 4 "Must show"), through the real
 * client: each scenario fails or warns on the right check, with the object and the fix named.
 */
import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors.ts";
import { PreflightReport } from "../../lib/verify/report_schema.ts";
import type { PreflightOptions } from "../../lib/verify/options.ts";
import { preflightOnSim } from "./sim_preflight.ts";

interface Outcome {
  code: number;
  report: PreflightReport;
}

async function preflight(scenario: string, over: Partial<PreflightOptions> = {}, context?: string): Promise<Outcome> {
  const { code, out } = await preflightOnSim(scenario, over, { context });
  return { code, report: PreflightReport.parse(JSON.parse(out)) };
}

const find = (r: PreflightReport, id: string, method?: "offline" | "live") =>
  r.checks.filter((c) => c.id === id && (!method || c.method === method || c.method === "both"));
const levels = (r: PreflightReport, id: string, method?: "offline" | "live") => find(r, id, method).map((c) => c.level);

Deno.test("scenario sdn-small: passes and recommends live", async () => {
  const { code, report } = await preflight("sdn-small");
  assert.equal(report.method.recommended, "live");
  assert.ok(code === 0 || code === 4, `exit ${code}`);
  assert.equal(report.summary.failed, 0);
});

Deno.test("scenario sdn-multitenant: live fails on isolation mode, offline warns with the NetworkPolicy note", async () => {
  const { report } = await preflight("sdn-multitenant");
  assert.deepEqual(levels(report, "sdn-isolation-mode", "live"), ["fail"]);
  const off = find(report, "sdn-isolation-mode", "offline");
  assert.deepEqual(off.map((c) => c.level), ["warn"]);
  assert.match(off[0].message, /NetworkPolicies/);
  assert.equal(report.method.recommended, "offline");
});

Deno.test("scenario sdn-egress-router: live fails naming the pods", async () => {
  const { code, report } = await preflight("sdn-egress-router", { method: "live" });
  assert.equal(code, 3);
  const live = find(report, "egress-router-pods", "live");
  assert.equal(live[0].level, "fail");
  assert.match(live[0].message, /egress-router-project\/egress-router-redirect/);
  assert.ok(live[0].objects.length >= 1 && live[0].objects.every((o) => o.kind === "Pod" && o.namespace));
});

Deno.test("scenario sdn-cidr-overlap: fails naming both networks and suggests a free range", async () => {
  const { code, report } = await preflight("sdn-cidr-overlap");
  assert.equal(code, 3);
  const r = find(report, "cidr-overlap", "live")[0];
  assert.equal(r.level, "fail");
  assert.match(
    r.message,
    /serviceNetwork\[0\] \(100\.64\.0\.0\/16\) overlaps with OVN join subnet \(100\.64\.0\.0\/16/,
  );
  assert.match(r.message, /free range: 100\.65\.0\.0\/16/);
  assert.match(r.fix!, /internalJoinSubnet/);
});

Deno.test("scenario sdn-paused-pool: fails on machine-config-pools with the unpause patch", async () => {
  const { report } = await preflight("sdn-paused-pool");
  const r = find(report, "machine-config-pools")[0];
  assert.equal(r.level, "fail");
  assert.match(r.fix!, /oc patch mcp\/\S+ --type merge -p '\{"spec":\{"paused":false\}\}'/);
});

Deno.test("scenario sdn-degraded-pool: fails on machine-config-pools naming the node", async () => {
  const { report } = await preflight("sdn-degraded-pool");
  const r = find(report, "machine-config-pools")[0];
  assert.equal(r.level, "fail");
  assert.match(r.message, /degraded .*Node \S+ is reporting/);
});

Deno.test("scenario sdn-unmanaged-ds: live fails naming the DaemonSet", async () => {
  const { report } = await preflight("sdn-unmanaged-ds");
  const r = find(report, "unmanaged-sdn-daemonsets", "live")[0];
  assert.equal(r.level, "fail");
  assert.match(r.fix!, /oc delete daemonset sdn-debug-tools -n openshift-sdn/);
});

Deno.test("scenario sdn-no-mtu-configmap: live fails on mtu, offline warns", async () => {
  const { report } = await preflight("sdn-no-mtu-configmap");
  assert.deepEqual(levels(report, "mtu", "live"), ["fail"]);
  assert.deepEqual(levels(report, "mtu", "offline"), ["warn"]);
});

Deno.test("scenario hypershift: live blocked on platform", async () => {
  const { report } = await preflight("hypershift");
  const r = find(report, "platform", "live")[0];
  assert.equal(r.level, "fail");
  assert.match(r.message, /HyperShift/);
});

Deno.test("scenario ocp-4.14-sdn: live fails on the version gate; offline recommended", async () => {
  const { report } = await preflight("ocp-4.14-sdn");
  assert.deepEqual(levels(report, "cluster-version", "live"), ["fail"]);
  assert.equal(report.method.recommended, "offline");
});

Deno.test("scenario ovn-after-offline: fails on network-type (nothing to migrate) and sizes no migration", async () => {
  const { code, report } = await preflight("ovn-after-offline");
  assert.equal(code, 3);
  assert.deepEqual(levels(report, "network-type"), ["fail"]);
  assert.equal(report.method.recommended, "none");
  for (const id of ["mtu", "geneve-port", "node-count", "cidr-overlap"]) {
    assert.deepEqual(find(report, id), [], `${id} evaluated on a cluster that already runs OVN-Kubernetes`);
  }
});

Deno.test("scenario not-openshift: exit 2 with a clear message", async () => {
  await assert.rejects(() => preflight("not-openshift"), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.exitCode, 2);
    assert.match(
      e.message,
      /^not an OpenShift cluster: the API group config\.openshift\.io is not served by https:\/\/127\.0\.0\.1:\d+$/,
    );
    return true;
  });
});

Deno.test("scenario sdn-restricted-user: the missing permissions are listed", async () => {
  const { code, report } = await preflight("sdn-restricted-user", {}, "dev");
  assert.equal(code, 3);
  const r = find(report, "rbac")[0];
  assert.equal(r.level, "fail");
  assert.match(r.message, /patch networks\.config\.openshift\.io cluster/);
  assert.match(r.message, /patch networks\.operator\.openshift\.io cluster/);
  assert.ok(report.checks.some((c) => c.level === "skip" && /forbidden/.test(c.message)));
});
