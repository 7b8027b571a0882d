import { valueOf } from "../facts.ts";
import { MANAGED_ANNOTATION } from "../../openshift/names.ts";
import type { Check, CheckResult } from "./types.ts";
import { fail, isHyperShift, isManaged, pass, warn } from "./util.ts";

/** Both the offline and the live tables of the 4.16 docs list the same platforms (IPI and UPI). */
export const SUPPORTED_PLATFORMS: Record<string, string> = {
  BareMetal: "Bare metal",
  AWS: "Amazon Web Services",
  GCP: "Google Cloud Platform",
  IBMCloud: "IBM Cloud",
  Azure: "Microsoft Azure",
  OpenStack: "Red Hat OpenStack Platform",
  VSphere: "VMware vSphere",
  AlibabaCloud: "AliCloud",
  Nutanix: "Nutanix",
};

export const platform: Check = {
  id: "platform",
  title: "Platform supports the method",
  section: "Cluster",
  methods: ["offline", "live"],
  needs: ["infrastructure"],
  evaluate(facts, ctx) {
    const infra = valueOf(facts.infrastructure);
    const obj = [{ kind: "Infrastructure", name: "cluster" }];
    if (!infra) return fail("Infrastructure cluster does not exist; cannot tell the platform", undefined, obj);
    const p = infra.platform;
    const out: CheckResult[] = [];
    if (isHyperShift(facts)) {
      out.push(fail(
        ctx.method === "live"
          ? "hosted control plane (Infrastructure controlPlaneTopology External): network type live migration is " +
            "not supported on HyperShift clusters"
          : "hosted control plane (Infrastructure controlPlaneTopology External): the offline procedure drives " +
            "machine config pools and node reboots that hosted clusters do not expose; it is not supported there",
        "change the network type through the HostedCluster on the management cluster instead",
        obj,
      ));
      return out;
    }
    if (ctx.source === "Kuryr" && p !== "OpenStack") {
      out.push(fail(`Kuryr runs only on OpenStack but the platform is ${p}`, undefined, obj));
    }
    if (p === "None" || p === "External" || p === "") {
      out.push(warn(
        `platform ${p || "unset"} (user-provisioned, platform-agnostic): supported only for bare metal UPI`,
        "confirm the hosts are bare metal; otherwise open a support case (skip with --skip-check platform)",
        obj,
      ));
    } else if (!(p in SUPPORTED_PLATFORMS)) {
      out.push(fail(
        `platform ${p} is not in the supported table for the ${ctx.method} migration`,
        "open a support case before migrating; skip this check with --skip-check platform once approved",
        obj,
      ));
    }
    if (isManaged(facts)) {
      const cfg = valueOf(facts.networkConfig);
      const annotated = cfg?.annotations[MANAGED_ANNOTATION] === "true";
      if (ctx.method === "offline") {
        out.push(fail(
          "managed OpenShift (ROSA/OSD): the offline migration is not supported on managed clusters",
          "use --method live",
          obj,
        ));
      } else if (!annotated) {
        out.push(warn(
          `managed OpenShift (ROSA/OSD): the live migration needs the annotation ${MANAGED_ANNOTATION}: "true" ` +
            "on Network.config.openshift.io cluster",
          `pass --managed-platform-ack to execute (it sets it), or: oc patch Network.config.openshift.io cluster ` +
            `--type=merge --patch '{"metadata":{"annotations":{"${MANAGED_ANNOTATION}":"true"}}}'`,
          [{ kind: "Network", name: "cluster" }],
        ));
      }
    }
    if (out.length === 0) {
      out.push(pass(`platform ${SUPPORTED_PLATFORMS[p] ?? p} supports the ${ctx.method} migration`, obj));
    }
    return out;
  },
};
