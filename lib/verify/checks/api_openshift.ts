import { valueOf } from "../facts.ts";
import type { Check } from "./types.ts";
import { fail, pass } from "./util.ts";

/** preflight.ts stops with exit 2 before evaluating when this fails; the check keeps it visible in reports. */
export const apiOpenshift: Check = {
  id: "api-openshift",
  title: "API reachable and OpenShift",
  section: "Cluster",
  methods: ["offline", "live"],
  needs: ["apiGroups"],
  evaluate(facts) {
    const groups = valueOf(facts.apiGroups) ?? [];
    if (!groups.includes("config.openshift.io")) {
      return fail(
        `not an OpenShift cluster: the API group config.openshift.io is not served by ${facts.server}`,
        "point --kubeconfig/--context at an OpenShift 4 cluster",
      );
    }
    return pass(`${facts.server} serves the OpenShift API (${groups.length} API groups)`);
  },
};
