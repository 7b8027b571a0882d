import { valueOf } from "../facts.ts";
import type { Check, CheckResult } from "./types.ts";
import { capObjects, listNames, pass, plural, verb, warn } from "./util.ts";

export const egressIp: Check = {
  id: "egress-ip",
  title: "Egress IPs",
  section: "SDN features",
  methods: ["offline", "live"],
  sources: ["OpenShiftSDN"],
  needs: ["hostSubnets", "netNamespaces"],
  evaluate(facts, ctx) {
    const hostSubnets = valueOf(facts.hostSubnets)?.items ?? [];
    const netns = (valueOf(facts.netNamespaces)?.items ?? []).filter((n) => n.egressIPs.length > 0);
    const automatic = hostSubnets.filter((h) => h.egressCIDRs.length > 0);
    const manual = hostSubnets.filter((h) => h.egressCIDRs.length === 0 && h.egressIPs.length > 0);
    if (netns.length === 0 && automatic.length === 0 && manual.length === 0) {
      return pass("no egress IPs are configured");
    }
    const out: CheckResult[] = [];
    if (manual.length > 0) {
      out.push(warn(
        `${plural(manual.length, "HostSubnet")} (${listNames(manual.map((h) => h.name))}) ` +
          `${verb(manual.length, "assigns", "assign")} egress IPs manually ` +
          "(egressIPs without egressCIDRs): only automatic assignment is migrated",
        "after the migration create EgressIP objects (k8s.ovn.org/v1) for these IPs and label the nodes: " +
          `oc label node ${manual[0].name} k8s.ovn.org/egress-assignable=""`,
        capObjects(manual.map((h) => ({ kind: "HostSubnet", name: h.name }))),
      ));
    }
    const nsNames = netns.map((n) => n.name);
    const converted = `${plural(netns.length, "NetNamespace")} with egress IPs (${listNames(nsNames)})` +
      (automatic.length > 0 ? ` on ${plural(automatic.length, "node")} with egressCIDRs` : "");
    if (ctx.method === "live" && netns.length > 0) {
      out.push(warn(
        `${converted}: egress IPs stop working during the live migration and are converted to EgressIP objects after it`,
        "plan for egress traffic leaving with node IPs during the migration window",
        capObjects(netns.map((n) => ({ kind: "NetNamespace", name: n.name }))),
      ));
    } else if (out.length === 0) {
      out.push(pass(`${converted}: converted to EgressIP objects automatically (migration.features.egressIP)`));
    }
    return out;
  },
};
