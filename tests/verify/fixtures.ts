/** A healthy 4.16 OpenShift SDN cluster on AWS as a Facts snapshot; each test copies and changes it. */
import { type Facts, FACTS_API_VERSION } from "../../lib/verify/facts.ts";
import { accessQuestions } from "../../lib/verify/rbac.ts";
import type { PreflightOptions } from "../../lib/verify/options.ts";
import type { CheckContext } from "../../lib/verify/checks/types.ts";
import { contextFor } from "../../lib/verify/run.ts";

const ok = (type: string, status: string) => ({ type, status });

export function healthyFacts(): Facts {
  const nodes = [
    ...["master-0", "master-1", "master-2"].map((name, i) => ({
      name,
      roles: ["master", "control-plane"],
      ip: `10.0.0.${10 + i}`,
    })),
    ...["worker-0", "worker-1", "worker-2"].map((name, i) => ({ name, roles: ["worker"], ip: `10.0.1.${10 + i}` })),
  ];
  return {
    apiVersion: FACTS_API_VERSION,
    collectedAt: "2026-11-23T12:00:00.000Z",
    server: "https://api.sim.example:6443",
    apiGroups: { value: ["apps", "config.openshift.io", "operator.openshift.io", "network.openshift.io"] },
    clusterVersion: {
      value: {
        desired: "4.16.20",
        completed: "4.16.20",
        conditions: [ok("Available", "True"), ok("Progressing", "False"), ok("Failing", "False")],
      },
    },
    infrastructure: {
      value: {
        platform: "AWS",
        controlPlaneTopology: "HighlyAvailable",
        infrastructureTopology: "HighlyAvailable",
        infrastructureName: "sim-x7k2p",
        resourceTags: [],
      },
    },
    networkConfig: {
      value: {
        annotations: {},
        spec: {
          networkType: "OpenShiftSDN",
          clusterNetwork: [{ cidr: "10.128.0.0/14", hostPrefix: 23 }],
          serviceNetwork: ["172.30.0.0/16"],
        },
        status: {
          networkType: "OpenShiftSDN",
          clusterNetwork: [{ cidr: "10.128.0.0/14", hostPrefix: 23 }],
          serviceNetwork: ["172.30.0.0/16"],
          clusterNetworkMTU: 1450,
          conditions: [],
        },
      },
    },
    networkOperator: {
      value: {
        managementState: "Managed",
        migration: null,
        defaultNetwork: {
          type: "OpenShiftSDN",
          openshiftSDNConfig: { mode: "NetworkPolicy", vxlanPort: 4789, mtu: 1450 },
        },
        additionalNetworks: [],
        conditions: [ok("Available", "True"), ok("Degraded", "False")],
      },
    },
    clusterOperators: {
      value: ["network", "machine-config", "kube-apiserver", "dns"].map((name) => ({
        name,
        conditions: [ok("Available", "True"), ok("Progressing", "False"), ok("Degraded", "False")],
      })),
    },
    nodes: {
      value: nodes.map((n) => ({
        name: n.name,
        roles: n.roles,
        ready: true,
        unschedulable: false,
        internalIPs: [n.ip],
        mcState: "Done",
      })),
    },
    machineConfigPools: {
      value: {
        served: true,
        items: ["master", "worker"].map((name) => ({
          name,
          paused: false,
          maxUnavailable: 1,
          machineCount: 3,
          updatedMachineCount: 3,
          readyMachineCount: 3,
          degradedMachineCount: 0,
          unavailableMachineCount: 0,
          conditions: [ok("Updated", "True"), ok("Updating", "False"), ok("Degraded", "False")],
        })),
      },
    },
    mtuConfigMap: { value: { present: true, mtu: 1500, raw: "1500" } },
    installConfig: {
      value: {
        present: true,
        machineNetwork: ["10.0.0.0/16"],
        clusterNetwork: ["10.128.0.0/14"],
        serviceNetwork: ["172.30.0.0/16"],
        platform: "aws",
      },
    },
    hostSubnets: {
      value: {
        served: true,
        items: nodes.map((n, i) => ({
          name: n.name,
          host: n.name,
          hostIP: n.ip,
          subnet: `10.128.${i * 2}.0/23`,
          egressIPs: [],
          egressCIDRs: [],
        })),
      },
    },
    netNamespaces: {
      value: {
        served: true,
        items: [
          { name: "default", netid: 0, egressIPs: [], multicast: false },
          { name: "app", netid: 1234, egressIPs: [], multicast: false },
        ],
      },
    },
    egressNetworkPolicies: { value: { served: true, items: [] } },
    egressRouterPods: { value: [] },
    namespaces: { value: ["default", "kube-system", "openshift-sdn", "openshift-network-operator", "app"] },
    sdnDaemonSets: { value: [{ name: "sdn", managedByCNO: true }, { name: "sdn-controller", managedByCNO: true }] },
    nncps: { value: { served: false, items: [] } },
    networkAttachmentDefinitions: { value: { served: true, items: [] } },
    podDisruptionBudgets: {
      value: [{
        namespace: "app",
        name: "web",
        maxUnavailable: 1,
        disruptionsAllowed: 1,
        expectedPods: 3,
        currentHealthy: 3,
      }],
    },
    webhooks: { value: [] },
    kuryr: {
      value: {
        kuryrNetworks: { served: false, count: 0, sample: [] },
        kuryrPorts: { served: false, count: 0, sample: [] },
        kuryrLoadBalancers: { served: false, count: 0, sample: [] },
        kuryrNetworkPolicies: { served: false, count: 0, sample: [] },
      },
    },
    access: { value: accessQuestions().map((q) => ({ ...q, allowed: true })) },
  };
}

export function options(over: Partial<PreflightOptions> = {}): PreflightOptions {
  return { method: "auto", skipChecks: [], onlyChecks: [], etcdBackupConfirmed: true, ...over };
}

export function ctxFor(facts: Facts, method: "offline" | "live", over: Partial<PreflightOptions> = {}): CheckContext {
  return contextFor(facts, method, options(over));
}

/** Deep copy + in-place edit, so every test starts from the healthy cluster. */
export function withFacts(edit: (f: Facts) => void): Facts {
  const f = structuredClone(healthyFacts());
  edit(f);
  return f;
}

/** The `value` of a read in a fixture (fixtures always hold values). */
export function v<T>(r: { value: T } | { error: string }): T {
  if (!("value" in r)) throw new Error("fixture read holds an error");
  return r.value;
}
