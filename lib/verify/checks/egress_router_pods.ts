import { valueOf } from "../facts.ts";
import { EGRESS_ROUTER_ANNOTATION as ASSIGN_MACVLAN } from "../../openshift/names.ts";
import type { Check, CheckResult } from "./types.ts";
import { capObjects, fail, listNames, nsName, pass, plural, verb, warn } from "./util.ts";

export { EGRESS_ROUTER_ANNOTATION as ASSIGN_MACVLAN } from "../../openshift/names.ts";

export const egressRouterPods: Check = {
  id: "egress-router-pods",
  title: "Egress router pods",
  section: "SDN features",
  methods: ["offline", "live"],
  sources: ["OpenShiftSDN"],
  needs: ["egressRouterPods"],
  evaluate(facts, ctx) {
    const pods = valueOf(facts.egressRouterPods) ?? [];
    if (pods.length === 0) return pass(`no pods carry the ${ASSIGN_MACVLAN} annotation`);
    const refs = (list: typeof pods) =>
      capObjects(list.map((p) => ({ kind: "Pod", namespace: p.namespace, name: p.name })));
    const names = (list: typeof pods) => listNames(list.map(nsName));
    if (ctx.method === "live") {
      return fail(
        `${plural(pods.length, "egress router pod")} (${names(pods)}) ${
          verb(pods.length, "carries", "carry")
        } the ${ASSIGN_MACVLAN} annotation: ` +
          "network type live migration is not supported for pods with this annotation",
        "pass --delete-egress-router-pods to execute (it saves and deletes them), or by hand: " +
          pods.map((p) =>
            `oc get pod ${p.name} -n ${p.namespace} -o yaml > ${p.name}.yaml && oc delete pod ${p.name} -n ${p.namespace}`
          )
            .join("; "),
        refs(pods),
      );
    }
    const out: CheckResult[] = [];
    const proxies = pods.filter((p) => p.mode === "http-proxy" || p.mode === "dns-proxy");
    const redirect = pods.filter((p) => p.mode === "redirect" || p.mode === "unknown");
    if (proxies.length > 0) {
      out.push(warn(
        `${plural(proxies.length, "egress router pod")} in HTTP or DNS proxy mode (${
          listNames(proxies.map((p) => `${nsName(p)} (${p.mode})`))
        }): OVN-Kubernetes has no equivalent; they stop working after the migration`,
        "plan a replacement (e.g. an EgressIP with a proxy you run as a normal pod) before migrating",
        refs(proxies),
      ));
    }
    if (redirect.length > 0) {
      out.push(warn(
        `${plural(redirect.length, "egress router pod")} in redirect mode (${names(redirect)}): after the migration ` +
          "recreate each as an EgressRouter CR (network.operator.openshift.io/v1, mode Redirect)",
        "after the migration: oc apply -f <EgressRouter with the pod's EGRESS_SOURCE, EGRESS_GATEWAY and EGRESS_DESTINATION>",
        refs(redirect),
      ));
    }
    return out;
  },
};
