import assert from "node:assert/strict";
import { clusterVersion } from "../../lib/verify/checks/cluster_version.ts";
import { networkType } from "../../lib/verify/checks/network_type.ts";
import { platform } from "../../lib/verify/checks/platform.ts";
import { clusterOperators } from "../../lib/verify/checks/cluster_operators.ts";
import { rbac } from "../../lib/verify/checks/rbac.ts";
import { etcdBackup } from "../../lib/verify/checks/etcd_backup.ts";
import { apiOpenshift } from "../../lib/verify/checks/api_openshift.ts";
import { healthyFacts, v, withFacts } from "./fixtures.ts";
import { evalCheck, worst } from "./helpers.ts";

const version = (ver: string) => withFacts((f) => (v(f.clusterVersion)!.desired = ver));

Deno.test("cluster-version: healthy 4.16 passes both methods", () => {
  for (const m of ["offline", "live"] as const) {
    assert.equal(worst(evalCheck(clusterVersion, healthyFacts(), m)), "pass");
  }
});

Deno.test("cluster-version: live edge 4.15.30 fails, 4.15.31 passes; offline passes both", () => {
  const r30 = evalCheck(clusterVersion, version("4.15.30"), "live");
  assert.equal(worst(r30), "fail");
  assert.match(r30[0].message, /4\.16 or 4\.15\.31\+/);
  assert.match(r30[0].fix!, /4\.15\.31|--method offline/);
  assert.equal(worst(evalCheck(clusterVersion, version("4.15.31"), "live")), "pass");
  assert.equal(worst(evalCheck(clusterVersion, version("4.15.30"), "offline")), "pass");
});

Deno.test("cluster-version: 4.14 offline only, 4.11 and 4.17 blocked", () => {
  assert.equal(worst(evalCheck(clusterVersion, version("4.14.9"), "offline")), "pass");
  assert.equal(worst(evalCheck(clusterVersion, version("4.14.9"), "live")), "fail");
  assert.equal(worst(evalCheck(clusterVersion, version("4.12.0"), "offline")), "pass");
  assert.equal(worst(evalCheck(clusterVersion, version("4.11.40"), "offline")), "fail");
  const r417 = evalCheck(clusterVersion, version("4.17.1"), "offline");
  assert.equal(worst(r417), "fail");
  assert.match(r417[0].message, /removed in 4\.17/);
});

Deno.test("cluster-version: an update in progress fails", () => {
  const f = withFacts((f) => {
    const cv = v(f.clusterVersion)!;
    cv.updatingTo = "4.16.21";
    cv.conditions = [{ type: "Progressing", status: "True" }];
  });
  const r = evalCheck(clusterVersion, f, "offline");
  assert.equal(worst(r), "fail");
  assert.match(r[0].message, /update to 4\.16\.21 is in progress/);
});

Deno.test("cluster-version: Kuryr needs ≤ 4.14 and has no live method", () => {
  const kuryr = (ver: string) =>
    withFacts((f) => {
      v(f.clusterVersion)!.desired = ver;
      v(f.networkConfig)!.status.networkType = "Kuryr";
      v(f.networkConfig)!.spec.networkType = "Kuryr";
    });
  assert.equal(worst(evalCheck(clusterVersion, kuryr("4.14.3"), "offline")), "pass");
  assert.equal(worst(evalCheck(clusterVersion, kuryr("4.15.1"), "offline")), "fail");
  assert.match(evalCheck(clusterVersion, kuryr("4.14.3"), "live")[0].message, /no live migration from Kuryr/);
});

Deno.test("cluster-version: managed clusters need 4.16.43+ for live", () => {
  const managed = (ver: string) =>
    withFacts((f) => {
      v(f.clusterVersion)!.desired = ver;
      v(f.infrastructure)!.resourceTags = [{ key: "red-hat-managed", value: "true" }];
    });
  assert.equal(worst(evalCheck(clusterVersion, managed("4.16.42"), "live")), "fail");
  assert.equal(worst(evalCheck(clusterVersion, managed("4.16.43"), "live")), "pass");
});

Deno.test("network-type: SDN at rest passes; OVN fails; spec≠status without migration fails with the patch", () => {
  assert.equal(worst(evalCheck(networkType, healthyFacts(), "live")), "pass");
  const ovn = withFacts((f) => {
    v(f.networkConfig)!.status.networkType = "OVNKubernetes";
    v(f.networkConfig)!.spec.networkType = "OVNKubernetes";
  });
  assert.equal(worst(evalCheck(networkType, ovn, "live")), "fail");
  const drift = withFacts((f) => (v(f.networkConfig)!.spec.networkType = "OVNKubernetes"));
  const r = evalCheck(networkType, drift, "offline");
  assert.equal(worst(r), "fail");
  assert.match(r[0].fix!, /"networkType":"OpenShiftSDN"/);
});

