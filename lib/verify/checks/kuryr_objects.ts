import { valueOf } from "../facts.ts";
import type { Check } from "./types.ts";
import { fail, pass, skip } from "./util.ts";

export const kuryrObjects: Check = {
  id: "kuryr-objects",
  title: "Kuryr resources inventory",
  section: "Kuryr",
  methods: ["offline"],
  sources: ["Kuryr"],
  needs: ["kuryr", "infrastructure"],
  evaluate(facts) {
    const k = valueOf(facts.kuryr);
    const platform = valueOf(facts.infrastructure)?.platform;
    if (platform !== "OpenStack") return fail(`Kuryr runs on OpenStack only, but the platform is ${platform}`);
    if (!k) return fail("no Kuryr inventory");
    const parts = [
      `${k.kuryrNetworks.count} KuryrNetworks`,
      `${k.kuryrPorts.count} KuryrPorts`,
      `${k.kuryrLoadBalancers.count} KuryrLoadBalancers`,
      `${k.kuryrNetworkPolicies.count} KuryrNetworkPolicies`,
    ];
    return pass(
      `Kuryr inventory: ${parts.join(", ")}; their OpenStack networks, ports, load balancers and security groups ` +
        "are removed by `oc ovn-migrate cleanup` after the migration",
      k.kuryrNetworks.sample.map((s) => ({ kind: "KuryrNetwork", namespace: s.namespace, name: s.name })),
    );
  },
};

const later = (id: string, title: string): Check => ({
  id,
  title,
  section: "Kuryr",
  methods: ["offline"],
  sources: ["Kuryr"],
  needs: [],
  evaluate: () => skip("OpenStack-side check: comes with the Kuryr migration support (needs the OpenStack APIs)"),
});

export const openstackCredentials = later("openstack-credentials", "OpenStack credentials work");
export const octaviaTags = later("octavia-tags", "Octavia supports tags");
export const openstackGeneveRule = later("openstack-geneve-rule", "UDP 6081 security group rule");
