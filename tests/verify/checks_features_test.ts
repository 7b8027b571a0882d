import assert from "node:assert/strict";
import { egressRouterPods } from "../../lib/verify/checks/egress_router_pods.ts";
import { egressIp } from "../../lib/verify/checks/egress_ip.ts";
import { egressNetworkPolicy } from "../../lib/verify/checks/egress_network_policy.ts";
import { multicast } from "../../lib/verify/checks/multicast.ts";
import { unmanagedSdnDaemonSets } from "../../lib/verify/checks/unmanaged_sdn_daemonsets.ts";
import { nncpPrimaryNic } from "../../lib/verify/checks/nncp_primary_nic.ts";
import { secondaryNetworkDefaultNic } from "../../lib/verify/checks/secondary_network_default_nic.ts";
import { podDisruptionBudgets } from "../../lib/verify/checks/pod_disruption_budgets.ts";
import { admissionWebhooks } from "../../lib/verify/checks/admission_webhooks.ts";
import { kuryrObjects, openstackCredentials } from "../../lib/verify/checks/kuryr_objects.ts";
import { healthyFacts, v, withFacts } from "./fixtures.ts";
import { evalCheck, worst } from "./helpers.ts";

const routerPods = withFacts((f) =>
  f.egressRouterPods = {
    value: [
      { namespace: "egress-router-project", name: "egress-multi", mode: "redirect", destination: "80 tcp 10.0.0.1" },
      { namespace: "proxy", name: "egress-http", mode: "http-proxy" },
    ],
  }
);

Deno.test("egress-router-pods: none passes; live fails naming the pods and the delete command", () => {
  assert.equal(worst(evalCheck(egressRouterPods, healthyFacts(), "live")), "pass");
  const r = evalCheck(egressRouterPods, routerPods, "live");
  assert.equal(worst(r), "fail");
  assert.match(r[0].message, /2 egress router pods \(egress-router-project\/egress-multi and proxy\/egress-http\)/);
  assert.match(r[0].fix!, /oc delete pod egress-multi -n egress-router-project/);
  assert.match(r[0].fix!, /--delete-egress-router-pods/);
  assert.equal(r[0].objects!.length, 2);
});

Deno.test("egress-router-pods: offline warns, separating proxy modes (lost) from redirect (EgressRouter CR)", () => {
  const r = evalCheck(egressRouterPods, routerPods, "offline");
  assert.deepEqual(r.map((x) => x.level), ["warn", "warn"]);
  assert.match(r[0].message, /proxy\/egress-http \(http-proxy\).*no equivalent/);
  assert.match(r[1].message, /EgressRouter CR/);
});

Deno.test("egress-ip: manual assignment warns, automatic converts, live warns about the outage", () => {
  assert.equal(worst(evalCheck(egressIp, healthyFacts(), "live")), "pass");
  const auto = withFacts((f) => {
    v(f.hostSubnets).items[3].egressCIDRs = ["10.0.1.0/24"];
    v(f.netNamespaces).items[1].egressIPs = ["10.0.1.100"];
  });
  assert.equal(worst(evalCheck(egressIp, auto, "offline")), "pass");
  assert.equal(worst(evalCheck(egressIp, auto, "live")), "warn");
  const manual = withFacts((f) => {
    v(f.hostSubnets).items[4].egressIPs = ["10.0.1.101"];
    v(f.netNamespaces).items[1].egressIPs = ["10.0.1.101"];
  });
  const r = evalCheck(egressIp, manual, "offline");
  assert.equal(worst(r), "warn");
  assert.match(r[0].message, /HostSubnet \(worker-1\) assigns egress IPs manually/);
  assert.match(r[0].fix!, /k8s\.ovn\.org\/egress-assignable/);
});

Deno.test("egress-network-policy: renamed policies warn", () => {
  assert.equal(worst(evalCheck(egressNetworkPolicy, healthyFacts(), "live")), "pass");
  const f = withFacts((
    f,
  ) => (f.egressNetworkPolicies = { value: { served: true, items: [{ namespace: "app", name: "deny-all" }] } }));
  const r = evalCheck(egressNetworkPolicy, f, "offline");
  assert.equal(worst(r), "warn");
  assert.match(r[0].message, /app\/deny-all.*EgressFirewall objects named `default`/);
  const named = withFacts((
    f,
  ) => (f.egressNetworkPolicies = { value: { served: true, items: [{ namespace: "app", name: "default" }] } }));
  assert.equal(worst(evalCheck(egressNetworkPolicy, named, "offline")), "pass");
});

Deno.test("multicast: namespaces listed with the OVN annotation; live warns", () => {
  const f = withFacts((f) => (v(f.netNamespaces).items[1].multicast = true));
  const off = evalCheck(multicast, f, "offline");
  assert.equal(worst(off), "pass");
  assert.match(off[0].message, /1 namespace enables multicast \(app\).*k8s\.ovn\.org\/multicast-enabled/);
  assert.equal(worst(evalCheck(multicast, f, "live")), "warn");
});

Deno.test("unmanaged-sdn-daemonsets: live fails, offline warns, with the delete command", () => {
  assert.equal(worst(evalCheck(unmanagedSdnDaemonSets, healthyFacts(), "live")), "pass");
  const f = withFacts((f) => v(f.sdnDaemonSets).push({ name: "sdn-debug", managedByCNO: false }));
  const r = evalCheck(unmanagedSdnDaemonSets, f, "live");
  assert.equal(worst(r), "fail");
  assert.match(r[0].message, /sdn-debug.*never completes/);
  assert.equal(r[0].fix, "oc delete daemonset sdn-debug -n openshift-sdn");
  assert.equal(worst(evalCheck(unmanagedSdnDaemonSets, f, "offline")), "warn");
});