Deno.test("network-type: in-progress migrations are recognised (warn), stray spec.migration fails", () => {
  const live = withFacts((f) => {
    v(f.networkConfig)!.spec.networkType = "OVNKubernetes";
    v(f.networkConfig)!.annotations["network.openshift.io/network-type-migration"] = "";
  });
  const rl = evalCheck(networkType, live, "live");
  assert.equal(worst(rl), "warn");
  assert.match(rl[0].message, /in progress \(live/);
  const offline = withFacts((f) => (v(f.networkOperator)!.migration = { networkType: "OVNKubernetes" }));
  assert.equal(worst(evalCheck(networkType, offline, "offline")), "warn");
  const mtuMigration = withFacts((
    f,
  ) => (v(f.networkOperator)!.migration = { mtu: { network: { from: 1450, to: 1400 } } }));
  const rm = evalCheck(networkType, mtuMigration, "offline");
  assert.equal(worst(rm), "fail");
  assert.match(rm[0].fix!, /"migration":null/);
});

Deno.test("platform: AWS passes; HyperShift blocks live; unknown platform fails; None warns", () => {
  assert.equal(worst(evalCheck(platform, healthyFacts(), "live")), "pass");
  const hcp = withFacts((f) => (v(f.infrastructure)!.controlPlaneTopology = "External"));
  const r = evalCheck(platform, hcp, "live");
  assert.equal(worst(r), "fail");
  assert.match(r[0].message, /not supported on HyperShift clusters/);
  assert.equal(
    worst(evalCheck(platform, withFacts((f) => (v(f.infrastructure)!.platform = "PowerVS")), "offline")),
    "fail",
  );
  assert.equal(
    worst(evalCheck(platform, withFacts((f) => (v(f.infrastructure)!.platform = "None")), "offline")),
    "warn",
  );
});

Deno.test("platform: managed clusters need the annotation for live and cannot go offline", () => {
  const managed = withFacts((f) => (v(f.namespaces)!.push("openshift-ocm-agent-operator")));
  const live = evalCheck(platform, managed, "live");
  assert.equal(worst(live), "warn");
  assert.match(live[0].fix!, /unsupported-red-hat-internal-testing/);
  assert.equal(worst(evalCheck(platform, managed, "offline")), "fail");
  const annotated = withFacts((f) => {
    v(f.namespaces)!.push("openshift-ocm-agent-operator");
    v(f.networkConfig)!.annotations["unsupported-red-hat-internal-testing"] = "true";
  });
  assert.equal(worst(evalCheck(platform, annotated, "live")), "pass");
});

Deno.test("cluster-operators: degraded fails, progressing warns", () => {
  assert.equal(worst(evalCheck(clusterOperators, healthyFacts(), "live")), "pass");
  const degraded = withFacts((f) =>
    v(f.clusterOperators)[0].conditions = [
      { type: "Available", status: "True" },
      { type: "Degraded", status: "True", message: "boom" },
    ]
  );
  const r = evalCheck(clusterOperators, degraded, "live");
  assert.equal(worst(r), "fail");
  assert.match(r[0].message, /1 ClusterOperator is unhealthy \(network is Degraded: boom\)/);
  const progressing = withFacts((f) =>
    v(f.clusterOperators)[1].conditions = [{ type: "Available", status: "True" }, {
      type: "Progressing",
      status: "True",
    }]
  );
  assert.equal(worst(evalCheck(clusterOperators, progressing, "offline")), "warn");
});

Deno.test("rbac: missing permissions are listed per method", () => {
  assert.equal(worst(evalCheck(rbac, healthyFacts(), "live")), "pass");
  const restricted = withFacts((f) => {
    for (const a of v(f.access)) if (a.verb === "patch" || a.subresource === "exec") a.allowed = false;
  });
  const live = evalCheck(rbac, restricted, "live");
  assert.equal(worst(live), "fail");
  assert.match(live[0].message, /patch networks\.config\.openshift\.io cluster/);
  assert.match(live[0].message, /create pods\/exec -n openshift-monitoring/);
  assert.doesNotMatch(
    live[0].message,
    /openshift-machine-config-operator/,
    "offline-only permission not listed for live",
  );
  assert.match(evalCheck(rbac, restricted, "offline")[0].message, /pods\/exec -n openshift-machine-config-operator/);
});

Deno.test("etcd-backup: warns with the backup command unless confirmed", () => {
  const r = evalCheck(etcdBackup, healthyFacts(), "offline", { etcdBackupConfirmed: false });
  assert.equal(worst(r), "warn");
  assert.match(r[0].fix!, /node\/master-0 .*cluster-backup\.sh.*--etcd-backup-confirmed/);
  assert.equal(worst(evalCheck(etcdBackup, healthyFacts(), "offline", { etcdBackupConfirmed: true })), "pass");
});

Deno.test("api-openshift: fails without config.openshift.io", () => {
  assert.equal(worst(evalCheck(apiOpenshift, healthyFacts(), "live")), "pass");
  const k8s = withFacts((f) => (f.apiGroups = { value: ["apps", "batch"] }));
  assert.match(
    evalCheck(apiOpenshift, k8s, "live")[0].message,
    /not an OpenShift cluster: the API group config\.openshift\.io is not served by https:\/\/api\.sim/,
  );
});
