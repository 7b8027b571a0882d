/** Builds a FakeKube holding a small SDN cluster as the API would return it. */
import { R } from "../../lib/kube/resources.ts";
import { FakeKube } from "./fake_kube.ts";

const cond = (type: string, status: string) => ({ type, status });

export function sdnCluster(): FakeKube {
  const k = new FakeKube();
  k.groups.push("network.openshift.io", "machineconfiguration.openshift.io");
  k.unserved.add(R.nncp.resource);
  k.add(R.clusterVersion, {
    metadata: { name: "version" },
    status: {
      desired: { version: "4.16.20" },
      history: [{ state: "Completed", version: "4.16.20" }],
      conditions: [cond("Available", "True"), cond("Progressing", "False")],
    },
  });
  k.add(R.infrastructure, {
    metadata: { name: "cluster" },
    status: {
      platformStatus: { type: "AWS", aws: { region: "us-east-1" } },
      controlPlaneTopology: "HighlyAvailable",
      infrastructureName: "sim-x7k2p",
    },
  });
  k.add(R.networkConfig, {
    metadata: { name: "cluster" },
    spec: {
      clusterNetwork: [{ cidr: "10.128.0.0/14", hostPrefix: 23 }],
      serviceNetwork: ["172.30.0.0/16"],
      networkType: "OpenShiftSDN",
    },
    status: {
      clusterNetwork: [{ cidr: "10.128.0.0/14", hostPrefix: 23 }],
      serviceNetwork: ["172.30.0.0/16"],
      networkType: "OpenShiftSDN",
      clusterNetworkMTU: 1450,
    },
  });
  k.add(R.networkOperator, {
    metadata: { name: "cluster" },
    spec: {
      managementState: "Managed",
      defaultNetwork: {
        type: "OpenShiftSDN",
        openshiftSDNConfig: { mode: "NetworkPolicy", vxlanPort: 4789, mtu: 1450 },
      },
    },
    status: { conditions: [cond("Available", "True")] },
  });
  k.add(R.clusterOperator, {
    metadata: { name: "network" },
    status: { conditions: [cond("Available", "True"), cond("Progressing", "False"), cond("Degraded", "False")] },
  });
  for (let i = 0; i < 4; i++) {
    k.add(R.node, {
      metadata: {
        name: `node-${i}`,
        labels: { [`node-role.kubernetes.io/${i < 2 ? "master" : "worker"}`]: "" },
        annotations: { "machineconfiguration.openshift.io/state": "Done" },
      },
      spec: {},
      status: { conditions: [cond("Ready", "True")], addresses: [{ type: "InternalIP", address: `10.0.0.${i + 10}` }] },
    });
    k.add(R.hostSubnet, {
      metadata: { name: `node-${i}` },
      host: `node-${i}`,
      hostIP: `10.0.0.${i + 10}`,
      subnet: `10.128.${i * 2}.0/23`,
    });
  }
  for (const name of ["master", "worker"]) {
    k.add(R.machineConfigPool, {
      metadata: { name },
      spec: { paused: false, maxUnavailable: 1 },
      status: {
        machineCount: 2,
        updatedMachineCount: 2,
        readyMachineCount: 2,
        degradedMachineCount: 0,
        unavailableMachineCount: 0,
        conditions: [cond("Updated", "True"), cond("Degraded", "False")],
      },
    });
  }
  k.add(R.configMap, { metadata: { name: "mtu", namespace: "openshift-network-operator" }, data: { mtu: "1500" } });
  k.add(R.configMap, {
    metadata: { name: "cluster-config-v1", namespace: "kube-system" },
    data: {
      "install-config":
        "apiVersion: v1\nplatform:\n  aws:\n    region: us-east-1\nnetworking:\n  machineNetwork:\n  - cidr: 10.0.0.0/16\n" +
        "  clusterNetwork:\n  - cidr: 10.128.0.0/14\n    hostPrefix: 23\n  serviceNetwork:\n  - 172.30.0.0/16\n",
    },
  });
  k.add(R.netNamespace, { metadata: { name: "default" }, netid: 0 });
  k.add(R.netNamespace, {
    metadata: { name: "app", annotations: { "netnamespace.network.openshift.io/multicast-enabled": "true" } },
    netid: 42,
    egressIPs: [],
  });
  k.add(R.namespace, { metadata: { name: "default" } }, { metadata: { name: "app" } }, {
    metadata: { name: "openshift-sdn" },
  });
  k.add(R.egressNetworkPolicy, { metadata: { name: "deny", namespace: "app" }, spec: { egress: [] } });
  k.add(R.daemonSet, {
    metadata: {
      name: "sdn",
      namespace: "openshift-sdn",
      ownerReferences: [{
        apiVersion: "operator.openshift.io/v1",
        kind: "Network",
        name: "cluster",
        uid: "1",
        controller: true,
      }],
    },
  });
  k.add(R.daemonSet, { metadata: { name: "custom-agent", namespace: "openshift-sdn" } });
  k.add(R.daemonSet, { metadata: { name: "multus", namespace: "openshift-multus" } });
  for (let i = 0; i < 20; i++) {
    k.add(R.pod, { metadata: { name: `web-${i}`, namespace: "app" }, spec: { containers: [] } });
  }
  k.add(R.pod, {
    metadata: {
      name: "egress-1",
      namespace: "egress",
      annotations: { "pod.network.openshift.io/assign-macvlan": "true" },
    },
    spec: {
      nodeName: "node-2",
      initContainers: [{
        name: "egress-router",
        image: "registry.redhat.io/openshift4/ose-egress-router",
        env: [{ name: "EGRESS_ROUTER_MODE", value: "init" }, {
          name: "EGRESS_DESTINATION",
          value: "80 tcp 203.0.113.25",
        }],
      }],
      containers: [{ name: "egress-router-wait", image: "registry.redhat.io/openshift4/ose-pod" }],
    },
  });
  k.add(R.networkAttachmentDefinition, {
    metadata: { name: "mv", namespace: "app" },
    spec: { config: JSON.stringify({ cniVersion: "0.3.1", type: "macvlan", mode: "bridge" }) },
  });
  k.add(R.podDisruptionBudget, {
    metadata: { name: "web", namespace: "app" },
    spec: { minAvailable: 20 },
    status: { disruptionsAllowed: 0, expectedPods: 20, currentHealthy: 20 },
  });
  k.add(R.validatingWebhook, {
    metadata: { name: "policy" },
    webhooks: [{ name: "pods.policy.example.com", failurePolicy: "Fail", rules: [{ resources: ["pods"] }] }],
  });
  return k;
}