Deno.test("nncp-primary-nic: a bond with DHCP or an address in the machine network fails", () => {
  assert.equal(worst(evalCheck(nncpPrimaryNic, healthyFacts(), "live")), "pass");
  const bond = withFacts((f) =>
    f.nncps = {
      value: {
        served: true,
        items: [{
          name: "bondmaster0",
          interfaces: [{
            name: "bond0",
            type: "bond",
            ipv4Enabled: true,
            dhcp: true,
            addresses: [],
            ports: ["ens3", "ens4"],
          }],
          status: "Available",
        }],
      },
    }
  );
  const r = evalCheck(nncpPrimaryNic, bond, "offline");
  assert.equal(worst(r), "fail");
  assert.match(r[0].message, /bondmaster0 \(configures bond bond0 with DHCP/);
  assert.match(r[0].fix!, /oc delete nncp bondmaster0/);
  const vlan = withFacts((f) =>
    f.nncps = {
      value: {
        served: true,
        items: [{
          name: "storage-vlan",
          interfaces: [{
            name: "ens5.100",
            type: "vlan",
            ipv4Enabled: true,
            dhcp: false,
            addresses: ["192.168.100.5/24"],
            ports: [],
          }],
        }],
      },
    }
  );
  assert.equal(worst(evalCheck(nncpPrimaryNic, vlan, "live")), "warn");
  const static10 = withFacts((f) =>
    f.nncps = {
      value: {
        served: true,
        items: [{
          name: "static",
          interfaces: [{
            name: "ens3",
            type: "ethernet",
            ipv4Enabled: true,
            dhcp: false,
            addresses: ["10.0.0.10/16"],
            ports: [],
          }],
        }],
      },
    }
  );
  assert.match(
    evalCheck(nncpPrimaryNic, static10, "live")[0].message,
    /address 10\.0\.0\.10\/16 in the machine network/,
  );
});

Deno.test("secondary-network-default-nic: macvlan without master fails live", () => {
  assert.equal(worst(evalCheck(secondaryNetworkDefaultNic, healthyFacts(), "live")), "pass");
  const f = withFacts((f) =>
    f.networkAttachmentDefinitions = {
      value: {
        served: true,
        items: [
          { namespace: "app", name: "macvlan-default", types: ["macvlan"] },
          { namespace: "app", name: "macvlan-ens5", types: ["macvlan"], master: "ens5" },
        ],
      },
    }
  );
  const r = evalCheck(secondaryNetworkDefaultNic, f, "live");
  assert.equal(worst(r), "fail");
  assert.match(r[0].message, /app\/macvlan-default: macvlan without master/);
  assert.doesNotMatch(r[0].message, /macvlan-ens5/);
  assert.match(r[0].fix!, /oc delete network-attachment-definition macvlan-default -n app/);
});

Deno.test("pod-disruption-budgets: zero allowed disruptions warn; spec-only edge", () => {
  assert.equal(worst(evalCheck(podDisruptionBudgets, healthyFacts(), "offline")), "pass");
  const f = withFacts((f) => Object.assign(v(f.podDisruptionBudgets)[0], { disruptionsAllowed: 0, minAvailable: 3 }));
  const r = evalCheck(podDisruptionBudgets, f, "live");
  assert.equal(worst(r), "warn");
  assert.match(r[0].message, /app\/web/);
  const noPods = withFacts((f) =>
    Object.assign(v(f.podDisruptionBudgets)[0], { disruptionsAllowed: 0, expectedPods: 0 })
  );
  assert.equal(worst(evalCheck(podDisruptionBudgets, noPods, "live")), "pass");
  const specOnly = withFacts((
    f,
  ) => (f.podDisruptionBudgets = { value: [{ namespace: "a", name: "b", maxUnavailable: 0 }] }));
  assert.equal(worst(evalCheck(podDisruptionBudgets, specOnly, "live")), "warn");
});

Deno.test("admission-webhooks: pods/nodes webhooks above 3 s warn with the documented patch; 3 s passes", () => {
  const hook = (timeoutSeconds: number | undefined, resources = ["pods"]) =>
    withFacts((f) =>
      f.webhooks = {
        value: [{
          kind: "ValidatingWebhookConfiguration",
          configuration: "policy-agent",
          index: 0,
          name: "pods.policy.example.com",
          timeoutSeconds,
          failurePolicy: "Fail",
          resources,
        }],
      }
    );
  assert.equal(worst(evalCheck(admissionWebhooks, hook(3), "offline")), "pass");
  assert.equal(worst(evalCheck(admissionWebhooks, hook(30, ["configmaps"]), "offline")), "pass");
  const r = evalCheck(admissionWebhooks, hook(undefined), "offline");
  assert.equal(worst(r), "warn");
  assert.equal(
    r[0].fix,
    `oc patch ValidatingWebhookConfiguration policy-agent --type='json' -p '[{"op": "replace", "path": "/webhooks/0/timeoutSeconds", "value": 3}]'`,
  );
});

Deno.test("kuryr-objects: inventory on OpenStack; OpenStack-side checks skip with a reason", () => {
  const f = withFacts((f) => {
    v(f.infrastructure)!.platform = "OpenStack";
    v(f.kuryr)!.kuryrNetworks = { served: true, count: 12, sample: [{ namespace: "app", name: "app" }] };
  });
  const r = evalCheck(kuryrObjects, f, "offline");
  assert.equal(worst(r), "pass");
  assert.match(r[0].message, /12 KuryrNetworks/);
  assert.equal(worst(evalCheck(kuryrObjects, healthyFacts(), "offline")), "fail");
  const s = evalCheck(openstackCredentials, f, "offline");
  assert.equal(s[0].level, "skip");
  assert.match(s[0].message, /comes with the Kuryr migration/);
});
