import { conditionStatus, valueOf } from "../facts.ts";
import { MIGRATION_ANNOTATION as LIVE_ANNOTATION } from "../../openshift/names.ts";
import type { Check, CheckResult } from "./types.ts";
import { fail, pass, warn } from "./util.ts";
import { isSourcePlugin } from "../version.ts";

export const networkType: Check = {
  id: "network-type",
  title: "Current network plugin and migration state",
  section: "Network configuration",
  methods: ["offline", "live"],
  needs: ["networkConfig", "networkOperator"],
  evaluate(facts) {
    const cfg = valueOf(facts.networkConfig);
    const op = valueOf(facts.networkOperator);
    const cfgObj = { kind: "Network", name: "cluster" };
    if (!cfg || !op) {
      return fail(
        `${!cfg ? "Network.config.openshift.io" : "Network.operator.openshift.io"} cluster does not exist; ` +
          "the Cluster Network Operator is not configured",
        undefined,
        [cfgObj],
      );
    }
    const status = cfg.status.networkType;
    const spec = cfg.spec.networkType;
    const out: CheckResult[] = [];
    if (op.managementState && op.managementState !== "Managed") {
      out.push(fail(
        `Network.operator.openshift.io cluster has managementState ${op.managementState}: CNO ignores every change`,
        `oc patch Network.operator.openshift.io cluster --type=merge -p '{"spec":{"managementState":"Managed"}}'`,
        [cfgObj],
      ));
    }
    if (!status || !isSourcePlugin(status)) {
      out.push(fail(
        `Network.config.openshift.io cluster status.networkType is ${status ?? "empty"}: ` +
          "only OpenShiftSDN or Kuryr clusters can be migrated to OVN-Kubernetes",
        status === "OVNKubernetes" ? "nothing to migrate; after a migration use `oc ovn-migrate cleanup`" : undefined,
        [cfgObj],
      ));
      return out;
    }
    const liveAnnotated = LIVE_ANNOTATION in cfg.annotations;
    const liveInProgress = conditionStatus(cfg.status.conditions, "NetworkTypeMigrationInProgress") === "True";
    const target = op.migration?.networkType;
    if (spec !== status) {
      if (spec === "OVNKubernetes" && (liveAnnotated || target === "OVNKubernetes")) {
        out.push(warn(
          `a migration to OVNKubernetes is in progress (${liveAnnotated ? "live" : "offline"}: spec.networkType is ` +
            `OVNKubernetes, status still ${status}${liveInProgress ? ", NetworkTypeMigrationInProgress=True" : ""})`,
          "`oc ovn-migrate execute` resumes it; `oc ovn-migrate status` shows where it is",
          [cfgObj],
        ));
      } else {
        out.push(fail(
          `Network.config.openshift.io cluster spec.networkType is ${spec} but status.networkType is ${status}: ` +
            "a change is pending or was rejected by CNO",
          `oc patch Network.config.openshift.io cluster --type=merge -p '{"spec":{"networkType":"${status}"}}'`,
          [cfgObj],
        ));
      }
    } else if (op.migration && (target || op.migration.mtu || op.migration.mode)) {
      if (target === "OVNKubernetes") {
        out.push(warn(
          "an offline migration to OVNKubernetes has been prepared (Network.operator.openshift.io cluster " +
            "spec.migration.networkType is set) but not switched yet",
          "`oc ovn-migrate execute --method offline` resumes it",
          [cfgObj],
        ));
      } else {
        out.push(fail(
          `Network.operator.openshift.io cluster spec.migration is not empty (${JSON.stringify(op.migration)}); ` +
            "the migration needs it cleared first",
          `oc patch Network.operator.openshift.io cluster --type=merge -p '{"spec":{"migration":null}}'`,
          [cfgObj],
        ));
      }
    } else if (liveAnnotated) {
      out.push(warn(
        `Network.config.openshift.io cluster carries the ${LIVE_ANNOTATION} annotation without a migration; ` +
          "setting spec.networkType would start a live migration at once",
        `oc annotate Network.config.openshift.io cluster ${LIVE_ANNOTATION}-`,
        [cfgObj],
      ));
    }
    if (out.length === 0 || out.every((r) => r.level === "pass")) {
      out.push(pass(`the cluster runs ${status} (spec == status) and no migration is pending`, [cfgObj]));
    }
    return out;
  },
};
