import { valueOf } from "../facts.ts";
import type { Check } from "./types.ts";
import { capObjects, listNames, pass, plural, verb, warn } from "./util.ts";

export const multicast: Check = {
  id: "multicast",
  title: "Multicast namespaces",
  section: "SDN features",
  methods: ["offline", "live"],
  sources: ["OpenShiftSDN"],
  needs: ["netNamespaces"],
  evaluate(facts, ctx) {
    const mc = (valueOf(facts.netNamespaces)?.items ?? []).filter((n) => n.multicast);
    if (mc.length === 0) return pass("no NetNamespace enables multicast");
    const names = listNames(mc.map((n) => n.name));
    const objects = capObjects(mc.map((n) => ({ kind: "NetNamespace", name: n.name })));
    const conversion = "converted to the annotation k8s.ovn.org/multicast-enabled=true on each Namespace";
    if (ctx.method === "live") {
      return warn(
        `${plural(mc.length, "namespace")} ${
          verb(mc.length, "enables", "enable")
        } multicast (${names}): multicast stops during the live migration, then is ${conversion}`,
        `after the migration check: oc get namespace ${
          mc[0].name
        } -o jsonpath='{.metadata.annotations.k8s\\.ovn\\.org/multicast-enabled}'`,
        objects,
      );
    }
    return pass(
      `${plural(mc.length, "namespace")} ${verb(mc.length, "enables", "enable")} multicast (${names}): ${conversion}`,
      objects,
    );
  },
};
