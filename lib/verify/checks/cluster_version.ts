import { conditionStatus, valueOf } from "../facts.ts";
import { compare, MANAGED_LIVE_MIN, parseVersion, versionBlocker } from "../version.ts";
import type { Check, CheckResult } from "./types.ts";
import { fail, isManaged, pass } from "./util.ts";

export const clusterVersion: Check = {
  id: "cluster-version",
  title: "Cluster version supports the method",
  section: "Cluster",
  methods: ["offline", "live"],
  needs: ["clusterVersion"],
  evaluate(facts, ctx) {
    const cv = valueOf(facts.clusterVersion);
    const obj = [{ kind: "ClusterVersion", name: "version" }];
    if (!cv) return fail("ClusterVersion version does not exist; cannot tell the release", undefined, obj);
    const v = parseVersion(cv.desired);
    if (!v) return fail(`ClusterVersion version reports an unreadable version "${cv.desired}"`, undefined, obj);
    const out: CheckResult[] = [];
    const upgrading = conditionStatus(cv.conditions, "Progressing") === "True" || cv.updatingTo !== undefined;
    if (upgrading) {
      out.push(fail(
        `ClusterVersion version: an update to ${cv.updatingTo ?? cv.desired} is in progress; ` +
          "the migration must not start during an update",
        "wait for the update to finish: oc adm upgrade (then run preflight again)",
        obj,
      ));
    }
    const source = ctx.source ?? "OpenShiftSDN";
    const blocker = versionBlocker(v, source, ctx.method);
    if (blocker) {
      const fix = ctx.method === "live" && source === "OpenShiftSDN" && v.minor <= 15
        ? (v.minor === 15
          ? "update to 4.15.31 or later (oc adm upgrade --to=<4.15.z ≥ 31>), or use --method offline"
          : "use --method offline, or update to 4.16 first")
        : source === "Kuryr"
        ? (ctx.method === "live"
          ? "use --method offline (the Kuryr procedure)"
          : "migrate from Kuryr on 4.14 or earlier (Kuryr blocks the update to 4.15)")
        : "update to a release that supports the migration (4.12–4.16)";
      out.push(fail(`ClusterVersion version ${v.text}: ${blocker}`, fix, obj));
    } else if (ctx.method === "live" && isManaged(facts) && compare(v, MANAGED_LIVE_MIN) < 0) {
      out.push(fail(
        `ClusterVersion version ${v.text}: managed clusters (ROSA Classic/OSD) need 4.16.43 or later for the live migration`,
        "update to 4.16.43 or later: oc adm upgrade --to=<4.16.z ≥ 43>",
        obj,
      ));
    } else if (!upgrading) {
      out.push(pass(`version ${v.text} supports the ${ctx.method} migration from ${source}`, obj));
    }
    return out;
  },
};
