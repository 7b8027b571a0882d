import assert from "node:assert/strict";
import { load } from "js-yaml";
import { CHECKS } from "../../lib/verify/checks/index.ts";
import { evaluateChecks } from "../../lib/verify/run.ts";
import { recommend } from "../../lib/verify/recommend.ts";
import { buildReport } from "../../lib/verify/report.ts";
import { renderReport } from "../../lib/cli/render/preflight_report.ts";
import { PreflightReport } from "../../lib/verify/report_schema.ts";
import type { Facts } from "../../lib/verify/facts.ts";
import { healthyFacts, options, v, withFacts } from "./fixtures.ts";

function reportOf(f: Facts, requested: "auto" | "offline" | "live" = "auto", over = {}) {
  const methods = requested === "auto" ? ["offline", "live"] as const : [requested];
  const results = evaluateChecks(f, CHECKS, [...methods], options(over));
  return buildReport({
    facts: f,
    requested,
    evaluated: [...methods],
    results,
    recommendation: recommend(f, results, [...methods]),
    now: new Date("2026-11-23T12:00:00Z"),
  });
}

Deno.test("report JSON: validates against the documented schema", () => {
  const report = reportOf(healthyFacts());
  const parsed = PreflightReport.parse(JSON.parse(renderReport(report, "json", false)));
  assert.equal(parsed.kind, "PreflightReport");
  assert.equal(parsed.apiVersion, "ovn-migrate.openshift.io/v1alpha1");
  assert.equal(parsed.method.recommended, "live");
  assert.equal(parsed.cluster.version, "4.16.20");
  assert.equal(parsed.summary.verdictMethod, "live");
  assert.equal(parsed.summary.exitCode, 0);
  assert.ok(parsed.checks.every((c) => c.fix === null || typeof c.fix === "string"));
  assert.ok(parsed.summary.byMethod.offline && parsed.summary.byMethod.live);
});

Deno.test("report YAML: same document as JSON", () => {
  const report = reportOf(healthyFacts());
  assert.deepEqual(PreflightReport.parse(load(renderReport(report, "yaml", false))), report);
});

Deno.test("report: exit codes 0 / 4 / 3 follow the verdict method", () => {
  assert.equal(reportOf(healthyFacts()).summary.exitCode, 0);
  assert.equal(reportOf(healthyFacts(), "auto", { etcdBackupConfirmed: false }).summary.exitCode, 4);
  const multitenant = withFacts((f) => (v(f.networkOperator)!.defaultNetwork.openshiftSDNConfig!.mode = "Multitenant"));
  const auto = reportOf(multitenant);
  assert.equal(auto.method.recommended, "offline");
  assert.equal(auto.summary.exitCode, 4, "offline only warns");
  assert.equal(reportOf(multitenant, "live").summary.exitCode, 3);
  const paused = withFacts((f) => (v(f.machineConfigPools).items[0].paused = true));
  assert.equal(reportOf(paused).summary.exitCode, 3);
  assert.equal(reportOf(paused).summary.verdictMethod, "none");
});

Deno.test("report human: sections, symbols, fixes and the summary line; colour only when asked", () => {
  const f = withFacts((f) => (v(f.machineConfigPools).items[1].paused = true));
  const text = renderReport(reportOf(f, "auto", { etcdBackupConfirmed: false }), "human", false);
  assert.match(text, /^Preflight for https:\/\/api\.sim\.example:6443/);
  assert.match(text, /\nNodes and pools\n/);
  assert.match(text, /✖ Machine config pools updated, not degraded, not paused \(machine-config-pools\)/);
  assert.match(text, /fix: oc patch mcp\/worker --type merge -p '\{"spec":\{"paused":false\}\}'/);
  assert.match(text, /⚠ Recent etcd backup/);
  assert.match(text, /✔ Nodes Ready and schedulable \(nodes\): all 6 nodes/);
  assert.match(text, /\n\d+ passed, \d+ warnings?, 1 failed, 0 skipped — recommended method: none\n/);
  assert.ok(!text.includes("\x1b["), "no ANSI escapes without colour");
  assert.ok(renderReport(reportOf(f), "human", true).includes("\x1b[31m✖"), "red ✖ with colour");
});
